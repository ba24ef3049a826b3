"""Recommendations and goal suggestions on a user's baseline, through the API on both stores.

Baselines are stored directly with hand-computed lines, so the numbers here rest on the
published factors alone (BEIS/DEFRA 2020, Ember 2024 via co2.js, Our World in Data).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from carbontrack.domain.baseline_model import Baseline, BaselineLine
from carbontrack.store.base import Store
from tests.api.factor_ids import PETROL_CAR
from tests.api.helpers import signed_in

Headers = dict[str, str]
# BEIS/DEFRA 2020, kg CO2e per unit
PETROL_CAR_KM = 0.1743
BEV_AVERAGE_CAR_KM = 0.05274
UK_GRID_KWH = 0.23314
EV_KWH_PER_KM = BEV_AVERAGE_CAR_KM / UK_GRID_KWH  # 0.2262 kWh/km
FRANCE_KWH = 0.04418  # Ember 2024 via co2.js, kg CO2e per kWh
MOTOR_GASOLINE = "epa:ghg-hub-2025:stationary-combustion.motor-gasoline.gallon"


def give_baseline(client: TestClient, headers: Headers, *lines: BaselineLine) -> None:
    user_id = client.get("/api/profile", headers=headers).json()["userId"]
    now = datetime.now(UTC)
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    store.baselines.put(Baseline(user_id, 1, {}, lines, now, now), expected_version=None)


def car(kg: float) -> BaselineLine:
    return BaselineLine("transport", kg, "petrol car, average size", PETROL_CAR, "defra-2020")


def recommended(client: TestClient, headers: Headers) -> dict[str, dict[str, Any]]:
    response = client.get("/api/recommendations?limit=50", headers=headers)
    assert response.status_code == 200, response.text
    return {item["actionId"]: item for item in response.json()["items"]}


def suggested(client: TestClient, headers: Headers) -> tuple[dict[str, Any], list[str]]:
    response = client.get("/api/goals/suggestions", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    return {item["suggestionId"]: item for item in body["items"]}, body["notes"]


def test_a_new_user_with_a_baseline_sees_their_own_numbers(client: TestClient) -> None:
    headers = signed_in(client, country="FR")
    give_baseline(client, headers, car(1450.0))
    items = recommended(client, headers)
    ev = items["car-to-ev"]
    # 1,450 / 0.1743 = 8,319 km x (0.1743 - 0.2262 x 0.04418) = 1,366.9 kg a year (French grid).
    km = 1450 / PETROL_CAR_KM
    expected = km * (PETROL_CAR_KM - EV_KWH_PER_KM * FRANCE_KWH)
    assert ev["estimatedSavingsKgPerYear"] == pytest.approx(expected, abs=0.05)
    assert next(iter(items)) == "car-to-ev"  # the biggest saving first
    assert "your estimate of 1,450 kg CO2e a year for transport" in ev["rationale"]
    assert "France" in ev["rationale"]
    for item in items.values():
        assert item["typical"] is False
        assert "General advice" not in item["rationale"]


def test_an_epa_gasoline_entry_is_transport(client: TestClient) -> None:
    headers = signed_in(client)
    when = (datetime.now(UTC) - timedelta(days=40)).isoformat()
    body = {"factorId": MOTOR_GASOLINE, "quantity": 50, "unit": "gallon", "timestamp": when}
    response = client.post("/api/entries", json=body, headers=headers)
    assert response.status_code == 201, response.text
    assert response.json()["category"] == "transport"
    # A tank of petrol is no heating: no thermostat saving computed from it.
    assert "thermostat-1c" not in recommended(client, headers)


def test_goal_suggestions_without_a_baseline_or_country(client: TestClient) -> None:
    headers = signed_in(client)
    items, notes = suggested(client, headers)
    assert set(items) == {"lifestyle-budget-1.5c"}
    budget = items["lifestyle-budget-1.5c"]
    # Hot or Cool Institute (2021): 2,500 kg a year / 12 = 208.3 kg a month.
    assert budget["targetCo2eKg"] == pytest.approx(208.3)
    assert (budget["kind"], budget["period"], budget["category"]) == ("budget", "month", None)
    assert "Hot or Cool Institute" in budget["source"]
    assert any("/start" in note for note in notes)
    assert any("country" in note for note in notes)


def test_goal_suggestions_with_a_baseline_and_a_country(client: TestClient) -> None:
    headers = signed_in(client, country="FR")
    give_baseline(client, headers, car(1450.0), BaselineLine("food", 1550.0, "mixed diet"))
    items, _ = suggested(client, headers)
    # (1,450 + 1,550) x 0.9 / 12 = 225 kg a month.
    assert items["baseline-minus-10"]["targetCo2eKg"] == pytest.approx(225.0)
    # Our World in Data, France 2023: 7,939.115 kWh x 56.039 g/kWh / 1000 / 12 = 37.1 kg.
    country = items["country-electricity"]
    assert country["targetCo2eKg"] == pytest.approx(7939.115 * 56.039 / 1000 / 12, abs=0.05)
    assert country["category"] == "electricity"
    # Each suggestion can be set as it is.
    chosen = {k: items["baseline-minus-10"][k] for k in ("kind", "period", "targetCo2eKg")}
    assert client.post("/api/goals", json=chosen, headers=headers).status_code == 201


def test_suggestions_need_a_token(client: TestClient) -> None:
    assert client.get("/api/goals/suggestions").status_code == 401


def test_nothing_logged_lately_and_no_baseline_is_typical_advice(client: TestClient) -> None:
    headers = signed_in(client)
    when = (datetime.now(UTC) - timedelta(days=120)).isoformat()
    body = {"factorId": PETROL_CAR, "quantity": 500, "unit": "km", "timestamp": when}
    assert client.post("/api/entries", json=body, headers=headers).status_code == 201
    items = recommended(client, headers)
    assert all(
        item["typical"] and item["estimatedSavingsKgPerYear"] is None for item in items.values()
    )
    # With a baseline the same user gets their own numbers.
    give_baseline(client, headers, car(1450.0))
    assert recommended(client, headers)["car-to-rail"]["estimatedSavingsKgPerYear"] > 0
