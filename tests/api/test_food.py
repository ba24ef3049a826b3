"""Food through the API: portions, the caveat on factors, and entries on both stores."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import signed_in

BEEF = "owid:poore-nemecek-2018:beef-beef-herd"
BEEF_MEAL = "owid:poore-nemecek-2018:meal.beef"
# Poore & Nemecek (2018) via OWID: GHG emissions per kilogram of beef (beef herd).
BEEF_PER_KG = 99.48
CAVEAT = "global mean of many producers; the spread is wide"


def log(client: TestClient, headers: dict[str, str], **body: object) -> dict[str, object]:
    response = client.post("/api/entries", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_125_g_of_beef_is_logged_with_the_published_factor(client: TestClient) -> None:
    headers = signed_in(client)
    entry = log(client, headers, factorId=BEEF, quantity=0.125, unit="kg")
    assert entry["co2eKg"] == pytest.approx(0.125 * BEEF_PER_KG, rel=1e-12)  # 12.435
    assert entry["category"] == "food"
    factor = entry["factor"]
    assert isinstance(factor, dict)
    assert (factor["factorId"], factor["dataset"], factor["year"]) == (
        BEEF,
        "owid-poore-nemecek-2018",
        2010,
    )
    assert CAVEAT in factor["source"]


def test_a_burger_portion_is_logged_in_grams(client: TestClient) -> None:
    portions = client.get("/api/food/portions")
    assert portions.status_code == 200
    burger = next(p for p in portions.json()["items"] if p["portionId"] == "beef-burger-patty")
    assert (burger["factorId"], burger["grams"]) == (BEEF, 113.4)
    assert "quarter pound" in burger["source"]
    headers = signed_in(client)
    entry = log(client, headers, factorId=burger["factorId"], quantity=burger["grams"], unit="g")
    assert entry["co2eKg"] == pytest.approx(0.1134 * BEEF_PER_KG, rel=1e-12)  # 11.281 kg


def test_two_beef_meals(client: TestClient) -> None:
    headers = signed_in(client)
    entry = log(client, headers, factorId=BEEF_MEAL, quantity=2, unit="meals")
    # Recipe: 150 g beef (99.48) + 200 g potatoes (0.46) + 150 g other vegetables (0.53).
    per_meal = 0.150 * 99.48 + 0.200 * 0.46 + 0.150 * 0.53
    assert entry["co2eKg"] == pytest.approx(2 * per_meal, rel=1e-12)
    factor = entry["factor"]
    assert isinstance(factor, dict)
    assert factor["dataset"] == "owid-poore-nemecek-2018"
    assert "150 g beef-beef-herd x 99.48" in factor["source"]


def test_a_meal_is_not_a_mass(client: TestClient) -> None:
    headers = signed_in(client)
    response = client.post(
        "/api/entries", json={"factorId": BEEF_MEAL, "quantity": 300, "unit": "g"}, headers=headers
    )
    assert response.status_code == 422
    assert "a number of meals" in response.text


def test_food_factors_show_the_caveat(client: TestClient) -> None:
    response = client.get("/api/factors", params={"category": "food", "q": "beef", "limit": 10})
    assert response.status_code == 200
    items = response.json()["items"]
    assert {BEEF, BEEF_MEAL} <= {item["factorId"] for item in items}
    for item in items:
        assert CAVEAT in item["source"]
        assert CAVEAT in item["activity"]
