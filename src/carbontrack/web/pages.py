"""Pages served by the app itself (no CDN: everything comes from this package)."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home() -> HTMLResponse:
    """The first screen: what is running and how to start."""
    return HTMLResponse(files("carbontrack.web").joinpath("static/index.html").read_text())
