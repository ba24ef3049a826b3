"""GET /api/activities and POST /api/entries with an activityId (issue 13)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import signed_in

NATIONAL_RAIL = "defra:ghg-cf-2020:business-travel-land.rail.national-rail"
# DEFRA/BEIS 2020, Business travel - land > Rail > National rail: kg CO2e per passenger km.
DEFRA_NATIONAL_RAIL_PER_PKM = 0.03694
# Ember via co2.js, France 2024: 44.18 g CO2e per kWh.
EMBER_FRANCE_PER_KWH = 0.04418
# Poore & Nemecek (2018) via OWID, Beef (beef herd): 99.48 kg CO2e per kg.
OWID_BEEF_PER_KG = 99.48


def test_search_ranks_activities_first_then_raw_factors(client: TestClient) -> None:
    body = client.get("/api/activities", params={"q": "rail"}).json()
    assert body["items"][0]["activityId"] == "train-national-rail"
    assert body["items"][0]["factorId"] == NATIONAL_RAIL
    assert body["items"][0]["unit"] == "km"
    assert "rail" in body["items"][0]["synonyms"]
    assert body["version"] == "1"
    assert "food" in body["categories"]
    # Experts still reach the raw factor table, after the activities.
    assert body["factors"]
    assert NATIONAL_RAIL in [f["factorId"] for f in body["factors"]]


def test_search_tolerates_typos_and_filters_by_category(client: TestClient) -> None:
    found = client.get("/api/activities", params={"q": "electrisity"}).json()
    assert found["items"][0]["activityId"] == "electricity-home"
    assert found["factors"] == []  # the raw search wants the exact words
    heating = client.get("/api/activities", params={"category": "heating"}).json()["items"]
    assert heating
    assert {a["category"] for a in heating} == {"heating"}
    assert client.get("/api/activities", params={"limit": 2}).json()["items"].__len__() == 2


def test_a_query_that_finds_nothing_offers_the_categories(client: TestClient) -> None:
    body = client.get("/api/activities", params={"q": "zzqx"}).json()
    assert body["items"] == []
    assert body["factors"] == []
    assert body["categories"][:3] == ["transport", "flights", "electricity"]


def test_search_rejects_bad_parameters(client: TestClient) -> None:
    assert client.get("/api/activities", params={"category": "spaceflight"}).status_code == 422
    assert client.get("/api/activities", params={"limit": 0}).status_code == 422
    assert client.get("/api/activities", params={"q": "x" * 201}).status_code == 422


def test_get_one_activity(client: TestClient) -> None:
    flight = client.get("/api/activities/flight").json()
    assert flight["input"] == "route"
    assert flight["factorId"] is None
    assert "plane" in flight["synonyms"]
    missing = client.get("/api/activities/teleport")
    assert missing.status_code == 404
    assert "teleport" in missing.json()["detail"]


def test_log_an_activity_in_its_default_unit(client: TestClient) -> None:
    headers = signed_in(client)
    response = client.post(
        "/api/entries",
        json={"activityId": "train-national-rail", "quantity": 50},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    entry = response.json()
    assert entry["unit"] == "km"
    assert entry["co2eKg"] == pytest.approx(50 * DEFRA_NATIONAL_RAIL_PER_PKM, rel=1e-12)
    assert entry["factor"]["factorId"] == NATIONAL_RAIL
    assert entry["factor"]["resolution"] == [f"activity train-national-rail -> {NATIONAL_RAIL}"]


def test_log_an_activity_in_another_unit(client: TestClient) -> None:
    headers = signed_in(client)
    body = {"activityId": "food-beef", "quantity": 0.125, "unit": "kg"}
    entry = client.post("/api/entries", json=body, headers=headers).json()
    # A 125 g beef burger: 0.125 kg x 99.48 kg CO2e/kg = 12.435 kg CO2e.
    assert entry["co2eKg"] == pytest.approx(0.125 * OWID_BEEF_PER_KG, rel=1e-12)
    grams = {"activityId": "food-beef", "quantity": 125}
    assert client.post("/api/entries", json=grams, headers=headers).json()["co2eKg"] == (
        pytest.approx(0.125 * OWID_BEEF_PER_KG, rel=1e-12)
    )


def test_electricity_follows_the_profile_country(client: TestClient) -> None:
    headers = signed_in(client, country="FR")
    body = {"activityId": "electricity-home", "quantity": 100}
    entry = client.post("/api/entries", json=body, headers=headers).json()
    assert entry["factor"]["factorId"] == "ember:grid-intensity:FRA"
    assert entry["factor"]["requestedFactorId"] == "ember:grid-intensity:local"
    assert entry["factor"]["resolution"][0].startswith("activity electricity-home -> ")
    assert entry["co2eKg"] == pytest.approx(100 * EMBER_FRANCE_PER_KWH, rel=1e-12)


def test_editing_the_quantity_drops_the_activity_step_and_a_note_keeps_it(
    client: TestClient,
) -> None:
    headers = signed_in(client)
    body = {"activityId": "train-national-rail", "quantity": 50}
    entry = client.post("/api/entries", json=body, headers=headers).json()
    url = f"/api/entries/{entry['entryId']}"
    noted = client.patch(url, json={"note": "to Leeds"}, headers=headers).json()
    assert noted["factor"]["resolution"] == entry["factor"]["resolution"]
    changed = client.patch(url, json={"quantity": 10}, headers=headers).json()
    assert changed["factor"]["resolution"] == []
    assert changed["co2eKg"] == pytest.approx(10 * DEFRA_NATIONAL_RAIL_PER_PKM, rel=1e-12)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"activityId": "teleport", "quantity": 1}, "activityId"),
        ({"activityId": "flight", "quantity": 1}, "activityId"),
        ({"activityId": "train-national-rail", "quantity": 1, "unit": "kWh"}, "unit"),
    ],
)
def test_bad_activity_entries_are_422(
    client: TestClient, body: dict[str, object], field: str
) -> None:
    headers = signed_in(client)
    response = client.post("/api/entries", json=body, headers=headers)
    assert response.status_code == 422, response.text
    assert field in response.text


@pytest.mark.parametrize(
    "body",
    [
        {"activityId": "train-national-rail"},
        {"activityId": "train-national-rail", "factorId": NATIONAL_RAIL, "quantity": 1},
        {"activityId": "train-national-rail", "quantity": 1, "route": {"from": "LHR", "to": "CDG"}},
    ],
)
def test_activity_id_excludes_the_other_inputs(client: TestClient, body: dict[str, object]) -> None:
    headers = signed_in(client)
    assert client.post("/api/entries", json=body, headers=headers).status_code == 422
