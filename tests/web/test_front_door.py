"""The front door at `/` for a visitor, "Try the demo" (POST /demo) and the web app manifest."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from carbontrack.domain.models import Entry
from carbontrack.services import demo
from carbontrack.settings import Settings
from carbontrack.store.base import Store
from tests.api.helpers import app_client
from tests.conftest import TEST_SECRET
from tests.web.helpers import csrf_from, submit

SIGN_UP_LIMIT = 2


@pytest.fixture
def local(tmp_path: Path) -> Iterator[TestClient]:
    """A local install (SQLite, development) that allows two sign-ups an address an hour."""
    settings = Settings(
        data_dir=tmp_path / "var",
        jwt_secret=TEST_SECRET,  # type: ignore[arg-type]
        register_max_per_address=SIGN_UP_LIMIT,
    )
    with app_client(settings) as client:
        yield client


@pytest.fixture
def production(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        environment="production",
        data_dir=tmp_path / "var",
        jwt_secret=TEST_SECRET,  # type: ignore[arg-type]
    )
    with app_client(settings) as client:
        yield client


def every_entry(store: Store, user_id: str) -> Iterator[Entry]:
    cursor: str | None = None
    while True:
        page = store.entries.list_for_user(user_id, limit=500, cursor=cursor)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def test_a_visitor_sees_what_it_does_and_the_ways_in(local: TestClient) -> None:
    page = local.get("/")
    assert page.status_code == 200
    html = page.text
    assert "Know your carbon footprint" in html
    assert "published emission factors" in html
    assert '<a href="/register?next=/start" role="button">Create an account</a>' in html
    assert '<form method="post" action="/demo" class="demo-form">' in html
    assert "Try the demo" in html
    assert 'href="/map"' in html
    assert '<img src="/static/app/images/dashboard.png"' in html
    assert local.get("/static/app/images/dashboard.png").headers["content-type"] == "image/png"
    assert "CarbonTrack is running" not in html


def test_developer_links_are_in_the_footer(local: TestClient) -> None:
    html = local.get("/").text
    footer = html[html.index('<footer class="container site-footer">') :]
    assert '<a href="/docs">API docs</a>' in footer
    assert '<a href="/api/health">Health</a>' in footer
    main = html[html.index("<main") : html.index("</main>")]
    assert "/docs" not in main
    assert "/api/health" not in main


def test_every_page_links_the_manifest_and_may_load_it(local: TestClient) -> None:
    for path in ("/", "/login", "/register", "/map"):
        page = local.get(path)
        assert '<link rel="manifest" href="/manifest.webmanifest">' in page.text, path
        assert "manifest-src 'self'" in page.headers["content-security-policy"], path
    assert '<script src="/static/app/offline.js" defer></script>' in local.get("/login").text


def test_try_the_demo_signs_a_fresh_seeded_account_in(local: TestClient) -> None:
    response = submit(local, "/demo", {}, page="/")
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert "ct_session=" in response.headers["set-cookie"]
    profile = local.get("/api/profile").json()
    assert profile["email"].endswith(f"@{demo.VISITOR_DOMAIN}")
    assert profile["country"] == "GB"
    store: Store = local.app.state.store  # type: ignore[attr-defined]
    flights = [
        e for e in every_entry(store, profile["userId"]) if e.factor.factor_id == demo.SHORT_HAUL
    ]
    # services/demo.py: two holidays (days 120 and 270), each a 1100 km flight out and back.
    assert [e.quantity for e in flights] == [1100.0] * 4
    dashboard = local.get("/").text
    assert "Your footprint" in dashboard
    assert "demo account with a year of made-up activity" in dashboard


def test_each_click_makes_its_own_account(local: TestClient) -> None:
    submit(local, "/demo", {}, page="/")
    first = local.get("/api/profile").json()["userId"]
    local.cookies.clear()
    submit(local, "/demo", {}, page="/")
    second = local.get("/api/profile").json()["userId"]
    assert first != second


def test_the_demo_is_limited_as_sign_ups_are(local: TestClient) -> None:
    statuses = []
    for _ in range(SIGN_UP_LIMIT + 1):
        local.cookies.clear()
        statuses.append(submit(local, "/demo", {}, page="/").status_code)
    assert statuses == [303] * SIGN_UP_LIMIT + [429]
    local.cookies.clear()
    refused = submit(local, "/demo", {}, page="/")
    assert "Too many new accounts from your network" in refused.text
    assert int(refused.headers["retry-after"]) > 0


def test_the_demo_needs_the_form_token(local: TestClient) -> None:
    local.get("/")
    assert local.post("/demo", data={"csrf": "forged"}).status_code == 403
    assert local.get("/api/profile").status_code == 401


def test_production_offers_no_demo(production: TestClient) -> None:
    page = production.get("/", follow_redirects=False)
    assert page.status_code == 200
    assert "Try the demo" not in page.text
    assert 'href="/register?next=/start"' in page.text
    token = csrf_from(page.text)
    assert production.post("/demo", data={"csrf": token}).status_code == 404


def test_the_cli_demo_login_still_works(local: TestClient) -> None:
    store: Store = local.app.state.store  # type: ignore[attr-defined]
    assert demo.create(store=store) > 0
    login = submit(local, "/login", {"email": demo.DEMO_EMAIL, "password": demo.DEMO_PASSWORD})
    assert login.status_code == 303


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (PNG spec 11.2.2: right after the signature)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_manifest_names_the_app_and_its_icons(local: TestClient) -> None:
    response = local.get("/manifest.webmanifest")
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = json.loads(response.text)
    assert manifest["name"] == "CarbonTrack"
    assert manifest["start_url"] == "/"
    assert manifest["display"] == "standalone"
    css = files("carbontrack.web").joinpath("static/app/app.css").read_text()
    assert f"--ct-success: {manifest['theme_color']};" in css
    sizes: dict[str, list[int]] = {}
    for icon in manifest["icons"]:
        image = local.get(icon["src"])
        assert image.status_code == 200, icon["src"]
        assert image.headers["content-type"] == "image/png"
        width, height = png_size(image.content)
        assert icon["sizes"] == f"{width}x{height}"
        sizes.setdefault(icon.get("purpose", "any"), []).append(width)
    assert sizes == {"any": [192, 512], "maskable": [512]}
