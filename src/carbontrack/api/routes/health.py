"""Liveness for operators and load balancers."""

from __future__ import annotations

from fastapi import APIRouter

from carbontrack import __version__
from carbontrack.api.deps import StoreDep
from carbontrack.api.schemas import Health

router = APIRouter(tags=["health"])


# /health is where load balancers and uptime checks probe; it stays out of the API's
# document (/api/* only). CloudFront and API Gateway serve it without an API key
# (docs/deploy-aws.md, "The edge: WAF, headers, TLS").
@router.get("/health", response_model=Health, include_in_schema=False)
@router.get("/api/health", response_model=Health)
async def health(store: StoreDep) -> Health:
    """Status, version and store backend.

    `async` so it answers from the event loop: as a sync route it queued behind the worker
    threads' Argon2id hashes, and a probe took 30 s during a burst of sign-ups (soak, issue 12).
    """
    return Health(status="ok", version=__version__, store=store.backend)
