"""Goals: the rules a goal must keep, its fixed baseline and its live progress. Pure.

A goal repeats over calendar periods of the owner's local days (ISO weeks from Monday,
calendar months, calendar years), from the period that contains `start_date` onwards, and
each period counts whole: a monthly budget set on the 20th covers that whole month.

- budget: at most `target_co2e_kg` per period.
- reduction: at most `baseline * (1 - target_reduction_percent / 100)` per period, where the
  baseline is the mean kg per period of the 3 periods before the first one, counting only
  periods in which the owner logged something (an entry, or a day of a bill over a period);
  it is fixed when the goal is set.

Team goals (owner "TEAM#<teamId>") use the same functions over the members' summed totals;
`members=N` divides those sums by N, which is how a "per_member" goal is measured against its
per-member target and baseline (a "total" goal passes 1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from carbontrack.domain.categories import CATEGORIES
from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.models import Goal, MonthTotals
from carbontrack.domain.periods import Period, days, month_keys, period_start, shift, total_kg

KINDS: tuple[str, ...] = ("reduction", "budget")
GOAL_PERIODS: dict[str, Period] = {"week": "week", "month": "month", "year": "year"}
TEAM_SCOPES: tuple[str, ...] = ("total", "per_member")
BASELINE_PERIODS = 3
MAX_GOALS = 50  # per user
MAX_START_OFFSET = timedelta(days=366)  # startDate at most about a year either side of today
MAX_TARGET_CO2E_KG = 1e9  # a megatonne a period: beyond any person's or company's footprint
# Sums of floats drift by ulps (0.1 + 0.2 > 0.3); a microgram over a target is still within it.
_TOLERANCE_KG = 1e-9

Status = Literal["upcoming", "active"]


@dataclass(frozen=True, slots=True)
class PeriodResult:
    """How a completed period of a goal ended."""

    period_start: date
    period_end: date  # exclusive
    co2e_kg: float
    target_co2e_kg: float
    achieved: bool


@dataclass(frozen=True, slots=True)
class GoalProgress:
    """A goal's current period: kg so far, its target, and whether the pace keeps within it.

    `percent` is None when the target is 0 (a 100 % cut); `days_left` counts today.
    `current_co2e_kg` counts the days up to today; `booked_co2e_kg` is what bills over a
    period already put on the days still to come. `projection_days` is how many days the
    projection rests on (0 before the goal starts).
    `last_period` is the period before the current one, None before the goal had started.
    """

    status: Status
    period_start: date
    period_end: date  # exclusive
    current_co2e_kg: float
    target_co2e_kg: float
    percent: float | None
    projected_co2e_kg: float
    on_track: bool
    days_left: int
    last_period: PeriodResult | None = None
    booked_co2e_kg: float = 0.0
    projection_days: int = 0


def goal_period(goal: Goal) -> Period:
    """The goal's period as a `periods.Period`."""
    return GOAL_PERIODS[goal.period]


def check_goal(goal: Goal) -> None:
    """`InvalidInput` unless kind, period, category and targets make a measurable goal."""
    if goal.kind not in KINDS:
        raise InvalidInput(f"kind must be one of {', '.join(KINDS)}", field="kind")
    if goal.period not in GOAL_PERIODS:
        raise InvalidInput(f"period must be one of {', '.join(GOAL_PERIODS)}", field="period")
    if goal.category is not None and goal.category not in CATEGORIES:
        raise InvalidInput(
            f"unknown category {goal.category!r}; expected one of {', '.join(CATEGORIES)}",
            field="category",
        )
    if goal.team_scope is not None and goal.team_scope not in TEAM_SCOPES:
        raise InvalidInput(f"scope must be one of {', '.join(TEAM_SCOPES)}", field="scope")
    if goal.kind == "reduction":
        _check_reduction(goal)
    else:
        _check_budget(goal)


def _check_reduction(goal: Goal) -> None:
    if goal.target_co2e_kg is not None:
        raise InvalidInput(
            "a reduction goal takes targetReductionPercent, not targetCo2eKg", field="targetCo2eKg"
        )
    pct = goal.target_reduction_percent
    if pct is None or not math.isfinite(pct) or not 0 < pct <= 100:
        raise InvalidInput(
            "targetReductionPercent must be more than 0 and at most 100",
            field="targetReductionPercent",
        )


def _check_budget(goal: Goal) -> None:
    if goal.target_reduction_percent is not None:
        raise InvalidInput(
            "a budget goal takes targetCo2eKg, not targetReductionPercent",
            field="targetReductionPercent",
        )
    kg = goal.target_co2e_kg
    if kg is None or not math.isfinite(kg) or not 0 < kg <= MAX_TARGET_CO2E_KG:
        raise InvalidInput(
            f"targetCo2eKg must be more than 0 and at most {MAX_TARGET_CO2E_KG:g}",
            field="targetCo2eKg",
        )


def check_start_date(start_date: date, *, today: date) -> None:
    """`InvalidInput` if a new goal's start is more than a year before or after today."""
    if abs(start_date - today) > MAX_START_OFFSET:
        raise InvalidInput(
            f"startDate must be within {MAX_START_OFFSET.days} days of today", field="startDate"
        )


def first_period_start(goal: Goal) -> date:
    """The first day of the goal's first period (the one containing `start_date`)."""
    return period_start(goal.start_date, goal_period(goal))


def baseline_months(start_date: date, period: str) -> list[str]:
    """The months a reduction baseline reads: the 3 periods before the first one."""
    first = period_start(start_date, GOAL_PERIODS[period])
    return month_keys(shift(first, GOAL_PERIODS[period], -BASELINE_PERIODS), first)


def reduction_baseline(
    totals: Sequence[MonthTotals],
    *,
    start_date: date,
    period: str,
    category: str | None,
    members: int = 1,
) -> float:
    """Mean kg per period over the logged ones of the 3 before the first (/ `members`).

    `InvalidInput` when none of them has an entry or the mean is 0: there is nothing to
    measure a reduction against.
    """
    unit = GOAL_PERIODS[period]
    first = period_start(start_date, unit)
    logged: list[float] = []
    for back in range(BASELINE_PERIODS, 0, -1):
        start, end = shift(first, unit, -back), shift(first, unit, 1 - back)
        if _logged(totals, start, end):
            logged.append(total_kg(totals, start, end, category))
    baseline = sum(logged) / len(logged) / members if logged else 0.0
    if baseline <= 0:
        what = f"{category} " if category else ""
        raise InvalidInput(
            f"no {what}history to measure a reduction against in the {BASELINE_PERIODS} "
            f"{period}s before the goal starts; log those first or set a budget goal",
            field="targetReductionPercent",
        )
    return baseline


def _logged(totals: Sequence[MonthTotals], start: date, end: date) -> bool:
    # A day is in the totals when it has an entry or a share of a bill over a period: a
    # quarter's bill logged after the quarter is that quarter's history.
    return any(start <= day < end for day, _, _ in days(totals))


def target_kg(goal: Goal) -> float:
    """kg CO2e allowed per period."""
    if goal.kind == "budget" and goal.target_co2e_kg is not None:
        return goal.target_co2e_kg
    if goal.baseline_co2e_kg is None or goal.target_reduction_percent is None:
        raise ValueError(f"goal {goal.goal_id} lacks its target or baseline")
    return goal.baseline_co2e_kg * (1 - goal.target_reduction_percent / 100)


def progress_months(goal: Goal, *, today: date) -> list[str]:
    """The months `progress` reads: the current period and the one before it."""
    unit = goal_period(goal)
    current = period_start(today, unit)
    if current < first_period_start(goal):
        return []
    start = max(shift(current, unit, -1), first_period_start(goal))
    return month_keys(start, shift(current, unit, 1))


def progress(
    goal: Goal, totals: Sequence[MonthTotals], *, today: date, members: int = 1
) -> GoalProgress:
    """The goal's progress in the period containing `today` (the owner's local day).

    `totals` must cover `progress_months(goal, today=today)`; for a team, the members'
    totals summed. Projection is linear: kg so far / the fraction of the period elapsed
    (today included), and never less than what is already booked for the rest of the
    period. A bill over a period is spread over its days (docs/storage.md), so it weighs in
    the pace as the daily amount it is, not as a spike on one day. On a period's first day
    there is too little to project from, so being on track means only being within the
    target with what is booked.
    """
    unit, target = goal_period(goal), target_kg(goal)
    first = first_period_start(goal)
    start = period_start(today, unit)
    if start < first:
        return _upcoming(first, shift(first, unit, 1), target)
    end, tomorrow = shift(start, unit, 1), today + timedelta(days=1)
    current = total_kg(totals, start, tomorrow, goal.category) / members
    booked = total_kg(totals, tomorrow, end, goal.category) / members
    elapsed, length = (tomorrow - start).days, (end - start).days
    projected = max(current * length / elapsed, current + booked)
    committed = _within(current + booked, target)
    on_track = committed and (elapsed == 1 or _within(projected, target))
    last = None
    previous = shift(start, unit, -1)
    if previous >= first:
        kg = total_kg(totals, previous, start, goal.category) / members
        last = PeriodResult(previous, start, kg, target, _within(kg, target))
    return GoalProgress(
        status="active",
        period_start=start,
        period_end=end,
        current_co2e_kg=current,
        target_co2e_kg=target,
        percent=_percent(current, target),
        projected_co2e_kg=projected,
        on_track=on_track,
        days_left=(end - today).days,
        last_period=last,
        booked_co2e_kg=booked,
        projection_days=elapsed,
    )


def newly_met(goal: Goal, result: GoalProgress, *, created_on: date) -> bool:
    """True when the period just ended within target while the goal was set, not yet recorded.

    `created_on` is the owner's local day the goal was created: a goal set with a start in
    the past is not "met" by a period that was over before anyone aimed at it.
    """
    last = result.last_period
    return (
        goal.achieved_at is None
        and last is not None
        and last.achieved
        and last.period_end > created_on
    )


def _upcoming(start: date, end: date, target: float) -> GoalProgress:
    """A goal whose first period lies ahead: nothing counts yet, every day is still left."""
    return GoalProgress(
        status="upcoming",
        period_start=start,
        period_end=end,
        current_co2e_kg=0.0,
        target_co2e_kg=target,
        percent=_percent(0.0, target),
        projected_co2e_kg=0.0,
        on_track=True,
        days_left=(end - start).days,
    )


def _within(kg: float, target: float) -> bool:
    return kg <= target + _TOLERANCE_KG


def _percent(current: float, target: float) -> float | None:
    return None if target <= 0 else current / target * 100
