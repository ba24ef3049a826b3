"""The composition root of the HTTP app: `create_app(settings)`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from carbontrack import __version__
from carbontrack.api import errors
from carbontrack.api.limits import BodySizeLimit
from carbontrack.api.routes import (
    achievements,
    anomalies,
    auth,
    entries,
    factors,
    goals,
    health,
    profile,
    reasoning,
    recommendations,
    stats,
    teams,
)
from carbontrack.datasets import load_catalogue
from carbontrack.services.factors import sync_catalogue
from carbontrack.settings import Settings
from carbontrack.store import build_store
from carbontrack.store.base import Store
from carbontrack.web import app as web_app
from carbontrack.web import assets, pages
from carbontrack.web.app.history_import import IMPORT_PATH as PAGE_IMPORT_PATH

IMPORT_PATH = "/api/entries/import"


def create_app(settings: Settings, *, store: Store | None = None) -> FastAPI:
    """Build the API and web app over a store (built from settings unless given)."""
    store = store if store is not None else build_store(settings)
    sync_catalogue(store=store, catalogue=load_catalogue())
    settings.signing_key()  # fail at start, not on the first login, if the key is unusable
    # FastAPIOffline serves the /docs assets from its package instead of a CDN.
    app = FastAPIOffline(
        lifespan=_bounded_threads(settings.worker_threads),
        title="CarbonTrack",
        version=__version__,
        description="Log activities, get kg CO2e from sourced emission factors.",
    )
    app.state.settings = settings
    app.state.store = store
    errors.install(app)
    for router in (
        health.router,
        auth.router,
        profile.router,
        factors.router,
        entries.router,
        goals.router,
        teams.router,
        achievements.router,
        recommendations.router,
        stats.router,
        anomalies.router,
        reasoning.router,
    ):
        app.include_router(router)
    app.include_router(web_app.router)  # the web app's pages; `/` is its dashboard
    app.include_router(pages.router)
    web_app.install(app)  # session cookies, login redirects, HTML error pages
    app.mount(assets.STATIC_PATH, assets.static_files(), name="static")
    app.add_middleware(
        BodySizeLimit,
        default_bytes=settings.max_body_bytes,
        limits={
            IMPORT_PATH: settings.max_import_bytes,
            PAGE_IMPORT_PATH: settings.max_import_bytes,
        },
    )
    return app


def _bounded_threads(count: int) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """Serve sync routes from `count` threads instead of anyio's 40.

    Threads beyond the cores only add GIL hand-offs: with 32 clients, a page of entries
    was served about 2x faster by 1-4 threads than by 40 (docs/benchmarks.md). A few
    more than one keep a long request (a large CSV import) from stalling every other.
    """

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = count
        yield

    return lifespan
