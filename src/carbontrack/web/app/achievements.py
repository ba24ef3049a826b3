"""/achievements: earned and locked achievements with progress, points and level."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from carbontrack.api.deps import StoreDep
from carbontrack.domain.achievements import LEVEL_THRESHOLDS
from carbontrack.services import achievements
from carbontrack.web.app.session import PageUser
from carbontrack.web.app.templating import render

router = APIRouter()


@router.get("/achievements", response_class=HTMLResponse)
def achievements_page(request: Request, user: PageUser, store: StoreDep) -> HTMLResponse:
    """Every achievement: earned ones with when, locked ones with how far along."""
    board = achievements.list_achievements(store=store, user=user, now=datetime.now(UTC))
    return render(
        request,
        "app/achievements.html",
        board=board,
        zone=ZoneInfo(user.time_zone),
        level_start=LEVEL_THRESHOLDS[board.level - 1],
        earned=[item for item in board.items if item.earned_at is not None],
        locked=[item for item in board.items if item.earned_at is None],
    )
