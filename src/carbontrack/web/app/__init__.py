"""The web app: server-rendered pages over the same services as the API (docs/architecture.md).

`router` holds every area's pages; `install(app)` adds the session middleware and handlers.
"""

from __future__ import annotations

from fastapi import APIRouter

from carbontrack.web.app import (
    achievements,
    activities,
    auth,
    dashboard,
    front_door,
    goals,
    history,
    log_again,
    profile,
    recommendations,
    start,
    team_invite,
    teams,
)
from carbontrack.web.app.handlers import install

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)  # /register, /login, /logout
router.include_router(profile.router)  # /profile
router.include_router(goals.router)  # /goals
router.include_router(teams.router)  # /teams, /teams/{teamId}
router.include_router(team_invite.router)  # /join/<teamId>.<code>: an invite link
router.include_router(achievements.router)  # /achievements
router.include_router(recommendations.router)  # /recommendations
router.include_router(start.router)  # /start: the baseline questionnaire, /start/result
router.include_router(activities.router)  # /log
router.include_router(log_again.router)  # /log/again: one-tap repeat of a shortcut
router.include_router(history.router)  # /history, its edit, delete, import, export
router.include_router(dashboard.router)  # /
router.include_router(front_door.router)  # POST /demo: "Try the demo" on a local install

__all__ = ["install", "router"]
