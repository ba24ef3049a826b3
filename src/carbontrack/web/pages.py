"""Pages served by the app itself (no CDN: everything comes from this package)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from carbontrack.api.headers import inline_hashes, page_policy
from carbontrack.web import map_page

router = APIRouter(include_in_schema=False)
router.include_router(map_page.router)  # /map, the CO2 anomaly explorer


def first_screen() -> HTMLResponse:
    """The first screen a visitor sees at `/`: what is running and how to start.

    `/` itself belongs to the dashboard (web/app/dashboard.py); a visitor who is not signed in
    gets this page instead of a redirect to the login form.
    """
    page = _first_screen_html()
    return HTMLResponse(page, headers={"Content-Security-Policy": _first_screen_policy(page)})


@cache
def _first_screen_html() -> str:
    return files("carbontrack.web").joinpath("static/index.html").read_text()


@cache
def _first_screen_policy(page: str) -> str:
    """Nothing but links and the page's one inline `<style>`, allowed by its hash."""
    return page_policy(f"style-src {inline_hashes(page, 'style')}")
