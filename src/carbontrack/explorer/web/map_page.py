"""The CO2 anomaly map at /map: the page, its offline base map and its Content-Security-Policy.

The page loads only files from this package (Leaflet from static/vendor/, copied from the npm
lock by `make setup`) and calls only this app's API, so it works with no internet at all. An
operator may add raster tiles with `CARBONTRACK_MAP_TILE_URL`; only then does the policy allow
images from that one origin.
"""

from __future__ import annotations

import html
import json
from functools import cache
from importlib.resources import files
from urllib.parse import urlsplit

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from carbontrack.api.deps import SettingsDep
from carbontrack.api.headers import page_policy
from carbontrack.explorer.data.manifest import NE_COUNTRIES_FILE, NE_PLACES_FILE, read_verified

router = APIRouter(include_in_schema=False)

TILE_URL_SLOT = "%TILE_URL%"
COUNTRIES_PATH = "/map/countries.geojson"
PLACES_PATH = "/map/places.geojson"
GEOJSON_CACHE = "public, max-age=86400"  # the files change only with a new release


@router.get("/map", response_class=HTMLResponse)
def map_page(settings: SettingsDep) -> HTMLResponse:
    """The anomaly map: calendar, points, and a panel that explains the selected point."""
    tile_url = settings.map_tile_url or ""
    page = _template().replace(TILE_URL_SLOT, html.escape(tile_url, quote=True))
    return HTMLResponse(
        page,
        headers={
            "Content-Security-Policy": content_security_policy(tile_url or None),
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-cache",
        },
    )


@router.get(COUNTRIES_PATH)
def countries() -> Response:
    """Natural Earth 1:110m country outlines (public domain), the offline base map."""
    return _geojson(_countries_geojson())


@router.get(PLACES_PATH)
def places() -> Response:
    """Natural Earth 1:110m populated places (public domain): the map's city labels."""
    return _geojson(_places_geojson())


def _geojson(body: bytes) -> Response:
    return Response(
        body, media_type="application/geo+json", headers={"Cache-Control": GEOJSON_CACHE}
    )


def content_security_policy(tile_url: str | None) -> str:
    """Only this origin for everything; images also from the tile server, when one is set."""
    images = "'self'" if tile_url is None else f"'self' {_tile_origin(tile_url)}"
    return page_policy(
        "script-src 'self'",
        "style-src 'self'",
        f"img-src {images}",
        "connect-src 'self'",
        "manifest-src 'self'",  # the app's manifest, as on every page (web/pages.py)
    )


def _tile_origin(tile_url: str) -> str:
    """The CSP source of a tile template; Leaflet's `{s}` subdomain becomes a wildcard."""
    parts = urlsplit(tile_url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}"


@cache
def _template() -> str:
    return files("carbontrack.explorer.web").joinpath("map.html").read_text()


@cache
def _countries_geojson() -> bytes:
    return read_verified(NE_COUNTRIES_FILE)


@cache
def _places_geojson() -> bytes:
    """Each place's point, name and population only: 36 KB instead of the file's 420 KB."""
    features = json.loads(read_verified(NE_PLACES_FILE))["features"]
    slim = [
        {
            "type": "Feature",
            "geometry": feature["geometry"],
            "properties": {
                "name": feature["properties"]["name"],
                "population": feature["properties"]["pop_max"],
            },
        }
        for feature in features
    ]
    return json.dumps({"type": "FeatureCollection", "features": slim}).encode()
