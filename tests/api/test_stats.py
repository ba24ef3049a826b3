"""GET /api/stats on both stores: sums of logged entries, local days, trend and benchmarks."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from tests.api.factor_ids import FLIGHT_SHORT_ECONOMY_RF, PETROL_CAR, UK_GRID
from tests.api.helpers import signed_in

# Published DEFRA/BEIS 2020 factors (kg CO2e per unit), as in test_entries.py.
PETROL_CAR_PER_KM = 0.1743
UK_GRID_PER_KWH = 0.23314
SHORT_HAUL_RF_PER_PKM = 0.15298
# Our World in Data energy dataset, United Kingdom, 2023: electricity generated per person
# (kWh) and its carbon intensity (gCO2/kWh).
GB_KWH_PER_PERSON, GB_GCO2_PER_KWH = 4332.8, 237.589


def log(client: TestClient, headers: dict[str, str], **body: object) -> dict[str, Any]:
    response = client.post("/api/entries", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def stats(client: TestClient, headers: dict[str, str], **params: str) -> dict[str, Any]:
    response = client.get("/api/stats", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def _month_of_logs(client: TestClient) -> dict[str, str]:
    """A London user with a car trip on 31 January and three entries in February 2026."""
    headers = signed_in(client, country="GB", timeZone="Europe/London")
    log(
        client, headers, factorId=PETROL_CAR, quantity=100, unit="km", timestamp="2026-01-31T10:00Z"
    )
    log(client, headers, factorId=PETROL_CAR, quantity=50, unit="km", timestamp="2026-02-01T00:30Z")
    log(client, headers, factorId=UK_GRID, quantity=100, unit="kWh", timestamp="2026-02-10T12:00Z")
    log(
        client,
        headers,
        factorId=FLIGHT_SHORT_ECONOMY_RF,
        quantity=1000,
        unit="km",
        timestamp="2026-02-28T23:30Z",
    )
    return headers


def test_a_month_sums_its_entries_by_category(client: TestClient) -> None:
    headers = _month_of_logs(client)
    body = stats(client, headers, period="month", **{"from": "2026-02-01", "to": "2026-02-28"})
    transport, electricity = 50 * PETROL_CAR_PER_KM, 100 * UK_GRID_PER_KWH
    flights = 1000 * SHORT_HAUL_RF_PER_PKM
    assert (body["period"], body["from"], body["to"]) == ("month", "2026-02-01", "2026-02-28")
    assert body["totalCo2eKg"] == pytest.approx(transport + electricity + flights, abs=1e-6)
    assert body["byCategory"] == pytest.approx(
        {"transport": transport, "electricity": electricity, "flights": flights}, abs=1e-6
    )
    (point,) = body["series"]
    assert (point["start"], point["end"]) == ("2026-02-01", "2026-02-28")
    assert point["totalCo2eKg"] == body["totalCo2eKg"]
    january = 100 * PETROL_CAR_PER_KM
    assert body["previous"] == {
        "from": "2026-01-01",
        "to": "2026-01-31",
        "totalCo2eKg": pytest.approx(january, abs=1e-6),
    }
    change = transport + electricity + flights - january
    assert body["trend"]["changeKg"] == pytest.approx(change, abs=1e-6)
    assert body["trend"]["changePercent"] == pytest.approx(change / january * 100, abs=0.01)


def test_a_series_splits_the_range_at_month_boundaries(client: TestClient) -> None:
    headers = _month_of_logs(client)
    body = stats(client, headers, period="month", **{"from": "2026-01-15", "to": "2026-02-28"})
    assert [(p["start"], p["end"]) for p in body["series"]] == [
        ("2026-01-15", "2026-01-31"),
        ("2026-02-01", "2026-02-28"),
    ]
    assert body["series"][0]["byCategory"] == pytest.approx(
        {"transport": 100 * PETROL_CAR_PER_KM}, abs=1e-6
    )
    assert body["series"][1]["byCategory"]["transport"] == pytest.approx(
        50 * PETROL_CAR_PER_KM, abs=1e-6
    )
    # Not whole months: the previous range is as many days (45) just before.
    assert (body["previous"]["from"], body["previous"]["to"]) == ("2025-12-01", "2026-01-14")
    weeks = stats(client, headers, period="week", **{"from": "2026-02-01", "to": "2026-02-14"})
    assert [p["start"] for p in weeks["series"]] == ["2026-02-01", "2026-02-02", "2026-02-09"]
    assert [p["totalCo2eKg"] for p in weeks["series"]] == pytest.approx(
        [50 * PETROL_CAR_PER_KM, 0.0, 100 * UK_GRID_PER_KWH],
        abs=1e-6,  # 10 Feb: a Tuesday
    )


def test_an_entry_counts_on_its_local_day(client: TestClient) -> None:
    headers = signed_in(client, timeZone="America/New_York")
    # 04:30 UTC on 1 March is 23:30 on 28 February in New York (EST, UTC-5).
    entry = log(
        client, headers, factorId=UK_GRID, quantity=10, unit="kWh", timestamp="2026-03-01T04:30Z"
    )
    assert entry["day"] == "2026-02-28"
    kg = 10 * UK_GRID_PER_KWH
    february = stats(client, headers, period="day", **{"from": "2026-02-28", "to": "2026-02-28"})
    assert february["totalCo2eKg"] == pytest.approx(kg, abs=1e-6)
    march = stats(client, headers, period="month", **{"from": "2026-03-01", "to": "2026-03-31"})
    assert march["totalCo2eKg"] == 0.0
    assert march["previous"]["totalCo2eKg"] == pytest.approx(kg, abs=1e-6)


def test_moving_an_entry_moves_its_footprint(client: TestClient) -> None:
    headers = signed_in(client)
    entry = log(
        client, headers, factorId=UK_GRID, quantity=10, unit="kWh", timestamp="2026-02-10T12:00Z"
    )
    response = client.patch(
        f"/api/entries/{entry['entryId']}", json={"timestamp": "2026-03-05T12:00Z"}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["day"] == "2026-03-05"
    march = stats(client, headers, **{"from": "2026-03-01", "to": "2026-03-31"})
    assert march["totalCo2eKg"] == pytest.approx(10 * UK_GRID_PER_KWH, abs=1e-6)
    assert march["previous"]["totalCo2eKg"] == 0.0
    client.delete(f"/api/entries/{entry['entryId']}", headers=headers)
    assert stats(client, headers, **{"from": "2026-03-01", "to": "2026-03-31"})["byCategory"] == {}


def test_comparisons_carry_source_and_year_pro_rated(client: TestClient) -> None:
    headers = _month_of_logs(client)
    body = stats(client, headers, period="month", **{"from": "2026-02-01", "to": "2026-02-28"})
    budget, country = body["comparisons"]
    assert budget["source"].startswith("Hot or Cool Institute (2021)")
    assert budget["year"] == 2021
    assert budget["valueKg"] == pytest.approx(2500 * 28 / 365, abs=1e-6)
    assert budget["userKg"] == body["totalCo2eKg"]
    assert country["label"] == "Average per-person electricity emissions in United Kingdom"
    assert country["source"] == "Our World in Data energy dataset (Ember, Energy Institute)"
    assert (country["year"], country["category"], country["licence"]) == (
        2023,
        "electricity",
        "CC BY 4.0",
    )
    per_year = GB_KWH_PER_PERSON * GB_GCO2_PER_KWH / 1000
    assert country["valueKg"] == pytest.approx(per_year * 28 / 365, abs=1e-6)
    assert country["userKg"] == pytest.approx(100 * UK_GRID_PER_KWH, abs=1e-6)
    year = stats(client, headers, period="year", **{"from": "2024-01-01", "to": "2024-12-31"})
    assert year["comparisons"][0]["valueKg"] == 2500.0  # a leap year is still one year


def test_a_new_user_without_a_country_gets_zeros_and_a_note(client: TestClient) -> None:
    headers = signed_in(client, timeZone="Asia/Tokyo")
    body = stats(client, headers)
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Tokyo")).date()
    first = today.replace(day=1)
    assert (body["period"], body["from"]) == ("month", first.isoformat())
    assert date.fromisoformat(body["to"]).month == first.month
    assert (body["totalCo2eKg"], body["byCategory"]) == (0.0, {})
    assert body["trend"] == {"changeKg": 0.0, "changePercent": None}
    assert [c["id"] for c in body["comparisons"]] == ["lifestyle-budget-1.5c-2030"]
    assert body["comparisons"][0]["userKg"] == 0.0
    assert any("set your country" in note for note in body["notes"])


def test_today_is_in_the_default_period(client: TestClient) -> None:
    headers = signed_in(client)
    entry = log(client, headers, factorId=PETROL_CAR, quantity=10, unit="km")
    body = stats(client, headers, period="week")
    assert body["from"] <= entry["day"] <= body["to"]
    assert body["totalCo2eKg"] == pytest.approx(10 * PETROL_CAR_PER_KM, abs=1e-6)


@pytest.mark.parametrize(
    "params",
    [
        {"period": "decade"},
        {"from": "2026-02-30"},
        {"from": "yesterday"},
        {"from": "2026-03-02", "to": "2026-03-01"},
        {"from": "2020-01-01", "to": "2025-01-01"},  # 1,828 days: more than 5 years
    ],
)
def test_bad_parameters_are_422(client: TestClient, params: dict[str, str]) -> None:
    headers = signed_in(client)
    assert client.get("/api/stats", params=params, headers=headers).status_code == 422


def test_five_years_is_the_longest_range(client: TestClient) -> None:
    headers = signed_in(client)
    body = stats(client, headers, period="year", **{"from": "2020-01-01", "to": "2024-12-31"})
    assert len(body["series"]) == 5
    assert body["previous"] == {"from": "2015-01-01", "to": "2019-12-31", "totalCo2eKg": 0.0}


def test_stats_need_a_token(client: TestClient) -> None:
    assert client.get("/api/stats").status_code == 401
