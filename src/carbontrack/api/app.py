"""The composition root of the HTTP app: `create_app(settings)`."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from carbontrack import __version__
from carbontrack.api import errors
from carbontrack.api.limits import BodySizeLimit
from carbontrack.api.routes import auth, entries, factors, health, profile
from carbontrack.datasets import load_catalogue
from carbontrack.services.factors import sync_catalogue
from carbontrack.settings import Settings
from carbontrack.store import build_store
from carbontrack.store.base import Store
from carbontrack.web import pages

IMPORT_PATH = "/api/entries/import"


def create_app(settings: Settings, *, store: Store | None = None) -> FastAPI:
    """Build the API and web app over a store (built from settings unless given)."""
    store = store if store is not None else build_store(settings)
    sync_catalogue(store=store, catalogue=load_catalogue())
    settings.signing_key()  # fail at start, not on the first login, if the key is unusable
    # FastAPIOffline serves the /docs assets from its package instead of a CDN.
    app = FastAPIOffline(
        title="CarbonTrack",
        version=__version__,
        description="Log activities, get kg CO2e from sourced emission factors.",
    )
    app.state.settings = settings
    app.state.store = store
    errors.install(app)
    for router in (health.router, auth.router, profile.router, factors.router, entries.router):
        app.include_router(router)
    app.include_router(pages.router)
    app.add_middleware(
        BodySizeLimit,
        default_bytes=settings.max_body_bytes,
        limits={IMPORT_PATH: settings.max_import_bytes},
    )
    return app
