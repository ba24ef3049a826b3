"""The signed-in user's achievements, level and points."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response

from carbontrack.api.deps import CurrentUser, StoreDep
from carbontrack.api.responses import model_response
from carbontrack.api.schemas_achievements import AchievementList
from carbontrack.services import achievements

router = APIRouter(prefix="/api/achievements", tags=["achievements"])


@router.get("", response_model=AchievementList)
def list_achievements(user: CurrentUser, store: StoreDep) -> Response:
    """Every achievement: earned ones with when, locked ones with progress (0..1)."""
    board = achievements.list_achievements(store=store, user=user, now=datetime.now(UTC))
    return model_response(AchievementList, board)
