"""GET /api/flights/estimate, on both stores: what a route would log, equal to what it logs."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.helpers import signed_in
from tests.api.test_flights import FLIGHTS, one_way_km

ESTIMATE = "/api/flights/estimate"


def estimate(client: TestClient, headers: dict[str, str], **params: Any) -> Any:
    response = client.get(ESTIMATE, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_return_economy_flight_lhr_jfk(client: TestClient) -> None:
    headers = signed_in(client)
    found = estimate(client, headers, **{"from": "lhr", "to": "JFK", "return": "true"})
    km = one_way_km("LHR", "JFK")
    assert found["from"]["iata"] == "LHR"
    assert found["to"]["city"] == "New York"
    assert (found["return"], found["passengers"], found["cabin"]) == (True, 1, "economy")
    assert found["haul"] == "long-haul"
    assert found["distanceKm"] == pytest.approx(km, abs=1e-9)
    assert found["passengerKm"] == pytest.approx(2 * km, abs=1e-9)
    # Long-haul, to/from UK > Economy class > With RF: 0.14615 kg CO2e per passenger.km
    assert found["co2eKg"] == pytest.approx(2 * km * 0.14615, rel=1e-12)
    assert found["factorId"] == FLIGHTS + "long-haul-to-from-uk.economy-class.with-rf"
    assert found["co2eKgPerUnit"] == 0.14615
    assert found["radiativeForcing"] is True
    assert "2020" in found["dataset"]


def test_the_estimate_is_what_saving_the_route_logs(client: TestClient) -> None:
    headers = signed_in(client)
    route = {"from": "LHR", "to": "CDG", "cabin": "business", "passengers": 3}
    found = estimate(client, headers, **route)
    saved = client.post("/api/entries", json={"route": route}, headers=headers)
    assert saved.status_code == 201, saved.text
    assert found["haul"] == "short-haul"
    assert found["co2eKg"] == saved.json()["co2eKg"]
    assert found["passengerKm"] == saved.json()["quantity"]
    assert found["factorId"] == saved.json()["factor"]["factorId"]
    listed = client.get("/api/entries", headers=headers).json()["items"]
    assert len(listed) == 1  # the estimate wrote nothing


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "XQZ", "to": "JFK"}, "route.from"),
        ({"from": "LHR", "to": "QQQ"}, "route.to"),
    ],
)
def test_an_unknown_airport_is_a_422_naming_it(
    client: TestClient, params: dict[str, str], field: str
) -> None:
    headers = signed_in(client)
    response = client.get(ESTIMATE, params=params, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert "unknown airport" in response.json()["detail"]


@pytest.mark.parametrize(
    "params",
    [
        {"to": "JFK"},
        {"from": "LHR", "to": "JFK", "passengers": "0"},
        {"from": "LHR", "to": "JFK", "passengers": "10"},
        {"from": "LHR", "to": "JFK", "cabin": "bunk"},
        {"from": "LHR", "to": "JFK", "return": "maybe"},
        {"from": "LHR", "to": "X" * 9},
    ],
)
def test_malformed_parameters_are_a_422(client: TestClient, params: dict[str, str]) -> None:
    headers = signed_in(client)
    response = client.get(ESTIMATE, params=params, headers=headers)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)


def test_the_estimate_needs_a_signed_in_user(client: TestClient) -> None:
    response = client.get(ESTIMATE, params={"from": "LHR", "to": "JFK"})
    assert response.status_code == 401
