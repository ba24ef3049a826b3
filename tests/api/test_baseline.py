"""The baseline questionnaire through the API, on both stores."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import signed_in

UK_FLAT: dict[str, str | int] = {
    "home_size": "small",
    "heating_fuel": "gas",
    "heating_kwh": "unknown",
    "household_size": 2,
    "electricity_kwh": "unknown",
    "car_fuel": "petrol",
    "car_size": "medium",
    "car_distance": "8000 km",
    "bus_km_week": "unknown",
    "rail_km_week": 0,
    "flights_domestic": 0,
    "flights_short_haul": 0,
    "flights_long_haul": 1,
    "diet": "vegetarian",
}


def test_questions_are_listed_with_their_typical_help(client: TestClient) -> None:
    body = client.get("/api/baseline/questions").json()
    assert body["unknown"] == "unknown"
    assert body["version"] == 1
    by_id = {q["questionId"]: q for q in body["items"]}
    assert len(by_id) >= 12
    assert by_id["diet"]["options"][0] == "vegan"
    assert not by_id["diet"]["unknownAllowed"]
    assert by_id["electricity_kwh"]["unknownAllowed"]
    assert "Ofgem" in by_id["electricity_kwh"]["typicalHelp"]


def test_no_baseline_is_404_then_put_gives_the_estimate(client: TestClient) -> None:
    headers = signed_in(client, country="GB")
    assert client.get("/api/baseline", headers=headers).status_code == 404
    response = client.put("/api/baseline", json={"answers": UK_FLAT}, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    # Hand-computed in tests/unit/test_baseline.py: gas 689.5125, electricity 194.211, car
    # 1,492.72, bus 47.7952, flight 2,289.7801, vegetarian diet 1,390.65 kg a year.
    assert body["co2eKgPerYear"] == pytest.approx(6_104.6688, abs=0.01)
    assert body["byCategory"]["heating"] == pytest.approx(689.5125)
    assert body["version"] == 1
    assert body["answers"]["household_size"] == "2"
    line = next(line for line in body["lines"] if line["category"] == "flights")
    assert line["dataset"] == "defra-ghg-cf-2020"
    assert line["factorId"].endswith("with-rf")
    assert any("purchases" in note for note in body["notes"])
    assert client.get("/api/baseline", headers=headers).json() == body


def test_answering_again_rewrites_and_bumps_the_version(client: TestClient) -> None:
    headers = signed_in(client, country="GB")
    first = client.put("/api/baseline", json={"answers": UK_FLAT}, headers=headers).json()
    vegan = {**UK_FLAT, "diet": "vegan"}
    second = client.put("/api/baseline", json={"answers": vegan}, headers=headers).json()
    assert second["version"] == 2
    assert second["createdAt"] == first["createdAt"]
    assert second["byCategory"]["food"] == pytest.approx(2.89 * 365)


def test_the_estimate_follows_the_users_country(client: TestClient) -> None:
    headers = signed_in(client, country="FR")
    body = client.put("/api/baseline", json={"answers": UK_FLAT}, headers=headers).json()
    electricity = next(line for line in body["lines"] if line["category"] == "electricity")
    assert electricity["factorId"] == "ember:grid-intensity:FRA"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pets": 1}, "pets"),
        ({"diet": "carnivore"}, "diet"),
        ({"household_size": 0}, "household_size"),
        ({"car_distance": "far"}, "car_distance"),
    ],
)
def test_bad_answers_are_a_422_naming_the_question(
    client: TestClient, change: dict[str, object], field: str
) -> None:
    headers = signed_in(client, country="GB")
    response = client.put("/api/baseline", json={"answers": {**UK_FLAT, **change}}, headers=headers)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert client.get("/api/baseline", headers=headers).status_code == 404


def test_bad_bodies_are_422_and_anonymous_is_401(client: TestClient) -> None:
    headers = signed_in(client)
    for body in ({}, {"answers": []}, {"answers": {"diet": None}}, {"answers": {}, "x": 1}):
        assert client.put("/api/baseline", json=body, headers=headers).status_code == 422
    assert client.get("/api/baseline").status_code == 401
    assert client.put("/api/baseline", json={"answers": UK_FLAT}).status_code == 401
