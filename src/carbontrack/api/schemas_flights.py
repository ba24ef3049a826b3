"""A flight's route as the services take it, and `GET /api/flights/estimate`'s answer."""

from __future__ import annotations

from pydantic import Field

from carbontrack.api.schemas import AirportOut, Body, RouteIn
from carbontrack.domain.flights import Cabin, Haul
from carbontrack.services.flights import RouteInput


def route_input(route: RouteIn) -> RouteInput:
    """The `route` of an entry, or the estimate's query, as `services.flights` takes it."""
    return RouteInput(
        origin=route.from_,
        destination=route.to,
        return_trip=route.return_,
        cabin=route.cabin,
        passengers=route.passengers,
        radiative_forcing=route.radiative_forcing,
    )


class FlightEstimateOut(Body):
    origin: AirportOut = Field(serialization_alias="from")
    destination: AirportOut = Field(serialization_alias="to")
    return_: bool = Field(serialization_alias="return")
    passengers: int
    haul: Haul = Field(description="DEFRA's haul: domestic, short-haul, long-haul, international")
    cabin: Cabin = Field(description="The DEFRA row's cabin, which may differ from the one asked")
    distance_km: float = Field(description="One way: great circle plus DEFRA's 8 % uplift")
    passenger_km: float = Field(description="Distance x legs x passengers: the entry's quantity")
    factor_id: str
    co2e_kg_per_unit: float = Field(description="The factor: kg CO2e per passenger-km")
    co2e_kg: float
    radiative_forcing: bool
    dataset: str
