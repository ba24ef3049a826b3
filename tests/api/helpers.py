"""Keyword-argument helpers that drive the API like a client would."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx2 as httpx
from fastapi.testclient import TestClient

from carbontrack.api.app import create_app
from carbontrack.settings import Settings
from carbontrack.store.dynamodb import DynamoStore
from carbontrack.store.dynamodb.metrics import CallCounter

_counter = itertools.count()


@contextmanager
def app_client(settings: Settings) -> Iterator[TestClient]:
    """A client of the app these settings build, on the store they name, closed afterwards."""
    app = create_app(settings)
    try:
        with TestClient(app) as client:
            yield client
    finally:
        app.state.store.close()


def register(
    client: TestClient,
    *,
    email: str | None = None,
    password: str = "correct horse",
    name: str = "Ada",
) -> dict[str, Any]:
    email = email or f"user{next(_counter)}@example.org"
    response = client.post(
        "/api/register", json={"email": email, "password": password, "name": name}
    )
    assert response.status_code == 201, response.text
    return {**response.json(), "password": password}


def from_address(client: TestClient, address: str) -> TestClient:
    """A client of the same app whose requests come from `address`."""
    return TestClient(client.app, client=(address, 50_000))


def login(client: TestClient, *, email: str, password: str) -> dict[str, str]:
    response = client.post("/api/login", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def signed_in(client: TestClient, **profile: Any) -> dict[str, str]:
    """Register a fresh user (optionally with a profile) and return auth headers."""
    user = register(client)
    headers = login(client, email=user["email"], password=user["password"])
    if profile:
        response = client.patch("/api/profile", json=profile, headers=headers)
        assert response.status_code == 200, response.text
    return headers


def calls_of(
    store: DynamoStore, request: Callable[[], httpx.Response], status: int
) -> Counter[str]:
    """The DynamoDB operations one request made, after checking its status."""
    with CallCounter(store.client) as calls:
        response = request()
    assert response.status_code == status, response.text
    return calls.counts()
