"""Reduction actions ranked by what they would save the user a year; commit and complete."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from carbontrack.api.deps import CurrentUser, StoreDep
from carbontrack.api.responses import model_response
from carbontrack.api.schemas_achievements import CommitmentOut, RecommendationList
from carbontrack.domain.models import ActionCommitment
from carbontrack.services import recommendations

router = APIRouter(prefix="/api/recommendations", tags=["recommendations"])


@router.get("", response_model=RecommendationList)
def list_recommendations(
    user: CurrentUser, store: StoreDep, limit: Annotated[int, Query(ge=1, le=50)] = 10
) -> Response:
    """The actions that would save you most a year, on your logs or your baseline estimate."""
    items = recommendations.list_recommendations(
        store=store, user=user, now=datetime.now(UTC), limit=limit
    )
    return model_response(RecommendationList, {"items": items})


@router.post("/{action_id}/commit", response_model=CommitmentOut)
def commit(action_id: str, user: CurrentUser, store: StoreDep) -> Response:
    """Commit to an action (again: no change)."""
    done = recommendations.commit(store=store, user=user, action_id=action_id, now=_now())
    return _commitment(done)


@router.post("/{action_id}/complete", response_model=CommitmentOut)
def complete(action_id: str, user: CurrentUser, store: StoreDep) -> Response:
    """Mark an action done, committing to it first if need be (again: no change)."""
    done = recommendations.complete(store=store, user=user, action_id=action_id, now=_now())
    return _commitment(done)


def _now() -> datetime:
    return datetime.now(UTC)


def _commitment(commitment: ActionCommitment) -> Response:
    body = {
        "action_id": commitment.action_id,
        "status": recommendations.status_of(commitment),
        "committed_at": commitment.committed_at,
        "completed_at": commitment.completed_at,
    }
    return model_response(CommitmentOut, body)
