"""The emission-factor catalogue (public reference data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from carbontrack.api.deps import CurrentUser, StoreDep
from carbontrack.api.responses import model_response
from carbontrack.api.schemas import EstimateOut, FactorList, FactorOut
from carbontrack.services import entries, equivalents, factors

router = APIRouter(prefix="/api/factors", tags=["factors"])


@router.get("", response_model=FactorList)
def search_factors(
    store: StoreDep,
    q: Annotated[str, Query(max_length=200, description="Words that must all appear")] = "",
    category: Annotated[str | None, Query(max_length=40)] = None,
    region: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    """Search factors by words, category and region."""
    found = factors.search(store=store, q=q, category=category, region=region, limit=limit)
    return model_response(FactorList, {"items": found})


@router.get("/{factor_id}", response_model=FactorOut)
def get_factor(factor_id: str, store: StoreDep) -> Response:
    """One factor by id."""
    return model_response(FactorOut, factors.get(store=store, factor_id=factor_id))


@router.get("/{factor_id}/estimate", response_model=EstimateOut)
def estimate(
    factor_id: str,
    user: CurrentUser,
    store: StoreDep,
    quantity: Annotated[float, Query(description="How much, in `unit`")],
    unit: Annotated[str, Query(min_length=1, max_length=40)],
) -> Response:
    """kg CO2e that logging this now would record, computed as saving does; writes nothing."""
    data = entries.EntryInput(factor_id=factor_id, quantity=quantity, unit=unit.strip())
    preview = entries.preview_entry(store=store, user=user, data=data)
    body = {
        "factor_id": factor_id,
        "quantity": preview.quantity,
        "unit": preview.unit,
        "co2e_kg": preview.co2e_kg,
        "factor": preview.factor,
        "equivalents": equivalents.for_co2e(store=store, co2e_kg=preview.co2e_kg),
    }
    return model_response(EstimateOut, body)
