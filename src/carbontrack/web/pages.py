"""Pages served by the app itself (no CDN: everything comes from this package)."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from carbontrack.web import map_page

router = APIRouter(include_in_schema=False)
router.include_router(map_page.router)  # /map, the CO2 anomaly explorer


def first_screen() -> HTMLResponse:
    """The first screen a visitor sees at `/`: what is running and how to start.

    `/` itself belongs to the dashboard (web/app/dashboard.py); a visitor who is not signed in
    gets this page instead of a redirect to the login form.
    """
    return HTMLResponse(files("carbontrack.web").joinpath("static/index.html").read_text())
