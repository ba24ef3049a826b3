"""A team's numbers: dashboard, leaderboard and team goals, from members' month totals only.

Nothing here reads an entry: every figure comes from `store.rollups.month_totals_many`
(on DynamoDB one BatchGetItem per 100 member-months), so a member sees other members' totals
and the team's sums, never what anyone logged.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from carbontrack.domain import goals, periods, teams
from carbontrack.domain.errors import InvalidInput, NotFound
from carbontrack.domain.models import Goal, Membership, MonthTotals, User
from carbontrack.services.goals import TrackedGoal
from carbontrack.services.teams import TeamView, member_of, view
from carbontrack.store.base import Store


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The team's aggregates for the viewer's current and previous local month."""

    team: TeamView
    member_count: int
    month_start: date
    co2e_kg_this_month: float
    co2e_kg_last_month: float
    co2e_kg_by_category: dict[str, float]  # this month
    per_member_average_co2e_kg: float  # this month, over every member
    goals: list[TrackedGoal]


@dataclass(frozen=True, slots=True)
class GoalInput:
    """A new team goal, as validated at the edge."""

    kind: str
    scope: str  # "total" | "per_member"
    period: str
    category: str | None = None
    target_reduction_percent: float | None = None
    target_co2e_kg: float | None = None
    start_date: date | None = None


def dashboard(*, store: Store, user: User, team_id: str) -> Dashboard:
    """Totals this month and last, by category, per member, and each goal's progress."""
    team, membership = member_of(store=store, user=user, team_id=team_id)
    today = _today(user)
    this_month = periods.period_start(today, "month")
    last_month = periods.shift(this_month, "month", -1)
    next_month = periods.shift(this_month, "month", 1)
    team_goals = store.goals.list_for_owner(teams.goal_owner_id(team_id))
    months = set(periods.month_keys(last_month, next_month))
    for goal in team_goals:
        months.update(goals.progress_months(goal, today=today))
    members = store.teams.members(team_id)
    summed = _summed_totals(store, members, sorted(months))
    this_kg = periods.total_kg(summed, this_month, next_month)
    return Dashboard(
        team=view(team, membership),
        member_count=len(members),
        month_start=this_month,
        co2e_kg_this_month=this_kg,
        co2e_kg_last_month=periods.total_kg(summed, last_month, this_month),
        co2e_kg_by_category=periods.by_category(summed, this_month, next_month),
        per_member_average_co2e_kg=this_kg / len(members) if members else 0.0,
        goals=[_goal_view(goal, summed, len(members), today) for goal in team_goals],
    )


def leaderboard(*, store: Store, user: User, team_id: str) -> teams.Leaderboard:
    """This month's standings: each member's own total, lowest first, against the average."""
    member_of(store=store, user=user, team_id=team_id)
    month_start = periods.period_start(_today(user), "month")
    members = store.teams.members(team_id)
    month = periods.month_keys(month_start, periods.shift(month_start, "month", 1))
    totals = store.rollups.month_totals_many([m.user_id for m in members], month)
    return teams.leaderboard(members, totals, month_start=month_start, viewer_id=user.user_id)


def list_goals(*, store: Store, user: User, team_id: str) -> list[TrackedGoal]:
    """The team's goals with progress; any member may look."""
    member_of(store=store, user=user, team_id=team_id)
    today = _today(user)
    team_goals = store.goals.list_for_owner(teams.goal_owner_id(team_id))
    months = sorted({m for goal in team_goals for m in goals.progress_months(goal, today=today)})
    members = store.teams.members(team_id)
    summed = _summed_totals(store, members, months) if months else []
    return [_goal_view(goal, summed, len(members), today) for goal in team_goals]


def create_goal(*, store: Store, user: User, team_id: str, data: GoalInput) -> TrackedGoal:
    """Set a team goal (owners and admins). A reduction goal fixes its baseline now.

    A "total" goal counts every member's kg together; a "per_member" goal divides the
    team's kg (and its baseline) by the number of members at the time of reading.
    """
    _, membership = member_of(store=store, user=user, team_id=team_id)
    teams.require(membership, "manage_goals")
    owner_id = teams.goal_owner_id(team_id)
    if len(store.goals.list_for_owner(owner_id)) >= teams.MAX_GOALS_PER_TEAM:
        raise InvalidInput(f"a team has at most {teams.MAX_GOALS_PER_TEAM} goals", field="teamId")
    if data.scope not in goals.TEAM_SCOPES:
        raise InvalidInput(f"scope must be one of {', '.join(goals.TEAM_SCOPES)}", field="scope")
    today = _today(user)
    start = data.start_date or today
    goals.check_start_date(start, today=today)
    goal = Goal(
        goal_id=str(uuid.uuid4()),
        owner_id=owner_id,
        kind=data.kind,
        period=data.period,
        start_date=start,
        created_at=datetime.now(UTC),
        category=data.category,
        target_reduction_percent=data.target_reduction_percent,
        target_co2e_kg=data.target_co2e_kg,
        team_scope=data.scope,
    )
    goals.check_goal(goal)
    members = store.teams.members(team_id)
    months = set(goals.progress_months(goal, today=today))
    if goal.kind == "reduction":
        months.update(goals.baseline_months(start, goal.period))
    summed = _summed_totals(store, members, sorted(months))  # one read per member
    if goal.kind == "reduction":
        baseline = goals.reduction_baseline(
            summed,
            start_date=start,
            period=goal.period,
            category=goal.category,
            members=_divisor(goal, len(members)),
        )
        goal = replace(goal, baseline_co2e_kg=baseline)
    store.goals.add(goal)
    return _goal_view(goal, summed, len(members), today)


def delete_goal(*, store: Store, user: User, team_id: str, goal_id: str) -> None:
    """Remove a team goal (owners and admins)."""
    _, membership = member_of(store=store, user=user, team_id=team_id)
    teams.require(membership, "manage_goals")
    try:
        store.goals.delete(teams.goal_owner_id(team_id), goal_id)
    except NotFound:
        raise NotFound("goal not found", field="goalId") from None


def _goal_view(goal: Goal, summed: Sequence[MonthTotals], members: int, today: date) -> TrackedGoal:
    progress = goals.progress(goal, summed, today=today, members=_divisor(goal, members))
    return TrackedGoal(goal=goal, progress=progress)


def _divisor(goal: Goal, members: int) -> int:
    return max(members, 1) if goal.team_scope == "per_member" else 1


def _summed_totals(
    store: Store, members: Sequence[Membership], months: Sequence[str]
) -> list[MonthTotals]:
    """Every member's totals of `months` in one list (the period sums add them up)."""
    if not months:
        return []
    return teams.team_totals(store.rollups.month_totals_many([m.user_id for m in members], months))


def _today(user: User) -> date:
    """The viewer's local day: "this month" is the viewer's month."""
    return periods.local_day(datetime.now(UTC), user.time_zone)
