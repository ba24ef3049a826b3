"""Everyday activities: plain words mapped to sourced factors (public reference data)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from carbontrack.api.deps import StoreDep
from carbontrack.api.responses import model_response
from carbontrack.api.schemas import ActivityList, ActivityOut
from carbontrack.datasets.activities import activities_version
from carbontrack.services import activities

router = APIRouter(prefix="/api/activities", tags=["activities"])


@router.get("", response_model=ActivityList)
def search_activities(
    store: StoreDep,
    q: Annotated[
        str, Query(max_length=200, description="Everyday words; typos are tolerated")
    ] = "",
    category: Annotated[str | None, Query(max_length=40)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    """Activities best first, then raw factors; nothing found gives empty lists and categories."""
    found = activities.search(store=store, q=q, category=category, limit=limit)
    body = {
        "items": found.items,
        "factors": found.factors,
        "categories": found.categories,
        "version": activities_version(),
    }
    return model_response(ActivityList, body)


@router.get("/{activity_id}", response_model=ActivityOut)
def get_activity(activity_id: str) -> Response:
    """One activity by id."""
    return model_response(ActivityOut, activities.get(activity_id=activity_id))
