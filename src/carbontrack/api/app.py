"""The composition root of the HTTP app: `create_app(settings)`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from carbontrack import __version__
from carbontrack.api import allow, docs, errors, openapi
from carbontrack.api.headers import SecurityHeaders
from carbontrack.api.limits import BodySizeLimit
from carbontrack.api.routes import health
from carbontrack.services.factors import sync_catalogue
from carbontrack.settings import Settings
from carbontrack.store import build_store
from carbontrack.store.base import Store

IMPORT_PATH = "/api/entries/import"


def create_app(
    settings: Settings, *, store: Store | None = None, check_catalogue: bool = True
) -> FastAPI:
    """Build the parts of the app that `settings.app_parts` names, over a store.

    The store is built from settings unless given. Each part's routes are imported only when
    the part is served: a Lambda function serving one part does not pay at its cold start for
    importing the others (docs/benchmarks.md, issue 7). `check_catalogue=False` leaves the
    catalogue check to the caller (the Lambda handler runs it alongside the build).
    """
    store = store if store is not None else build_store(settings)
    if check_catalogue:
        sync_catalogue(store=store)
    settings.signing_key()  # fail at start, not on the first login, if the key is unusable
    # FastAPIOffline serves the /docs assets from its package instead of a CDN; the page
    # itself is docs.py's, with its Content-Security-Policy (and no /redoc, which needs
    # inline styles and is deployed nowhere).
    app = FastAPIOffline(
        docs_url=None,
        redoc_url=None,
        lifespan=_bounded_threads(settings.worker_threads),
        title="CarbonTrack",
        version=__version__,
        description="Log activities, get kg CO2e from sourced emission factors.",
    )
    app.state.settings = settings
    app.state.store = store
    errors.install(app)
    openapi.install(app)  # the 4xx of every operation, one Error schema
    allow.install(app)  # a 405 names every method of its path
    app.include_router(health.router)
    app.include_router(docs.router)
    limits = {IMPORT_PATH: settings.max_import_bytes}
    if "api" in settings.app_parts:
        _include_api(app)
    if "explorer" in settings.app_parts:
        _include_explorer(app)
    if "web" in settings.app_parts:
        limits.update(_include_web(app, settings))
    app.add_middleware(BodySizeLimit, default_bytes=settings.max_body_bytes, limits=limits)
    app.add_middleware(SecurityHeaders)  # added last, so outermost: errors get them too
    return app


def create_app_from_environment() -> FastAPI:
    """The app of `carbontrack serve`'s worker processes: settings from the environment.

    Uvicorn imports this by name in each worker it starts (`factory=True`), so the workers
    share nothing but the environment the command set and the store's files.
    """
    from carbontrack.settings import get_settings

    return create_app(get_settings())


def _include_api(app: FastAPI) -> None:
    """The JSON API: accounts, factors, entries, goals, teams, achievements, stats."""
    from carbontrack.api.routes import (
        achievements,
        activities,
        airports,
        auth,
        baseline,
        entries,
        factors,
        flights,
        food,
        goals,
        profile,
        recommendations,
        stats,
        teams,
    )

    # Routing tries the routers in this order, so the busiest come first (issue 18): the
    # prefixes do not overlap, so the order changes nothing else but the OpenAPI listing.
    for module in (
        entries,
        stats,
        factors,
        auth,
        profile,
        activities,
        food,
        airports,
        flights,
        goals,
        baseline,
        teams,
        achievements,
        recommendations,
    ):
        app.include_router(module.router)
    from carbontrack.ops import api as ops_api

    ops_api.install(app)  # the operations console's /api/inventory (operators only)


def _include_explorer(app: FastAPI) -> None:
    """The CO2 explorer's API: anomalies by date and id, and their explanations."""
    from carbontrack.explorer.api import anomalies, reasoning

    app.include_router(anomalies.router)
    app.include_router(reasoning.router)


def _include_web(app: FastAPI, settings: Settings) -> dict[str, int]:
    """The pages (`/` is the dashboard), /map and /static; their upload's body limit."""
    from carbontrack.web import app as web_app
    from carbontrack.web import assets, pages
    from carbontrack.web.app.history_import import IMPORT_PATH as PAGE_IMPORT_PATH

    app.include_router(web_app.router)
    from carbontrack.ops import web as ops_web

    ops_web.install(app)  # the operations console's /ops page (operators only)
    app.include_router(pages.router)
    from carbontrack.explorer.web import map_page

    app.include_router(map_page.router)  # /map, the CO2 anomaly explorer
    web_app.install(app)  # session cookies, login redirects, HTML error pages
    app.mount(assets.STATIC_PATH, assets.static_files(), name="static")
    return {PAGE_IMPORT_PATH: settings.max_import_bytes}


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
