"""`OperatorUser`: operators pass; anyone else gets the very 404 of a path no route serves."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from carbontrack.api.deps import OperatorUser
from carbontrack.services import accounts, sessions
from tests.api.helpers import login, register

PROBE = "/api/inventory/probe-for-tests"
UNKNOWN = "/api/inventory/no-such-route"


@pytest.fixture
def probed(client: TestClient) -> TestClient:
    """The app with one throw-away route behind `OperatorUser`."""
    app: FastAPI = client.app  # type: ignore[assignment]

    @app.api_route(PROBE, methods=["GET", "POST"])
    def probe(user: OperatorUser) -> dict[str, str]:
        return {"email": user.email}

    return client


def _answer(client: TestClient, path: str, headers: dict[str, str]) -> tuple[int, bytes, str]:
    response = client.get(path, headers=headers)
    return response.status_code, response.content, response.headers["content-type"]


def test_an_ordinary_user_and_a_stranger_cannot_tell_the_route_exists(probed: TestClient) -> None:
    user = register(probed)
    ordinary = login(probed, email=user["email"], password=user["password"])
    for headers in (ordinary, {}, {"Authorization": "Bearer not-a-token"}):
        answer = _answer(probed, PROBE, headers)
        assert answer == _answer(probed, UNKNOWN, headers)
        assert answer[:2] == (404, b'{"detail":"Not Found"}')


def test_an_operator_passes_and_loses_it_when_revoked(probed: TestClient) -> None:
    user = register(probed)
    headers = login(probed, email=user["email"], password=user["password"])
    store = probed.app.state.store  # type: ignore[attr-defined]
    accounts.grant_operator(store=store, email=user["email"])
    response = probed.get(PROBE, headers=headers)
    assert (response.status_code, response.json()) == (200, {"email": user["email"]})
    accounts.grant_operator(store=store, email=user["email"], operator=False)
    assert probed.get(PROBE, headers=headers).status_code == 404


def test_a_cookie_post_without_csrf_is_403_for_an_operator_only(probed: TestClient) -> None:
    user = register(probed)
    token = login(probed, email=user["email"], password=user["password"])["Authorization"][7:]
    probed.cookies.set(sessions.SESSION_COOKIE, token)
    assert probed.post(PROBE).status_code == 404
    assert probed.post(UNKNOWN).status_code == 404
    accounts.grant_operator(store=probed.app.state.store, email=user["email"])  # type: ignore[attr-defined]
    assert probed.post(PROBE).status_code == 403
    assert probed.get(PROBE).json() == {"email": user["email"]}
