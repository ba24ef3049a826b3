"""Recommendations through the API on both stores: savings, general advice, commitments."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.factor_ids import FLIGHT_SHORT_ECONOMY_RF, PETROL_CAR
from tests.api.helpers import signed_in

Headers = dict[str, str]
PER_YEAR = 365 / 90
# Published BEIS/DEFRA 2020 conversion factors, kg CO2e per km.
PETROL_CAR_KM = 0.1743
NATIONAL_RAIL_KM = 0.03694
SHORT_HAUL_ECONOMY_RF_KM = 0.15298
ITEM_KEYS = {
    "actionId", "title", "category", "effort", "estimatedSavingsKgPerYear", "rationale",
    "general", "typical", "status",
}  # fmt: skip


def log(client: TestClient, headers: Headers, factor_id: str, km: float, days_ago: int) -> None:
    when = datetime.now(UTC) - timedelta(days=days_ago)
    body = {"factorId": factor_id, "quantity": km, "unit": "km", "timestamp": when.isoformat()}
    response = client.post("/api/entries", json=body, headers=headers)
    assert response.status_code == 201, response.text


def listed(client: TestClient, headers: Headers, query: str = "") -> list[dict[str, Any]]:
    response = client.get(f"/api/recommendations{query}", headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    for item in items:
        assert set(item) == ITEM_KEYS
    return items


def by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["actionId"]: item for item in items}


def post(client: TestClient, headers: Headers, action_id: str, verb: str) -> dict[str, Any]:
    response = client.post(f"/api/recommendations/{action_id}/{verb}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_a_new_user_gets_typical_advice_and_the_questionnaire(client: TestClient) -> None:
    headers = signed_in(client)
    items = listed(client, headers, "?limit=50")
    assert len(items) == 12
    assert {item["category"] for item in items} == {
        "transport", "flights", "home-energy", "waste", "purchases", "food",
    }  # fmt: skip
    for item in items:
        assert item["general"] is True
        assert item["typical"] is True
        assert item["estimatedSavingsKgPerYear"] is None
        assert "Typical advice, not yet computed for you" in item["rationale"]
        assert "/start" in item["rationale"]
        assert item["status"] is None
    assert len(listed(client, headers, "?limit=3")) == 3


def test_car_savings_match_the_factors_by_hand(client: TestClient) -> None:
    headers = signed_in(client)
    for day in range(10):  # 1,000 km by petrol car within the last 90 days
        log(client, headers, PETROL_CAR, 100, days_ago=day * 8)
    log(client, headers, PETROL_CAR, 500, days_ago=95)  # too old to count
    items = listed(client, headers)
    found = by_id(items)
    rail = found["car-to-rail"]
    expected = 400 * (PETROL_CAR_KM - NATIONAL_RAIL_KM) * PER_YEAR
    assert rail["estimatedSavingsKgPerYear"] == pytest.approx(expected, abs=0.05)
    assert rail["general"] is False
    assert "1,000 km by car" in rail["rationale"]
    assert "(174 kg CO2e)" in rail["rationale"]
    assert "on your logs of the last 90 days, scaled to a year" in rail["rationale"]
    ev = found["car-to-ev"]
    assert ev["effort"] == "high"
    # Ranked by kg saved a year (the EV on the World grid: no country set); food advice last.
    assert [i["actionId"] for i in items] == [
        "car-to-ev", "car-to-rail", "car-share", "car-to-bus", "plant-based-meals",
    ]  # fmt: skip
    food = found["plant-based-meals"]
    assert (food["general"], food["estimatedSavingsKgPerYear"]) == (True, None)


def test_a_short_haul_flight_suggests_rail_once_a_year(client: TestClient) -> None:
    headers = signed_in(client)
    log(client, headers, FLIGHT_SHORT_ECONOMY_RF, 1000, days_ago=40)  # over a month of logs
    flight = by_id(listed(client, headers))["flight-to-rail"]
    expected = 2 * 1000 * (SHORT_HAUL_ECONOMY_RF_KM - NATIONAL_RAIL_KM)
    assert flight["estimatedSavingsKgPerYear"] == pytest.approx(expected, abs=0.05)


def test_commit_then_complete(client: TestClient) -> None:
    headers = signed_in(client)
    log(client, headers, PETROL_CAR, 1000, days_ago=40)  # over a month of logs: own numbers
    committed = post(client, headers, "car-to-rail", "commit")
    assert committed["status"] == "committed"
    assert committed["completedAt"] is None
    assert post(client, headers, "car-to-rail", "commit") == committed  # no change
    assert by_id(listed(client, headers))["car-to-rail"]["status"] == "committed"

    done = post(client, headers, "car-to-rail", "complete")
    assert done["status"] == "completed"
    assert done["committedAt"] == committed["committedAt"]
    assert done["completedAt"] is not None
    assert post(client, headers, "car-to-rail", "complete") == done  # the first completion stays
    items = listed(client, headers)
    assert items[-1]["actionId"] == "car-to-rail"  # completed actions go last
    assert items[-1]["status"] == "completed"
    achievements = client.get("/api/achievements", headers=headers).json()["items"]
    first_action = next(a for a in achievements if a["achievementId"] == "first-action")
    assert first_action["earnedAt"] is not None


def test_completing_without_committing_commits_too(client: TestClient) -> None:
    headers = signed_in(client)
    done = post(client, headers, "thermostat-1c", "complete")
    assert done["status"] == "completed"
    assert done["committedAt"] == done["completedAt"]
    # Not computed for this user (no heating logged), but they committed: it stays listed.
    item = by_id(listed(client, headers, "?limit=50"))["thermostat-1c"]
    assert (item["status"], item["general"]) == ("completed", True)


def test_entries_and_commitments_are_private(client: TestClient) -> None:
    driver, walker = signed_in(client), signed_in(client)
    log(client, driver, PETROL_CAR, 1000, days_ago=1)
    post(client, driver, "car-share", "commit")
    items = listed(client, walker, "?limit=50")
    assert all(item["general"] for item in items)
    assert all(item["status"] is None for item in items)


@pytest.mark.parametrize("verb", ["commit", "complete"])
def test_unknown_actions_are_404(client: TestClient, verb: str) -> None:
    headers = signed_in(client)
    response = client.post(f"/api/recommendations/fly-to-mars/{verb}", headers=headers)
    assert response.status_code == 404
    assert "fly-to-mars" in response.json()["detail"]


def test_bad_limits_and_no_token(client: TestClient) -> None:
    headers = signed_in(client)
    for limit in ("0", "51", "ten"):
        assert client.get(f"/api/recommendations?limit={limit}", headers=headers).status_code == 422
    assert client.get("/api/recommendations").status_code == 401
    assert client.post("/api/recommendations/car-share/commit").status_code == 401
