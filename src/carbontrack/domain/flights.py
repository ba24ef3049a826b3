"""Flights by route: distance, DEFRA haul, cabin and factor for an airport pair. Pure.

The rules and their sources are in docs/data-sources.md ("Flights by route").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from carbontrack.domain.errors import InvalidInput

Cabin = Literal["average", "economy", "premium-economy", "business", "first"]
Haul = Literal["domestic", "short-haul", "long-haul", "international"]
CABINS: tuple[Cabin, ...] = get_args(Cabin)
MAX_PASSENGERS = 9

# BEIS/DEFRA 2020 methodology paper (aviation): great-circle distances are uplifted by 8 % for
# routes that are not great circles, stacking and delays.
UPLIFT = 0.08
# DEFRA: short haul is "to/from UK, to Europe, up to 3,700 km"; long haul is beyond 3,700 km.
SHORT_HAUL_MAX_KM = 3700.0
UK = "GB"  # ISO 3166-1 alpha-2 of the United Kingdom, as airportsdata gives it
# Two codes closer than this are one airport (Basel-Mulhouse is BSL and MLH): the shortest
# scheduled flight, Westray to Papa Westray in Orkney, is about 2.7 km.
MIN_FLIGHT_KM = 1.0

_ID_PREFIX = "defra:ghg-cf-2020:business-travel-air.flights."
_HAUL_SLUG: dict[Haul, str] = {
    "domestic": "domestic-to-from-uk",
    "short-haul": "short-haul-to-from-uk",
    "long-haul": "long-haul-to-from-uk",
    "international": "international-to-from-non-uk",
}
# The classes DEFRA 2020 publishes per haul; any other cabin uses the nearest row (see docs).
_CABIN_ROWS: dict[Haul, dict[Cabin, Cabin]] = {
    "domestic": dict.fromkeys(CABINS, "average"),
    "short-haul": {
        "average": "average",
        "economy": "economy",
        "premium-economy": "economy",
        "business": "business",
        "first": "business",
    },
    "long-haul": {c: c for c in CABINS},
    "international": {c: c for c in CABINS},
}
_CABIN_SLUG: dict[Cabin, str] = {
    "average": "average-passenger",
    "economy": "economy-class",
    "premium-economy": "premium-economy-class",
    "business": "business-class",
    "first": "first-class",
}


@dataclass(frozen=True, slots=True)
class Airport:
    """An airport with an IATA code, as the airports dataset gives it."""

    iata: str
    name: str
    city: str
    country: str  # ISO 3166-1 alpha-2
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class FlightPlan:
    """What a route logs: the factor to use, passenger-km, and the steps that led there."""

    factor_id: str
    haul: Haul
    cabin: Cabin  # the DEFRA row's class, which may differ from the one asked for
    distance_km: float  # one way, great circle plus the uplift, rounded to 0.1 km
    passenger_km: float
    resolution: tuple[str, ...]


def great_circle_km(origin: Airport, destination: Airport) -> float:
    """The geodesic distance between two airports on the WGS84 ellipsoid, in km."""
    # Imported here: the API schemas import this module, and a request that logs no flight
    # should not pay for geographiclib at a Lambda cold start.
    from geographiclib.geodesic import Geodesic

    line = Geodesic.WGS84.Inverse(origin.lat, origin.lon, destination.lat, destination.lon)
    return float(line["s12"]) / 1000.0


def haul_of(origin: Airport, destination: Airport, *, great_circle: float) -> Haul:
    """DEFRA's haul for a route: by the UK ends, then by the great-circle distance."""
    uk_ends = (origin.country == UK) + (destination.country == UK)
    if uk_ends == 2:
        return "domestic"
    if uk_ends == 0:
        return "international"
    return "short-haul" if great_circle <= SHORT_HAUL_MAX_KM else "long-haul"


def factor_id_for(haul: Haul, cabin: Cabin, *, radiative_forcing: bool) -> str:
    """The DEFRA 2020 flight factor id for a haul, a published cabin row and RF."""
    rf = "with-rf" if radiative_forcing else "without-rf"
    return f"{_ID_PREFIX}{_HAUL_SLUG[haul]}.{_CABIN_SLUG[cabin]}.{rf}"


def plan_flight(
    origin: Airport,
    destination: Airport,
    *,
    cabin: Cabin,
    passengers: int,
    return_trip: bool,
    radiative_forcing: bool = True,
) -> FlightPlan:
    """The factor, passenger-km and recorded steps for one booking of a route."""
    if origin.iata == destination.iata:
        raise InvalidInput("the departure and arrival airports are the same", field="route.to")
    if not 1 <= passengers <= MAX_PASSENGERS:
        raise InvalidInput(f"passengers must be 1 to {MAX_PASSENGERS}", field="route.passengers")
    great_circle = great_circle_km(origin, destination)
    if great_circle < MIN_FLIGHT_KM:
        raise InvalidInput(
            f"{origin.iata} and {destination.iata} are the same airport "
            f"({great_circle:.1f} km apart)",
            field="route.to",
        )
    distance = round(great_circle * (1 + UPLIFT), 1)
    haul = haul_of(origin, destination, great_circle=great_circle)
    row_cabin = _CABIN_ROWS[haul][cabin]
    legs = 2 if return_trip else 1
    return FlightPlan(
        factor_id=factor_id_for(haul, row_cabin, radiative_forcing=radiative_forcing),
        haul=haul,
        cabin=row_cabin,
        distance_km=distance,
        passenger_km=round(distance * passengers * legs, 1),
        resolution=_steps(
            origin, destination, great_circle=great_circle, distance=distance, haul=haul
        )
        + _booking_steps(
            cabin, row_cabin, haul=haul, passengers=passengers, legs=legs, rf=radiative_forcing
        ),
    )


def _steps(
    origin: Airport, destination: Airport, *, great_circle: float, distance: float, haul: Haul
) -> tuple[str, ...]:
    return (
        f"route {origin.iata}-{destination.iata} ({origin.city} to {destination.city})",
        f"distance {distance:,.1f} km one way: great circle {great_circle:,.1f} km plus 8 % "
        "for indirect routes and delays (DEFRA)",
        f"haul {haul} ({_HAUL_REASON[haul]})",
    )


_HAUL_REASON: dict[Haul, str] = {
    "domestic": "both airports in the UK",
    "short-haul": f"one end in the UK, great circle up to {SHORT_HAUL_MAX_KM:,.0f} km",
    "long-haul": f"one end in the UK, great circle over {SHORT_HAUL_MAX_KM:,.0f} km",
    "international": "neither airport in the UK",
}


def _booking_steps(
    cabin: Cabin, row_cabin: Cabin, *, haul: Haul, passengers: int, legs: int, rf: bool
) -> tuple[str, ...]:
    cabin_step = f"cabin {cabin}"
    if row_cabin != cabin:
        cabin_step += f" (DEFRA gives {row_cabin} for {haul} flights)"
    trip = "return: distance counted twice" if legs == 2 else "one way"
    rf_step = (
        "with RF: includes the extra warming of emissions at altitude (radiative forcing), "
        "as DEFRA recommends"
        if rf
        else "without RF: CO2, CH4 and N2O only; the extra warming at altitude is left out"
    )
    return (cabin_step, f"{passengers} passenger{'s' if passengers > 1 else ''}", trip, rf_step)
