"""What each API request costs on DynamoDB: a small, fixed number of calls, never a Scan."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from carbontrack.api.app import create_app
from carbontrack.settings import Settings
from carbontrack.store.dynamodb import DynamoStore
from carbontrack.store.dynamodb.metrics import CallCounter
from tests.api.factor_ids import PETROL_CAR
from tests.backends import dynamodb_store

Request = Callable[[], httpx.Response]


@pytest.fixture
def dynamo(
    aws_moto: None, settings: Settings, tmp_path: Path
) -> Iterator[tuple[TestClient, DynamoStore]]:
    store = dynamodb_store(tmp_path / "calls")
    with TestClient(create_app(settings, store=store)) as client:
        yield client, store
    store.close()


def calls_of(store: DynamoStore, request: Request, status: int) -> Counter[str]:
    with CallCounter(store.client) as calls:
        response = request()
    assert response.status_code == status, response.text
    return calls.counts()


def test_each_hot_request_costs_at_most_two_calls(dynamo: tuple[TestClient, DynamoStore]) -> None:
    client, store = dynamo
    account = {"email": "calls@example.org", "password": "long enough", "name": "C"}
    register = calls_of(store, lambda: client.post("/api/register", json=account), 201)
    assert register == Counter({"TransactWriteItems": 1})

    login_body = {"email": account["email"], "password": account["password"]}
    response = client.post("/api/login", json=login_body)
    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
    login = calls_of(store, lambda: client.post("/api/login", json=login_body), 200)
    assert login == Counter({"GetItem": 2})  # the throttle item and the email item

    entry = {"factorId": PETROL_CAR, "quantity": 12, "unit": "km"}
    client.post("/api/entries", json=entry, headers=headers)  # warms the factor cache
    create = calls_of(store, lambda: client.post("/api/entries", json=entry, headers=headers), 201)
    assert create == Counter({"GetItem": 1, "PutItem": 1})  # the user, the entry

    for _ in range(60):
        client.post("/api/entries", json=entry, headers=headers)
    page = calls_of(store, lambda: client.get("/api/entries?limit=50", headers=headers), 200)
    assert page == Counter({"GetItem": 1, "Query": 1})

    profile = calls_of(store, lambda: client.get("/api/profile", headers=headers), 200)
    assert profile == Counter({"GetItem": 1})


def test_failed_logins_cost_a_fixed_number_of_calls(
    dynamo: tuple[TestClient, DynamoStore],
) -> None:
    client, store = dynamo
    bad = {"email": "nobody@example.org", "password": "wrong one"}
    first = calls_of(store, lambda: client.post("/api/login", json=bad), 401)
    # Opening a failure window: the conditional update finds none, then a put starts one.
    assert first == Counter({"GetItem": 2, "UpdateItem": 1, "PutItem": 1})
    second = calls_of(store, lambda: client.post("/api/login", json=bad), 401)
    assert second == Counter({"GetItem": 2, "UpdateItem": 1})
