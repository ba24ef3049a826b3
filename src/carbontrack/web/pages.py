"""Pages served by the app itself (no CDN: everything comes from this package)."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from carbontrack.web import map_page

router = APIRouter(include_in_schema=False)
router.include_router(map_page.router)  # /map, the CO2 anomaly explorer


@router.get("/", response_class=HTMLResponse)
def home() -> HTMLResponse:
    """The first screen: what is running and how to start."""
    return HTMLResponse(files("carbontrack.web").joinpath("static/index.html").read_text())
