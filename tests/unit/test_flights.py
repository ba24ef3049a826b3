"""Flights by route: distance, DEFRA haul, cabin rows and passenger-km, against sources."""

from __future__ import annotations

import math

import pytest
from geographiclib.geodesic import Geodesic

from carbontrack.datasets.airports import load_airports
from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.flights import Airport, plan_flight

# Coordinates as airportsdata 20260905 gives them (airports.csv, columns lat, lon).
LHR = Airport("LHR", "London Heathrow Airport", "London", "GB", 51.4706, -0.46194)
EDI = Airport("EDI", "Edinburgh Airport", "Edinburgh", "GB", 55.95, -3.3725)
CDG = Airport("CDG", "Charles de Gaulle International Airport", "Paris", "FR", 49.0128, 2.55)
JFK = Airport(
    "JFK", "John F Kennedy International Airport", "New York", "US", 40.639928, -73.778692
)
SIN = Airport("SIN", "Singapore Changi International Airport", "Singapore", "SG", 1.35019, 103.994)
LAX = Airport(
    "LAX", "Los Angeles International Airport", "Los Angeles", "US", 33.942496, -118.408049
)

DEFRA_ID = "defra:ghg-cf-2020:business-travel-air.flights."
MEAN_EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius R1, for the spherical cross-check


def geodesic_km(a: Airport, b: Airport) -> float:
    """Karney's WGS84 geodesic (geographiclib, the published reference algorithm), km."""
    return float(Geodesic.WGS84.Inverse(a.lat, a.lon, b.lat, b.lon)["s12"]) / 1000


def haversine_km(a: Airport, b: Airport) -> float:
    """The great circle on a sphere: an independent check within the ellipsoid's 0.5 %."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * MEAN_EARTH_RADIUS_KM * math.asin(math.sqrt(h))


@pytest.mark.parametrize(
    ("origin", "destination", "haul", "cabin_row"),
    [
        # DEFRA 2020: "Long-haul, to/from UK", "Economy class", "With RF" = 0.14615 kg/pkm
        (LHR, JFK, "long-haul-to-from-uk", "economy-class"),
        # DEFRA 2020: "Short-haul, to/from UK", "Economy class", "With RF" = 0.15298 kg/pkm
        (LHR, CDG, "short-haul-to-from-uk", "economy-class"),
        # DEFRA 2020: "Domestic, to/from UK", "Average passenger", "With RF" = 0.2443 kg/pkm
        (LHR, EDI, "domestic-to-from-uk", "average-passenger"),
        (LHR, SIN, "long-haul-to-from-uk", "economy-class"),
        # DEFRA 2020: "International, to/from non-UK", "Economy class", "With RF" = 0.1392452
        (JFK, LAX, "international-to-from-non-uk", "economy-class"),
    ],
)
def test_route_distance_haul_and_factor(
    origin: Airport, destination: Airport, haul: str, cabin_row: str
) -> None:
    plan = plan_flight(origin, destination, cabin="economy", passengers=1, return_trip=True)
    great_circle = geodesic_km(origin, destination)
    assert great_circle == pytest.approx(haversine_km(origin, destination), rel=0.005)
    expected_km = round(great_circle * 1.08, 1)  # DEFRA's 8 % uplift
    assert plan.distance_km == expected_km
    assert plan.passenger_km == pytest.approx(2 * expected_km, abs=1e-9)
    assert plan.factor_id == f"{DEFRA_ID}{haul}.{cabin_row}.with-rf"
    assert plan.resolution[0].startswith(f"route {origin.iata}-{destination.iata}")
    assert f"{expected_km:,.1f} km one way" in plan.resolution[1]


def test_the_shipped_airports_are_the_quoted_ones() -> None:
    airports = load_airports()
    assert [airports[a.iata] for a in (LHR, EDI, CDG, JFK, SIN, LAX)] == [
        LHR,
        EDI,
        CDG,
        JFK,
        SIN,
        LAX,
    ]
    assert all(code == a.iata and len(code) == 3 for code, a in airports.items())


def test_one_way_passengers_multiply() -> None:
    plan = plan_flight(LHR, CDG, cabin="business", passengers=3, return_trip=False)
    assert plan.passenger_km == pytest.approx(3 * round(geodesic_km(LHR, CDG) * 1.08, 1))
    assert plan.factor_id == f"{DEFRA_ID}short-haul-to-from-uk.business-class.with-rf"
    assert "3 passengers" in plan.resolution


@pytest.mark.parametrize(
    ("cabin", "row"),
    [("first", "business-class"), ("premium-economy", "economy-class")],
)
def test_short_haul_cabins_without_a_defra_row_use_the_nearest(cabin: str, row: str) -> None:
    plan = plan_flight(LHR, CDG, cabin=cabin, passengers=1, return_trip=False)  # type: ignore[arg-type]
    assert plan.factor_id == f"{DEFRA_ID}short-haul-to-from-uk.{row}.with-rf"
    assert any(step.startswith(f"cabin {cabin} (DEFRA gives") for step in plan.resolution)


def test_long_haul_first_and_without_rf() -> None:
    plan = plan_flight(
        LHR, SIN, cabin="first", passengers=1, return_trip=False, radiative_forcing=False
    )
    assert plan.factor_id == f"{DEFRA_ID}long-haul-to-from-uk.first-class.without-rf"
    assert any(step.startswith("without RF") for step in plan.resolution)


def test_short_haul_ends_at_3700_km_of_great_circle() -> None:
    # Larnaca is 3,2xx km from Heathrow (short haul); Dubai 5,4xx km (long haul).
    lca = Airport("LCA", "Larnaca International Airport", "Larnaca", "CY", 34.8751, 33.6249)
    dxb = Airport("DXB", "Dubai International Airport", "Dubai", "AE", 25.2528, 55.3644)
    assert geodesic_km(LHR, lca) < 3700 < geodesic_km(LHR, dxb)
    assert (
        ".short-haul-to-from-uk."
        in plan_flight(LHR, lca, cabin="economy", passengers=1, return_trip=False).factor_id
    )
    assert (
        ".long-haul-to-from-uk."
        in plan_flight(LHR, dxb, cabin="economy", passengers=1, return_trip=False).factor_id
    )


def test_same_airport_and_passenger_bounds_are_invalid() -> None:
    with pytest.raises(InvalidInput) as same:
        plan_flight(LHR, LHR, cabin="economy", passengers=1, return_trip=False)
    assert same.value.field == "route.to"
    with pytest.raises(InvalidInput) as many:
        plan_flight(LHR, CDG, cabin="economy", passengers=10, return_trip=False)
    assert many.value.field == "route.passengers"


def test_two_codes_of_one_airport_are_not_a_flight() -> None:
    # EuroAirport Basel-Mulhouse: BSL (Switzerland) and MLH (France), the same runways.
    airports = load_airports()
    with pytest.raises(InvalidInput) as same:
        plan_flight(
            airports["BSL"], airports["MLH"], cabin="economy", passengers=1, return_trip=False
        )
    assert same.value.field == "route.to"
    assert "BSL and MLH are the same airport" in str(same.value)
