"""What a flight would log, from its airports, before it is logged (the /log form's preview)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from carbontrack.api.deps import CurrentUser, StoreDep
from carbontrack.api.responses import model_response
from carbontrack.api.schemas import RouteIn
from carbontrack.api.schemas_flights import FlightEstimateOut, route_input
from carbontrack.services import flights

router = APIRouter(prefix="/api/flights", tags=["flights"])


@router.get("/estimate", response_model=FlightEstimateOut)
def estimate(user: CurrentUser, store: StoreDep, route: Annotated[RouteIn, Query()]) -> Response:
    """The distance, haul and kg CO2e that `POST /api/entries` with this `route` would log."""
    found = flights.estimate(
        store=store, user=user, route=route_input(route), now=datetime.now(UTC)
    )
    planned, entry = found.plan, found.entry
    body = {
        "origin": found.origin,
        "destination": found.destination,
        "return_": route.return_,
        "passengers": route.passengers,
        "haul": planned.haul,
        "cabin": planned.cabin,
        "distance_km": planned.distance_km,
        "passenger_km": planned.passenger_km,
        "factor_id": planned.factor_id,
        "co2e_kg_per_unit": entry.factor.co2e_kg_per_unit,
        "co2e_kg": entry.co2e_kg,
        "radiative_forcing": route.radiative_forcing,
        "dataset": entry.factor.dataset,
    }
    return model_response(FlightEstimateOut, body)
