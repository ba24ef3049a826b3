"""`uvicorn --factory bench.app_factory:carbontrack_app`: the real app, configured from env."""

from __future__ import annotations

from fastapi import FastAPI

from carbontrack.api.app import create_app
from carbontrack.settings import Settings


def carbontrack_app() -> FastAPI:
    """The real app over the SQLite store, configured from CARBONTRACK_* variables."""
    return create_app(Settings())
