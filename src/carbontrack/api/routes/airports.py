"""Airports by IATA code, city or name, to log a flight by its route (public reference data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from carbontrack.api.responses import model_response
from carbontrack.api.schemas import AirportList
from carbontrack.services import flights

router = APIRouter(prefix="/api/airports", tags=["flights"])


@router.get("", response_model=AirportList)
def search_airports(
    q: Annotated[str, Query(max_length=100, description="IATA code, city or name words")] = "",
    limit: Annotated[int, Query(ge=1, le=flights.MAX_AIRPORTS)] = 10,
) -> Response:
    """Airports whose code, city or name hold every word of `q`; the exact code first."""
    found = flights.search_airports(query=q, limit=limit)
    return model_response(AirportList, {"items": found})
