"""Liveness for operators and load balancers."""

from __future__ import annotations

from fastapi import APIRouter

from carbontrack import __version__
from carbontrack.api.deps import StoreDep
from carbontrack.api.schemas import Health

router = APIRouter(prefix="/api", tags=["health"])


@router.get("/health", response_model=Health)
def health(store: StoreDep) -> Health:
    """Status, version and store backend."""
    return Health(status="ok", version=__version__, store=store.backend)
