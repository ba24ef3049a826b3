"""Security headers on every kind of response, and a 500 that keeps them and closes cleanly.

The pages keep the policies they send themselves; everything else gets one that allows
nothing (`default-src 'none'`). SQLite only: the headers do not depend on the store.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from carbontrack.api.app import create_app
from carbontrack.settings import Settings
from carbontrack.web.app.templating import CONTENT_SECURITY_POLICY as PAGE_POLICY
from tests.api.helpers import register, signed_in

API_POLICY = "default-src 'none'; frame-ancestors 'none'"
COMMON = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
CRASH_PATH = "/api/test-crash"


def _crash() -> None:
    raise RuntimeError("a bug this test put in")


@pytest.fixture
def app(settings: Settings) -> Iterator[FastAPI]:
    """The whole app over SQLite, with one route, added here only, that raises."""
    built = create_app(settings)
    built.add_api_route(CRASH_PATH, _crash)
    yield built
    built.state.store.close()


@pytest.fixture
def http(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _secured(response: object, policy: str | None = API_POLICY) -> str:
    headers = response.headers  # type: ignore[attr-defined]
    for name, value in COMMON.items():
        assert headers.get(name) == value, (response, name, dict(headers))
    found: str = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in found
    if policy is not None:
        assert found == policy
    return found


def test_api_json_and_its_errors_allow_nothing(http: TestClient, settings: Settings) -> None:
    assert _secured(http.get("/api/health"))
    assert _secured(http.get("/openapi.json"))
    assert http.get("/api/nothing-here").status_code == 404
    _secured(http.get("/api/nothing-here"))
    assert http.delete("/api/health").status_code == 405
    _secured(http.delete("/api/health"))
    unauthenticated = http.get("/api/entries")
    assert unauthenticated.status_code == 401
    _secured(unauthenticated)
    headers = signed_in(http)
    bad_date = http.get("/api/stats", params={"to": "0"}, headers=headers)
    assert bad_date.status_code == 422
    _secured(bad_date)
    too_large = http.post(
        "/api/entries", content=b"x" * (settings.max_body_bytes + 1), headers=headers
    )
    assert too_large.status_code == 413
    _secured(too_large)
    export = http.get("/api/entries/export", headers=headers)
    assert export.headers["content-type"].startswith("text/csv")
    _secured(export)


def test_a_429_has_them_too(http: TestClient) -> None:
    user = register(http)
    wrong = {"email": user["email"], "password": "not the password"}
    statuses = [http.post("/api/login", json=wrong).status_code for _ in range(12)]
    assert 429 in statuses, statuses
    throttled = http.post("/api/login", json=wrong)
    assert throttled.status_code == 429
    _secured(throttled)


def test_static_files_allow_nothing(http: TestClient) -> None:
    for path in ("/static/app/app.css", "/static-offline-docs/swagger-ui-bundle.js"):
        response = http.get(path)
        assert response.status_code == 200, path
        _secured(response)


def test_pages_keep_their_own_policy(http: TestClient) -> None:
    login = http.get("/login")
    assert login.headers["content-type"].startswith("text/html")
    _secured(login, PAGE_POLICY)
    missing = http.get("/history/not-an-entry/edit", follow_redirects=False)
    assert missing.status_code == 303  # to the login form
    _secured(missing)


def _inline(page: str, tag: str) -> list[str]:
    return re.findall(f"<{tag}>(.*?)</{tag}>", page, re.DOTALL)


def test_the_signed_out_home_page_is_a_page_like_the_others(http: TestClient) -> None:
    home = http.get("/")
    assert "Create an account" in home.text
    _secured(home, PAGE_POLICY)
    assert _inline(home.text, "style") == []
    assert _inline(home.text, "script") == []


def test_docs_allow_their_one_inline_script_by_hash(http: TestClient) -> None:
    docs = http.get("/docs")
    assert docs.status_code == 200
    policy = _secured(docs, None)
    assert "unsafe-inline" not in policy
    (script,) = _inline(docs.text, "script")
    assert "SwaggerUIBundle" in script
    assert re.search(r"script-src 'self' 'sha256-[A-Za-z0-9+/]{43}='; ", policy)
    assert http.get("/redoc").status_code == 404


def test_a_root_path_changes_the_docs_script_and_its_hash(app: FastAPI) -> None:
    with TestClient(app, root_path="/Prod") as staged:
        docs = staged.get("/docs")
    assert "url: '/Prod/openapi.json'" in docs.text
    assert '<script src="/Prod/static-offline-docs/swagger-ui-bundle.js">' in docs.text
    plain = TestClient(app).get("/docs").headers["content-security-policy"]
    assert docs.headers["content-security-policy"] != plain


def test_a_500_has_the_headers_a_json_body_and_connection_close(http: TestClient) -> None:
    response = http.get(CRASH_PATH)
    assert response.status_code == 500
    assert response.json() == {"detail": "internal server error"}
    assert response.headers["connection"] == "close"
    _secured(response)


def test_a_500_is_still_raised_for_the_server_to_log(app: FastAPI) -> None:
    with TestClient(app) as client, pytest.raises(RuntimeError, match="a bug this test put in"):
        client.get(CRASH_PATH)


@pytest.fixture
def live_url(app: FastAPI) -> Iterator[tuple[str, int]]:
    """The app served by uvicorn in a thread, on 127.0.0.1 and a free port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            thread.join(0.05)
            assert thread.is_alive(), "uvicorn did not start"
        yield sock.getsockname()
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def test_a_500_from_a_real_server_ends_the_connection_cleanly(live_url: tuple[str, int]) -> None:
    with socket.create_connection(live_url, timeout=10) as conn:
        conn.sendall(f"GET {CRASH_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        received = b""
        while chunk := conn.recv(65536):  # EOF, not ConnectionResetError
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0] == "HTTP/1.1 500 Internal Server Error"
    headers = {name.lower(): value for name, _, value in (x.partition(": ") for x in lines[1:])}
    assert headers["connection"] == "close"
    assert headers["content-security-policy"] == API_POLICY
    assert json.loads(body) == {"detail": "internal server error"}
