"""Team request and response bodies. Responses carry totals and display names, never entries."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import StringConstraints

from carbontrack.api.schemas import Body
from carbontrack.api.schemas_goals import GoalIn, GoalOut, GoalProgressOut
from carbontrack.domain.teams import DISPLAY_NAME_MAX_CHARS, NAME_MAX_CHARS, Leaderboard
from carbontrack.services.goals import TrackedGoal
from carbontrack.services.team_stats import Dashboard

TeamName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX_CHARS)
]
DisplayName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=DISPLAY_NAME_MAX_CHARS)
]


class TeamIn(Body):
    name: TeamName
    display_name: DisplayName | None = None  # shown to other members; default: account name


class JoinIn(Body):
    code: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    display_name: DisplayName | None = None


class RoleIn(Body):
    role: Literal["owner", "admin", "member"]


class TeamGoalIn(GoalIn):
    """A personal goal's fields plus whom it counts: the whole team or each member."""

    scope: Literal["total", "per_member"]


class TeamOut(Body):
    team_id: str
    name: str
    role: str
    joined_at: datetime
    join_code: str | None  # owners and admins only
    join_code_expires_at: datetime | None


class TeamList(Body):
    items: list[TeamOut]


class MembershipOut(Body):
    team_id: str
    user_id: str
    role: str
    joined_at: datetime
    display_name: str


class MemberList(Body):
    items: list[MembershipOut]


class TeamGoalOut(GoalOut):
    scope: str | None

    @classmethod
    def of(cls, view: TrackedGoal) -> TeamGoalOut:
        """A personal goal's public fields, plus `scope` (the goal's `team_scope`)."""
        goal = view.goal
        shared = {name: getattr(goal, name) for name in GoalOut.model_fields if name != "progress"}
        progress = GoalProgressOut.model_validate(view.progress, from_attributes=True)
        return cls.model_validate({**shared, "scope": goal.team_scope, "progress": progress})


class TeamGoalList(Body):
    items: list[TeamGoalOut]


class DashboardOut(Body):
    team: TeamOut
    member_count: int
    month_start: date
    co2e_kg_this_month: float
    co2e_kg_last_month: float
    co2e_kg_by_category: dict[str, float]
    per_member_average_co2e_kg: float
    goals: list[TeamGoalOut]

    @classmethod
    def of(cls, board: Dashboard) -> DashboardOut:
        """The public shape of a dashboard."""
        return cls(
            team=TeamOut.model_validate(board.team, from_attributes=True),
            member_count=board.member_count,
            month_start=board.month_start,
            co2e_kg_this_month=board.co2e_kg_this_month,
            co2e_kg_last_month=board.co2e_kg_last_month,
            co2e_kg_by_category=board.co2e_kg_by_category,
            per_member_average_co2e_kg=board.per_member_average_co2e_kg,
            goals=[TeamGoalOut.of(goal) for goal in board.goals],
        )


class StandingOut(Body):
    rank: int | None
    display_name: str
    co2e_kg: float
    logged_days: int
    vs_average_percent: float | None
    is_you: bool


class LeaderboardOut(Body):
    month_start: date
    member_count: int
    active_members: int
    co2e_kg: float
    per_member_average_co2e_kg: float
    items: list[StandingOut]

    @classmethod
    def of(cls, board: Leaderboard) -> LeaderboardOut:
        """The public shape of a leaderboard: display names and totals only."""
        return cls(
            month_start=board.month_start,
            member_count=board.member_count,
            active_members=board.active_members,
            co2e_kg=board.co2e_kg,
            per_member_average_co2e_kg=board.per_member_average_co2e_kg,
            items=[StandingOut.model_validate(s, from_attributes=True) for s in board.standings],
        )
