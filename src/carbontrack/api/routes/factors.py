"""The emission-factor catalogue (public reference data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from carbontrack.api.deps import StoreDep
from carbontrack.api.schemas import FactorList, FactorOut
from carbontrack.services import factors

router = APIRouter(prefix="/api/factors", tags=["factors"])


@router.get("", response_model=FactorList)
def search_factors(
    store: StoreDep,
    q: Annotated[str, Query(max_length=200, description="Words that must all appear")] = "",
    category: Annotated[str | None, Query(max_length=40)] = None,
    region: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> FactorList:
    """Search factors by words, category and region."""
    found = factors.search(store=store, q=q, category=category, region=region, limit=limit)
    return FactorList(items=[FactorOut.of(f) for f in found])


@router.get("/{factor_id}", response_model=FactorOut)
def get_factor(factor_id: str, store: StoreDep) -> FactorOut:
    """One factor by id."""
    return FactorOut.of(factors.get(store=store, factor_id=factor_id))
