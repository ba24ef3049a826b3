"""/map, its offline base map, its Content-Security-Policy and the static assets it loads."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from carbontrack.api.app import create_app
from carbontrack.explorer.data.manifest import (
    NE_COUNTRIES_FILE,
    NE_PLACES_FILE,
    SHA256,
    read_verified,
)
from carbontrack.settings import Settings
from tests.api.helpers import app_client

REPO_ROOT = Path(__file__).resolve().parents[2]
TILES = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"


@pytest.fixture
def web(settings: Settings) -> Iterator[TestClient]:
    with app_client(settings) as client:
        yield client


def test_the_map_page_allows_only_its_own_origin(web: TestClient) -> None:
    response = web.get("/map")
    assert response.status_code == 200
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["content-security-policy"].split(";")
    )
    assert policy["default-src"] == "'none'"
    for directive in ("script-src", "style-src", "img-src", "connect-src"):
        assert policy[directive] == "'self'", directive
    assert policy["frame-ancestors"] == "'none'"
    page = response.text
    assert 'data-tile-url=""' in page
    assert "/static/vendor/leaflet/leaflet.js" in page
    assert "://" not in page, "the page must not name any other host"


def test_a_tile_url_is_passed_escaped_and_only_its_origin_is_allowed(
    settings: Settings,
) -> None:
    app = create_app(settings.model_copy(update={"map_tile_url": TILES}))
    with TestClient(app) as client:
        response = client.get("/map")
    app.state.store.close()
    assert f'data-tile-url="{TILES}"' in response.text
    policy = response.headers["content-security-policy"]
    assert "img-src 'self' https://*.tiles.example.org;" in policy
    assert "connect-src 'self'" in policy


@pytest.mark.parametrize("bad", ["javascript:alert(1)", 'https://x.org/"><script>', "ftp://x"])
def test_a_tile_url_must_be_a_plain_http_url(bad: str) -> None:
    with pytest.raises(ValidationError, match="map_tile_url"):
        Settings(map_tile_url=bad)


def test_the_base_map_is_the_verified_natural_earth_file(web: TestClient) -> None:
    response = web.get("/map/countries.geojson")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geo+json"
    assert hashlib.sha256(response.content).hexdigest() == SHA256[NE_COUNTRIES_FILE]
    countries = json.loads(response.content)
    assert countries["type"] == "FeatureCollection"
    assert len(countries["features"]) == 177


def test_the_city_labels_are_every_natural_earth_place_with_its_name(web: TestClient) -> None:
    response = web.get("/map/places.geojson")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/geo+json"
    assert "max-age" in response.headers["cache-control"]
    served = response.json()["features"]
    # Read here from the verified Natural Earth file (it starts with a byte-order mark).
    source = json.loads(read_verified(NE_PLACES_FILE).decode("utf-8-sig"))["features"]
    assert len(served) == len(source) == 243
    by_name = {f["properties"]["name"]: f for f in served}
    for place in source:
        label = by_name[place["properties"]["name"]]
        assert label["geometry"]["coordinates"] == place["geometry"]["coordinates"]
        assert label["properties"]["population"] == place["properties"]["pop_max"]
    assert len(response.content) < len(read_verified(NE_PLACES_FILE)) / 5


def test_the_map_offers_the_app_navigation_and_a_no_script_notice(web: TestClient) -> None:
    page = web.get("/map").text
    base = (REPO_ROOT / "src/carbontrack/web/templates/app/base.html").read_text()
    # The app's header links (base.html's link lists), copied into the standalone map page;
    # not /ops, which base.html shows to operators only.
    links = set(re.findall(r'\("(/[a-z]*)", "([A-Za-z ]+)"\)', base.split("{% macro")[0]))
    links.discard(("/ops", "Operations"))
    assert ("/map", "Map") in links
    nav = page.split('<nav aria-label="Main"')[1].split("</nav>")[0]
    for href, label in links:
        assert f'<a href="{href}"' in nav, href
        assert f">{label}</a>" in nav, label
    assert '<a href="/map" aria-current="page">Map</a>' in nav
    noscript = page.split("<noscript>")[1].split("</noscript>")[0]
    assert "needs JavaScript" in noscript
    assert 'href="/api/anomalies/dates' in noscript


def test_the_page_scripts_and_the_npm_assets_are_served(web: TestClient) -> None:
    leaflet = web.get("/static/vendor/leaflet/leaflet.js")
    assert leaflet.status_code == 200, (
        "run `make setup`: it copies Leaflet from web/package-lock.json"
    )
    assert "javascript" in leaflet.headers["content-type"]
    versions = web.get("/static/vendor/versions.json").json()
    lock = json.loads((REPO_ROOT / "web" / "package-lock.json").read_text())
    assert versions["leaflet"] == lock["packages"]["node_modules/leaflet"]["version"]
    assert web.get("/static/vendor/leaflet/images/layers.png").status_code == 200
    for name in ("main.js", "map.css", "calendar.js", "panel.js", "facts.js", "api.js"):
        assert web.get(f"/static/map/{name}").status_code == 200, name


def test_the_first_screen_links_to_the_map(web: TestClient) -> None:
    assert 'href="/map"' in web.get("/").text
