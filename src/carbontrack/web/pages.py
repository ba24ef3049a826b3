"""Pages served by the app itself (no CDN: everything comes from this package), and its manifest."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

router = APIRouter(include_in_schema=False)

MANIFEST_PATH = "/manifest.webmanifest"
THEME_COLOUR = "#1f6f43"  # app.css --ct-success, the brand green of the icon
ICONS = "/static/app/icons"
# What lets a phone add CarbonTrack to its home screen (https://www.w3.org/TR/appmanifest/).
MANIFEST: dict[str, Any] = {
    "name": "CarbonTrack",
    "short_name": "CarbonTrack",
    "description": "Track your carbon footprint with sourced emission factors.",
    "start_url": "/",
    "scope": "/",
    "display": "standalone",
    "theme_color": THEME_COLOUR,
    "background_color": "#ffffff",
    "icons": [
        {"src": f"{ICONS}/icon-192.png", "sizes": "192x192", "type": "image/png"},
        {"src": f"{ICONS}/icon-512.png", "sizes": "512x512", "type": "image/png"},
        {
            "src": f"{ICONS}/icon-maskable-512.png",
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ],
}


@router.get(MANIFEST_PATH)
def manifest() -> JSONResponse:
    """The web app manifest every page links to."""
    return JSONResponse(MANIFEST, media_type="application/manifest+json")
