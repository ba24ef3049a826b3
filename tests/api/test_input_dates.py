"""Dates from a client: out of range, number-like or loose input is a 422 naming the field.

Each URL here was a 500 (an OverflowError past year 1 or 9999 after a time-zone shift, the
day after `to`, or a previous range) or was read as a date it is not (`to=0` as 1970-01-01).
"""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.factor_ids import PETROL_CAR
from tests.api.helpers import signed_in

# Asia/Tokyo was +09:18:59 before 1888 (LMT), so its year-1 midnight is in year 0 in UTC.
ZONE = "Asia/Tokyo"
OUT_OF_RANGE = [
    ("/api/entries", {"to": "9999-12-31"}, "to"),
    ("/api/entries", {"from": "0001-01-01"}, "from"),
    ("/api/entries", {"from": "9999-12-31T23:59:59-05:00"}, "from"),
    ("/api/entries", {"to": "0001-01-01T00:00:00+05:00"}, "to"),
    ("/api/stats", {"from": "0001-01-01"}, "from"),
    ("/api/stats", {"to": "0001-01-02"}, "to"),
    ("/api/stats", {"from": "9999-12-31"}, "from"),
    ("/api/stats", {"to": "9999-12-31"}, "to"),
    ("/api/stats", {"period": "year", "to": "9999-06-01"}, "to"),
    ("/api/stats", {"period": "week", "from": "0001-01-01", "to": "0001-01-07"}, "from"),
]
NUMBER_LIKE = [
    ("/api/stats", {"to": "0"}, "to"),
    ("/api/stats", {"from": "1700000000"}, "from"),
    ("/api/stats", {"from": "20240101"}, "from"),
    ("/api/stats", {"to": "2024-W01-1"}, "to"),
    ("/api/stats", {"to": "2024-01-01T00:00"}, "to"),
    ("/api/entries", {"to": "0"}, "to"),
    ("/api/entries", {"from": "1700000000"}, "from"),
    ("/api/entries", {"from": "20240101"}, "from"),
    ("/api/entries", {"to": "2024-01-01 10:00"}, "to"),
]


def _refused(response: Any, field: str) -> None:
    assert response.status_code == 422, (response.request.url, response.text)
    body = response.json()
    assert body["field"] == field, body
    assert any(error["loc"][-1] == field for error in body["detail"]), body


def test_dates_past_what_the_code_can_represent_are_422s_naming_the_parameter(
    client: TestClient,
) -> None:
    headers = signed_in(client, timeZone=ZONE)
    for path, params, field in OUT_OF_RANGE:
        _refused(client.get(path, params=params, headers=headers), field)


def test_numbers_and_loose_iso_forms_are_not_dates(client: TestClient) -> None:
    headers = signed_in(client, timeZone=ZONE)
    for path, params, field in NUMBER_LIKE:
        _refused(client.get(path, params=params, headers=headers), field)


def test_the_first_and_last_days_accepted_still_answer(client: TestClient) -> None:
    headers = signed_in(client, timeZone=ZONE)
    body = {"factorId": PETROL_CAR, "quantity": 3, "unit": "km"}
    entry = client.post(
        "/api/entries", json={**body, "timestamp": "2026-01-02T03:04:05Z"}, headers=headers
    )
    assert entry.status_code == 201, entry.text
    every = {"from": "1900-01-01", "to": "2999-12-31"}
    listed = client.get("/api/entries", params=every, headers=headers)
    assert [e["entryId"] for e in listed.json()["items"]] == [entry.json()["entryId"]]
    for params in (
        {"period": "year", "from": "1900-01-01", "to": "1904-12-31"},
        {"period": "year", "to": "2999-12-31"},
        {"period": "week", "from": "2999-12-31"},
        {"period": "day", "from": "1900-01-01"},
    ):
        stats = client.get("/api/stats", params=params, headers=headers)
        assert stats.status_code == 200, (params, stats.text)
        assert stats.json()["totalCo2eKg"] == 0


BAD_TIMESTAMPS = [
    0,
    1700000000,
    "1700000000",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:00:00-05:00",
]


def test_an_entry_timestamp_is_iso_text_in_range(client: TestClient) -> None:
    headers = signed_in(client, timeZone=ZONE)
    body = {"factorId": PETROL_CAR, "quantity": 3, "unit": "km"}
    good = client.post(
        "/api/entries", json={**body, "timestamp": "2026-01-02T03:04Z"}, headers=headers
    )
    assert good.status_code == 201, good.text
    path = f"/api/entries/{good.json()['entryId']}"
    for timestamp in BAD_TIMESTAMPS:
        posted = client.post("/api/entries", json={**body, "timestamp": timestamp}, headers=headers)
        _refused(posted, "timestamp")
        _refused(client.patch(path, json={"timestamp": timestamp}, headers=headers), "timestamp")
    assert client.get(path, headers=headers).json()["timestamp"] == "2026-01-02T03:04:00Z"
    assert len(client.get("/api/entries", headers=headers).json()["items"]) == 1


def test_a_goal_start_date_is_a_day_in_range(client: TestClient) -> None:
    headers = signed_in(client)
    for start in (0, "0001-01-01", "9999-12-31", "2026-01-01T00:00", "20260101"):
        body = {"kind": "budget", "period": "week", "targetCo2eKg": 10, "startDate": start}
        _refused(client.post("/api/goals", json=body, headers=headers), "startDate")
    assert client.get("/api/goals", headers=headers).json()["items"] == []
