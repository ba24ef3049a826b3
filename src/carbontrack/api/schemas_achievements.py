"""Achievement and recommendation response bodies (camelCase)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from carbontrack.api.schemas import Body

Status = Literal["committed", "completed"]


class AchievementOut(Body):
    achievement_id: str
    title: str
    description: str
    tier: Literal["bronze", "silver", "gold", "platinum"]
    points: int
    earned_at: datetime | None
    progress: float


class AchievementList(Body):
    level: int
    points: int
    next_level_points: int | None
    items: list[AchievementOut]


class RecommendationOut(Body):
    action_id: str
    title: str
    category: str
    effort: Literal["low", "medium", "high"]
    estimated_savings_kg_per_year: float | None
    rationale: str
    general: bool
    # True: no numbers of the user's own (no baseline, under a month of logs); see /start.
    typical: bool
    status: Status | None


class RecommendationList(Body):
    items: list[RecommendationOut]


class CommitmentOut(Body):
    action_id: str
    status: Status
    committed_at: datetime
    completed_at: datetime | None
