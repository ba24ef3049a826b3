"""Entries over a period (a quarterly bill) through the API: validated, spread, shown once."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.factor_ids import UK_GRID
from tests.api.helpers import signed_in

# DEFRA/BEIS 2020, UK grid electricity generated: kg CO2e per kWh (as in test_entries.py).
UK_GRID_PER_KWH = 0.23314
BILL_KG = 900 * UK_GRID_PER_KWH  # 209.826 kg for a quarter's 900 kWh
Q1_DAYS = 31 + 28 + 31  # 1 January to 31 March 2026


def _bill(client: TestClient, headers: dict[str, str], **extra: object) -> Any:
    body = {
        "factorId": UK_GRID,
        "quantity": 900,
        "unit": "kWh",
        "timestamp": "2026-04-02T09:00Z",
        "periodStart": "2026-01-01",
        "periodEnd": "2026-03-31",
    }
    return client.post("/api/entries", json=body | extra, headers=headers)


def _total(client: TestClient, headers: dict[str, str], first: str, last: str) -> float:
    response = client.get("/api/stats", params={"from": first, "to": last}, headers=headers)
    assert response.status_code == 200, response.text
    return float(response.json()["totalCo2eKg"])


def test_a_quarterly_bill_is_one_entry_spread_over_its_days(client: TestClient) -> None:
    headers = signed_in(client)
    response = _bill(client, headers)
    assert response.status_code == 201, response.text
    entry = response.json()
    assert (entry["periodStart"], entry["periodEnd"]) == ("2026-01-01", "2026-03-31")
    assert entry["co2eKg"] == pytest.approx(BILL_KG, rel=1e-12)
    # February holds 28 of the quarter's 90 days: 209.826 x 28 / 90 = 65.2792 kg.
    assert _total(client, headers, "2026-02-01", "2026-02-28") == pytest.approx(65.2792, abs=1e-6)
    assert _total(client, headers, "2026-01-01", "2026-03-31") == pytest.approx(BILL_KG, abs=1e-6)
    assert _total(client, headers, "2026-04-01", "2026-04-30") == 0.0
    listed = client.get("/api/entries", headers=headers).json()["items"]
    assert [item["entryId"] for item in listed] == [entry["entryId"]]
    assert listed[0]["periodEnd"] == "2026-03-31"


def test_patching_the_period_moves_the_kg_and_null_clears_it(client: TestClient) -> None:
    headers = signed_in(client)
    entry = _bill(client, headers).json()
    url = f"/api/entries/{entry['entryId']}"
    moved = client.patch(
        url, json={"periodStart": "2026-01-01", "periodEnd": "2026-01-31"}, headers=headers
    )
    assert moved.status_code == 200, moved.text
    assert _total(client, headers, "2026-01-01", "2026-01-31") == pytest.approx(BILL_KG, abs=1e-6)
    assert _total(client, headers, "2026-02-01", "2026-03-31") == 0.0
    cleared = client.patch(url, json={"periodStart": None, "periodEnd": None}, headers=headers)
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["periodStart"] is None
    # Without a period the whole bill falls on the day it was logged, 2 April.
    assert _total(client, headers, "2026-04-02", "2026-04-02") == pytest.approx(BILL_KG, abs=1e-6)
    assert _total(client, headers, "2026-01-01", "2026-03-31") == 0.0


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"periodStart": "2026-03-01", "periodEnd": "2026-02-28"}, "periodEnd"),
        ({"periodStart": "2024-01-01", "periodEnd": "2025-01-01"}, "periodEnd"),  # 366 + 1 days
        ({"periodStart": None}, "periodStart"),
        ({"periodEnd": None}, "periodEnd"),
        ({"periodStart": "2026-02-30"}, "periodStart"),
        ({"periodStart": "20260101"}, "periodStart"),
        ({"periodStart": "1969-12-01", "periodEnd": "1969-12-31"}, "periodStart"),
    ],
)
def test_a_bad_period_is_a_clear_422(
    client: TestClient, extra: dict[str, object], field: str
) -> None:
    headers = signed_in(client)
    response = _bill(client, headers, **extra)
    assert response.status_code == 422, response.text
    assert field in response.text
    assert client.get("/api/entries", headers=headers).json()["items"] == []


def test_a_period_may_end_tomorrow_but_not_later(client: TestClient) -> None:
    headers = signed_in(client)
    today = datetime.now(UTC).date()  # a fresh user's time zone is UTC
    tomorrow, later = today + timedelta(days=1), today + timedelta(days=2)
    ok = _bill(client, headers, timestamp=None, periodStart=str(today), periodEnd=str(tomorrow))
    assert ok.status_code == 201, ok.text
    refused = _bill(client, headers, timestamp=None, periodStart=str(today), periodEnd=str(later))
    assert refused.status_code == 422
    assert "periodEnd" in refused.text


def test_a_flight_takes_no_period(client: TestClient) -> None:
    headers = signed_in(client)
    response = client.post(
        "/api/entries",
        json={
            "route": {"from": "LHR", "to": "CDG"},
            "periodStart": "2026-01-01",
            "periodEnd": "2026-01-02",
        },
        headers=headers,
    )
    assert response.status_code == 422
    assert "period" in response.text


def _upload(client: TestClient, headers: dict[str, str], text: str) -> Any:
    files = {"file": ("entries.csv", text.encode(), "text/csv")}
    return client.post("/api/entries/import", files=files, headers=headers)


def test_csv_export_and_import_carry_the_period(client: TestClient) -> None:
    alice = signed_in(client)
    assert _bill(client, alice).status_code == 201
    export = client.get("/api/entries/export", headers=alice).text
    (row,) = csv.DictReader(io.StringIO(export))
    assert (row["periodStart"], row["periodEnd"]) == ("2026-01-01", "2026-03-31")
    bob = signed_in(client)
    imported = _upload(client, bob, export)
    assert imported.status_code == 201, imported.text
    (entry,) = client.get("/api/entries", headers=bob).json()["items"]
    assert (entry["periodStart"], entry["periodEnd"]) == ("2026-01-01", "2026-03-31")
    assert _total(client, bob, "2026-02-01", "2026-02-28") == pytest.approx(65.2792, abs=1e-6)


def test_csv_without_period_columns_still_imports(client: TestClient) -> None:
    headers = signed_in(client)
    text = f"timestamp,quantity,unit,factorId\r\n2026-02-03T08:00:00Z,10,kWh,{UK_GRID}\r\n"
    assert _upload(client, headers, text).status_code == 201
    (entry,) = client.get("/api/entries", headers=headers).json()["items"]
    assert (entry["periodStart"], entry["periodEnd"]) == (None, None)


def test_csv_rows_with_a_bad_period_are_row_errors(client: TestClient) -> None:
    headers = signed_in(client)
    text = (
        "timestamp,quantity,unit,factorId,periodStart,periodEnd\r\n"
        f"2026-02-03T08:00:00Z,10,kWh,{UK_GRID},2026-02-01,\r\n"
        f"2026-02-03T08:00:00Z,10,kWh,{UK_GRID},2026-02-01,2026-01-31\r\n"
        f"2026-02-03T08:00:00Z,10,kWh,{UK_GRID},=1+1,2026-01-31\r\n"
    )
    response = _upload(client, headers, text)
    assert response.status_code == 422, response.text
    errors = [(row["row"], row["field"]) for row in response.json()["errors"]]
    assert errors == [(2, "periodEnd"), (3, "periodEnd"), (4, "periodStart")]
    assert client.get("/api/entries", headers=headers).json()["items"] == []


def test_a_goal_says_how_many_days_its_projection_rests_on(client: TestClient) -> None:
    headers = signed_in(client)  # time zone UTC
    today = datetime.now(UTC).date()
    first = today.replace(day=1)
    # A bill over this month's days so far and tomorrow: 1 kWh a day of UK grid.
    days = (today - first).days + 2
    response = _bill(
        client,
        headers,
        quantity=days,
        timestamp=None,
        periodStart=str(first),
        periodEnd=str(today + timedelta(days=1)),
    )
    assert response.status_code == 201, response.text
    body = {"kind": "budget", "period": "month", "targetCo2eKg": 1000, "startDate": str(first)}
    goal = client.post("/api/goals", json=body, headers=headers)
    assert goal.status_code == 201, goal.text
    progress = goal.json()["progress"]
    elapsed = (today - first).days + 1
    assert progress["projectionDays"] == elapsed
    assert progress["currentCo2eKg"] == pytest.approx(elapsed * UK_GRID_PER_KWH, rel=1e-9)
    # Tomorrow's share is booked: in this month unless today is its last day.
    tomorrow_here = (today + timedelta(days=1)).month == today.month
    booked = UK_GRID_PER_KWH if tomorrow_here else 0.0
    assert progress["bookedCo2eKg"] == pytest.approx(booked, rel=1e-9)
