"""Flights by route over the API, on both stores: POST /api/entries with a `route`, airports."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from geographiclib.geodesic import Geodesic

from tests.api.helpers import signed_in

# (lat, lon) as airportsdata 20260905 gives them (airports.csv).
COORDS = {
    "LHR": (51.4706, -0.46194),
    "JFK": (40.639928, -73.778692),
    "CDG": (49.0128, 2.55),
    "EDI": (55.95, -3.3725),
    "SIN": (1.35019, 103.994),
}
FLIGHTS = "defra:ghg-cf-2020:business-travel-air.flights."


def one_way_km(origin: str, destination: str) -> float:
    """WGS84 geodesic (geographiclib) plus DEFRA's 8 % uplift, to 0.1 km as entries record it."""
    (lat1, lon1), (lat2, lon2) = COORDS[origin], COORDS[destination]
    metres = float(Geodesic.WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"])
    return round(metres / 1000 * 1.08, 1)


def fly(client: TestClient, headers: dict[str, str], **route: Any) -> Any:
    response = client.post("/api/entries", json={"route": route}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize(
    ("origin", "destination", "row", "kg_per_pkm"),
    [
        # Business travel- air > Flights > Long-haul, to/from UK > Economy class > With RF: 0.14615
        ("LHR", "JFK", "long-haul-to-from-uk.economy-class.with-rf", 0.14615),
        # Business travel- air > Flights > Short-haul, to/from UK > Economy class > With RF: 0.15298
        ("LHR", "CDG", "short-haul-to-from-uk.economy-class.with-rf", 0.15298),
        # Business travel- air > Flights > Domestic, to/from UK > Average passenger > With RF:
        # 0.2443
        ("LHR", "EDI", "domestic-to-from-uk.average-passenger.with-rf", 0.2443),
        ("LHR", "SIN", "long-haul-to-from-uk.economy-class.with-rf", 0.14615),
    ],
)
def test_return_economy_flight_matches_defra(
    client: TestClient, origin: str, destination: str, row: str, kg_per_pkm: float
) -> None:
    headers = signed_in(client)
    entry = fly(client, headers, **{"from": origin, "to": destination, "return": True})
    km = one_way_km(origin, destination)
    assert entry["quantity"] == pytest.approx(2 * km, abs=1e-9)
    assert entry["unit"] == "km"
    assert entry["co2eKg"] == pytest.approx(2 * km * kg_per_pkm, rel=1e-12)
    assert entry["category"] == "flights"
    factor = entry["factor"]
    assert factor["factorId"] == FLIGHTS + row
    assert factor["co2eKgPerUnit"] == kg_per_pkm
    steps = factor["resolution"]
    assert steps[0].startswith(f"route {origin}-{destination}")
    assert f"{km:,.1f} km one way" in steps[1]
    assert steps[2].startswith("haul ")
    assert any(step.startswith("with RF") for step in steps)
    stored = client.get(f"/api/entries/{entry['entryId']}", headers=headers).json()
    assert stored["factor"]["resolution"] == steps


def test_business_passengers_one_way(client: TestClient) -> None:
    headers = signed_in(client)
    entry = fly(
        client, headers, **{"from": "lhr", "to": "jfk", "cabin": "business", "passengers": 2}
    )
    km = one_way_km("LHR", "JFK")
    # Long-haul, to/from UK > Business class > With RF: 0.42385 kg CO2e per passenger.km
    assert entry["co2eKg"] == pytest.approx(2 * km * 0.42385, rel=1e-12)
    assert "2 passengers" in entry["factor"]["resolution"]


def test_without_radiative_forcing(client: TestClient) -> None:
    headers = signed_in(client)
    entry = fly(client, headers, **{"from": "LHR", "to": "CDG", "radiativeForcing": False})
    # Short-haul, to/from UK > Economy class > Without RF: 0.08088 kg CO2e per passenger.km
    assert entry["co2eKg"] == pytest.approx(one_way_km("LHR", "CDG") * 0.08088, rel=1e-12)


@pytest.mark.parametrize(
    ("route", "field"),
    [
        ({"from": "XQX", "to": "JFK"}, "route.from"),
        ({"from": "LHR", "to": "ZZ9"}, "route.to"),
        ({"from": "LHR", "to": "lhr"}, "route.to"),
        # EuroAirport Basel-Mulhouse has two IATA codes, one for each country it serves.
        ({"from": "BSL", "to": "MLH"}, "route.to"),
    ],
)
def test_unknown_or_same_airports_are_422_naming_the_field(
    client: TestClient, route: dict[str, str], field: str
) -> None:
    response = client.post("/api/entries", json={"route": route}, headers=signed_in(client))
    assert response.status_code == 422
    assert response.json()["field"] == field


@pytest.mark.parametrize(
    "body",
    [
        {"route": {"from": "LHR", "to": "JFK"}, "factorId": FLIGHTS + "x", "quantity": 1},
        {"route": {"from": "LHR", "to": "JFK"}, "quantity": 1, "unit": "km"},
        {"quantity": 1, "unit": "km"},
        {},
        {"route": {"from": "LHR", "to": "JFK", "passengers": 10}},
        {"route": {"from": "LHR", "to": "JFK", "cabin": "bunk"}},
    ],
)
def test_factor_or_route_not_both_nor_neither(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post("/api/entries", json=body, headers=signed_in(client))
    assert response.status_code == 422, response.text
    assert response.json()["detail"]


def test_airport_search(client: TestClient) -> None:
    exact = client.get("/api/airports", params={"q": "jfk"}).json()["items"]
    assert exact[0] == {
        "iata": "JFK",
        "name": "John F Kennedy International Airport",
        "city": "New York",
        "country": "US",
    }
    london = client.get("/api/airports", params={"q": "London", "limit": 5}).json()["items"]
    assert len(london) == 5
    assert all(a["city"] == "London" for a in london)
    assert "LHR" in {
        a["iata"] for a in client.get("/api/airports", params={"q": "heathrow"}).json()["items"]
    }
    assert client.get("/api/airports", params={"q": ""}).json() == {"items": []}
    assert client.get("/api/airports", params={"limit": 0}).status_code == 422
