"""What each goal request costs on DynamoDB: a fixed number of calls, whatever the history."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, time

import httpx2 as httpx
from fastapi.testclient import TestClient

from carbontrack.domain.periods import period_start, shift
from carbontrack.store.dynamodb import DynamoStore
from tests.api.factor_ids import PETROL_CAR
from tests.api.helpers import calls_of, signed_in


def test_goal_requests_cost_a_fixed_number_of_calls(
    dynamo: tuple[TestClient, DynamoStore],
) -> None:
    client, store = dynamo
    headers = signed_in(client)
    this_month = period_start(datetime.now(UTC).date(), "month")
    for back in range(1, 13):  # a year of history: the requests must not read it
        day = shift(this_month, "month", -back)
        entry = {
            "factorId": PETROL_CAR,
            "quantity": 10 * back,
            "unit": "km",
            "timestamp": datetime.combine(day, time(12), UTC).isoformat(),
        }
        assert client.post("/api/entries", json=entry, headers=headers).status_code == 201

    def post(body: dict[str, object]) -> httpx.Response:
        return client.post("/api/goals", json=body, headers=headers)

    # The user, the owner's goals (limit and duplicates), one month-totals read for both the
    # baseline and the progress, the write; then the achievements hook: the user's awards
    # (a Query) and, for the first goal only, the "first goal" award (a TransactWriteItems:
    # the award and its id on the user's totals).
    reduction = {"kind": "reduction", "period": "year", "targetReductionPercent": 10}
    first = calls_of(store, lambda: post(reduction), 201)
    assert first == Counter(
        {"GetItem": 1, "Query": 2, "BatchGetItem": 1, "PutItem": 1, "TransactWriteItems": 1}
    )
    budget = {"kind": "budget", "period": "month", "targetCo2eKg": 100}
    second = calls_of(store, lambda: post(budget), 201)
    assert second == Counter({"GetItem": 1, "Query": 2, "BatchGetItem": 1, "PutItem": 1})
    response = post({"kind": "budget", "period": "week", "targetCo2eKg": 30})
    url = f"/api/goals/{response.json()['goalId']}"

    listing = calls_of(store, lambda: client.get("/api/goals", headers=headers), 200)
    assert listing == Counter({"GetItem": 1, "Query": 1, "BatchGetItem": 1})
    one = calls_of(store, lambda: client.get(url, headers=headers), 200)
    assert one == Counter({"GetItem": 2, "BatchGetItem": 1})
    patch = {"targetCo2eKg": 20}
    patched = calls_of(store, lambda: client.patch(url, json=patch, headers=headers), 200)
    assert patched == Counter({"GetItem": 2, "UpdateItem": 1, "BatchGetItem": 1})
    deleted = calls_of(store, lambda: client.delete(url, headers=headers), 204)
    assert deleted == Counter({"GetItem": 1, "DeleteItem": 1})
