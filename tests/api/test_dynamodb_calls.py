"""What each API request costs on DynamoDB: a small, fixed number of calls, never a Scan."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx2 as httpx
from fastapi.testclient import TestClient

from carbontrack.store.dynamodb import DynamoStore
from tests.api.factor_ids import PETROL_CAR
from tests.api.helpers import calls_of, signed_in
from tests.store.factories import make_entry


def test_each_hot_request_costs_a_small_fixed_number_of_calls(
    dynamo: tuple[TestClient, DynamoStore],
) -> None:
    client, store = dynamo
    account = {"email": "calls@example.org", "password": "long enough", "name": "C"}
    register = calls_of(store, lambda: client.post("/api/register", json=account), 201)
    assert register == Counter({"UpdateItem": 1, "TransactWriteItems": 1})  # sign-ups counted

    login_body = {"email": account["email"], "password": account["password"]}
    response = client.post("/api/login", json=login_body)
    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
    login = calls_of(store, lambda: client.post("/api/login", json=login_body), 200)
    # The attempt counted for (email, address), address and email before the check, the
    # email item; then the pair's failures cleared and the attempt taken back from the others.
    assert login == Counter({"UpdateItem": 5, "GetItem": 1, "DeleteItem": 1})

    entry = {"factorId": PETROL_CAR, "quantity": 12, "unit": "km"}
    client.post("/api/entries", json=entry, headers=headers)  # warms the factor cache
    create = calls_of(store, lambda: client.post("/api/entries", json=entry, headers=headers), 201)
    # The user; the entry with its totals in one transaction; then awarding reads only
    # store-kept items, in one batch: the lifetime count with the award ids, recent months.
    assert create == Counter({"GetItem": 1, "TransactWriteItems": 1, "BatchGetItem": 1})

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
    # One update per limit, counting before the check (opening a window or adding to it),
    # and the email item; a refused attempt stops at the first limit it is over.
    for _ in range(3):  # the settings fixture's login_max_failures
        assert calls_of(store, lambda: client.post("/api/login", json=bad), 401) == Counter(
            {"UpdateItem": 3, "GetItem": 1}
        )
    refused = calls_of(store, lambda: client.post("/api/login", json=bad), 429)
    assert refused == Counter({"UpdateItem": 1})


def test_an_entry_write_awards_achievements_from_totals_never_from_history(
    dynamo: tuple[TestClient, DynamoStore],
) -> None:
    """Issue 4: an entry write reads one batch of small items for achievements, whatever the
    history: the lifetime item (count and award ids) and the recent months' totals."""
    client, store = dynamo
    account = {"email": "awards@example.org", "password": "long enough", "name": "A"}
    client.post("/api/register", json=account)
    login_body = {"email": account["email"], "password": account["password"]}
    token = client.post("/api/login", json=login_body).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    entry = {"factorId": PETROL_CAR, "quantity": 12, "unit": "km"}

    def write() -> httpx.Response:
        return client.post("/api/entries", json=entry, headers=headers)

    # The user, the factor (cold cache) and the entry with its totals; then the awarding:
    # one batch read (count, award ids, recent months) and one award with its id.
    first = calls_of(store, write, 201)
    assert first == Counter({"GetItem": 2, "TransactWriteItems": 2, "BatchGetItem": 1})
    for _ in range(60):
        write()
    tables: list[tuple[str, str]] = []

    def record(params: dict[str, object], model: object, **_: object) -> None:
        batch = params.get("RequestItems")
        named = params.get("TableName") or (next(iter(batch)) if isinstance(batch, dict) else "")
        tables.append((str(getattr(model, "name", "")), str(named)))

    events = store.client.meta.events
    events.register("before-parameter-build.dynamodb", record, unique_id="awards-tables")
    try:
        later = calls_of(store, write, 201)
    finally:
        events.unregister("before-parameter-build.dynamodb", unique_id="awards-tables")
    # 61 entries later: 3 calls (no new award is due between 50 and 100 entries).
    assert later == Counter({"GetItem": 1, "TransactWriteItems": 1, "BatchGetItem": 1})
    reads = sorted(pair for pair in tables if pair[0] != "TransactWriteItems")
    assert reads == [
        ("BatchGetItem", store.prefix + "rollups"),
        ("GetItem", store.prefix + "users"),
    ]


def test_stats_cost_two_calls_whatever_the_history(dynamo: tuple[TestClient, DynamoStore]) -> None:
    client, store = dynamo
    headers = signed_in(client)
    user_id = client.get("/api/profile", headers=headers).json()["userId"]
    start = datetime(2025, 1, 1, 8, tzinfo=UTC)
    history = [
        make_entry(user_id=user_id, timestamp=start + timedelta(hours=7 * n)) for n in range(1500)
    ]
    store.entries.add_many(history)  # 14 months, 3 to 4 entries a day
    month = calls_of(store, lambda: client.get("/api/stats?period=month", headers=headers), 200)
    assert month == Counter({"GetItem": 1, "BatchGetItem": 1})  # the user, two months
    year = "/api/stats?period=year&from=2025-01-01&to=2025-12-31"
    body = client.get(year, headers=headers).json()
    assert body["totalCo2eKg"] > 0
    assert calls_of(store, lambda: client.get(year, headers=headers), 200) == Counter(
        {"GetItem": 1, "BatchGetItem": 1}  # 24 months in one batch
    )
