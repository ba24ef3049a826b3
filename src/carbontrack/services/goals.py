"""Personal goal use cases: set, list and read with live progress, change a target, delete.

Progress comes from the store's month totals, never from entries: listing every goal of a
user is one `goals.list_for_owner` and one `rollups.month_totals` read, whatever the history.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from carbontrack.datasets.owid import load_country_electricity
from carbontrack.domain import goal_targets, goals, periods
from carbontrack.domain.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from carbontrack.domain.goals import GoalProgress
from carbontrack.domain.models import Goal, MonthTotals, User
from carbontrack.services import achievements
from carbontrack.services import baseline as baselines
from carbontrack.store.base import Store

MAX_GOAL_ID_CHARS = 64  # ours are 36-character UUIDs; a longer one cannot be a goal
UPDATE_ATTEMPTS = 5  # reads and writes of a goal that other requests keep changing


@dataclass(frozen=True, slots=True)
class GoalInput:
    """A new goal as the user sets it; `start_date` None means today."""

    kind: str
    period: str
    category: str | None = None
    target_reduction_percent: float | None = None
    target_co2e_kg: float | None = None
    start_date: date | None = None


@dataclass(frozen=True, slots=True)
class GoalChanges:
    """A new target; `fixed` names the unchangeable fields a request tried to change."""

    target_reduction_percent: float | None = None
    target_co2e_kg: float | None = None
    fixed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TrackedGoal:
    """A goal and its progress in the current period."""

    goal: Goal
    progress: GoalProgress


def create_goal(*, store: Store, user: User, data: GoalInput) -> TrackedGoal:
    """Set a goal; a reduction goal fixes its baseline from the 3 periods before it starts."""
    now = datetime.now(UTC)
    today = periods.local_day(now, user.time_zone)
    goal = Goal(
        goal_id=str(uuid.uuid4()),
        owner_id=user.user_id,
        kind=data.kind,
        period=data.period,
        start_date=data.start_date or today,
        created_at=now,
        category=data.category,
        target_reduction_percent=data.target_reduction_percent,
        target_co2e_kg=data.target_co2e_kg,
    )
    goals.check_goal(goal)
    goals.check_start_date(goal.start_date, today=today)
    _check_room(goal, store.goals.list_for_owner(user.user_id))
    months = goals.progress_months(goal, today=today)
    if goal.kind == "reduction":
        months += goals.baseline_months(goal.start_date, goal.period)
    totals = _month_totals(store, user.user_id, months)
    if goal.kind == "reduction":
        baseline = goals.reduction_baseline(
            totals, start_date=goal.start_date, period=goal.period, category=goal.category
        )
        goal = replace(goal, baseline_co2e_kg=baseline)
    store.goals.add(goal)
    achievements.on_goal_set(store=store, user=user, now=now)
    return TrackedGoal(goal, goals.progress(goal, totals, today=today))


def _check_room(goal: Goal, existing: Sequence[Goal]) -> None:
    """At most `MAX_GOALS`, and one goal per kind, category and period."""
    if len(existing) >= goals.MAX_GOALS:
        raise InvalidInput(f"you have {goals.MAX_GOALS} goals, the most allowed; delete one first")
    for other in existing:
        if (other.kind, other.category, other.period) == (goal.kind, goal.category, goal.period):
            what = other.category or "whole-footprint"
            raise AlreadyExists(
                f"you already have a {other.period}ly {what} {other.kind} goal "
                f"({other.goal_id}); change its target or delete it first",
                field="kind",
            )


def list_goals(*, store: Store, user: User) -> list[TrackedGoal]:
    """The user's goals, oldest first, each with its progress (one month-totals read)."""
    owned = sorted(
        store.goals.list_for_owner(user.user_id), key=lambda g: (g.created_at, g.goal_id)
    )
    return _track(store, user, owned)


def get_goal(*, store: Store, user: User, goal_id: str) -> TrackedGoal:
    """One of the user's goals with its progress; `NotFound` for anyone else's."""
    return _track(store, user, [_own(store, user, goal_id)])[0]


def update_goal(*, store: Store, user: User, goal_id: str, changes: GoalChanges) -> TrackedGoal:
    """Change a goal's target; kind, period, category and start date never change."""
    if changes.fixed:
        name = changes.fixed[0]
        raise InvalidInput(f"{name} cannot change; create a new goal instead", field=name)
    if changes.target_reduction_percent is None and changes.target_co2e_kg is None:
        raise InvalidInput("give targetReductionPercent or targetCo2eKg to change")
    for _ in range(UPDATE_ATTEMPTS):
        goal = _own(store, user, goal_id)
        updated = replace(
            goal,
            target_reduction_percent=_first(
                changes.target_reduction_percent, goal.target_reduction_percent
            ),
            target_co2e_kg=_first(changes.target_co2e_kg, goal.target_co2e_kg),
        )
        goals.check_goal(updated)
        try:
            written = store.goals.update(goal, updated)
        except Conflict:
            continue  # changed since read (its "met" recorded): apply the change again
        return _track(store, user, [written])[0]
    raise Conflict("the goal kept changing while this change was applied; try again")


def delete_goal(*, store: Store, user: User, goal_id: str) -> None:
    """Delete one of the user's goals."""
    if len(goal_id) > MAX_GOAL_ID_CHARS:
        raise NotFound("goal not found")
    try:
        store.goals.delete(user.user_id, goal_id)
    except NotFound:
        raise NotFound("goal not found") from None


def _own(store: Store, user: User, goal_id: str) -> Goal:
    # A key longer than DynamoDB allows would be a store error; no goal has one anyway.
    goal = None if len(goal_id) > MAX_GOAL_ID_CHARS else store.goals.get(user.user_id, goal_id)
    if goal is None:
        raise NotFound("goal not found")
    return goal


def _track(store: Store, user: User, owned: Sequence[Goal]) -> list[TrackedGoal]:
    """Progress of each goal from one month-totals read; records the goals just met.

    A period ends without any request, so a goal is found met when it is next read: the
    first read after a period that ended within target sets `achieved_at` (the local
    midnight that ended the period) and awards the "goal achieved" achievement.
    """
    now = datetime.now(UTC)
    today = periods.local_day(now, user.time_zone)
    months = [month for goal in owned for month in goals.progress_months(goal, today=today)]
    totals = _month_totals(store, user.user_id, months)
    tracked: list[TrackedGoal] = []
    met = False
    for goal in owned:
        progress = goals.progress(goal, totals, today=today)
        created_on = periods.local_day(goal.created_at, user.time_zone)
        if progress.last_period and goals.newly_met(goal, progress, created_on=created_on):
            ended = progress.last_period.period_end
            recorded = _record_met(store, goal, ended=ended, time_zone=user.time_zone)
            met = met or recorded is not None
            goal = recorded or goal
        tracked.append(TrackedGoal(goal, progress))
    if met:
        achievements.on_goal_met(store=store, user=user, now=now)
    return tracked


def suggest_targets(*, store: Store, user: User) -> tuple[list[goal_targets.Suggestion], list[str]]:
    """Monthly budget targets to choose from (`domain.goal_targets`), and what is missing."""
    country = load_country_electricity().get(user.country) if user.country else None
    return goal_targets.suggest(baselines.get_baseline(store=store, user=user), country)


def _record_met(store: Store, goal: Goal, *, ended: date, time_zone: str) -> Goal | None:
    """Store that the goal was met in the period that ended on local day `ended`.

    Only if the goal is still as read (its target decided that it was met); None if it
    changed or went meanwhile: the next read judges it again.
    """
    ended_at = datetime.combine(ended, time(), ZoneInfo(time_zone)).astimezone(UTC)
    try:
        return store.goals.update(goal, replace(goal, achieved_at=ended_at))
    except (Conflict, NotFound):
        return None


def _month_totals(store: Store, user_id: str, months: Iterable[str]) -> list[MonthTotals]:
    """One read of the distinct months asked for; none at all when nothing is needed."""
    wanted = sorted(set(months))
    return store.rollups.month_totals(user_id, wanted) if wanted else []


def _first(new: float | None, current: float | None) -> float | None:
    return current if new is None else new
