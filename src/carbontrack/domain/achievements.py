"""The achievement catalogue, how each one is measured, and levels from points. Pure.

Every achievement measures one number from `Facts` (entries so far, the current logging
streak, the month-over-month reduction, goals, actions) against a target; it is earned when
the number reaches the target, and its progress is `min(1, number / target)`. A fact that
the caller did not gather (None) leaves the achievements that need it out of `evaluate`, so
an entry write can judge the entry achievements without reading goals or actions.

Streaks count the user's local calendar days (`Entry.day`, fixed in their time zone when the
entry was logged), so a DST change never breaks or doubles a day. A streak is the run of
consecutive days with at least one entry that ends today, or yesterday when nothing is
logged yet today (the day is not over). A backdated entry counts on its own day, so filling
in a forgotten day mends a streak.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from carbontrack.domain import periods
from carbontrack.domain.models import MonthTotals

Tier = Literal["bronze", "silver", "gold", "platinum"]
TIERS: tuple[Tier, ...] = ("bronze", "silver", "gold", "platinum")

LONGEST_STREAK_DAYS = 90  # the longest streak in the catalogue: how far back to look
# A month counts for a month-over-month reduction only with entries on this many of its
# days: otherwise simply not logging would pass for reducing.
MIN_LOGGED_DAYS_PER_MONTH = 7
# Points needed for each level: level n (1-based) starts at LEVEL_THRESHOLDS[n - 1].
LEVEL_THRESHOLDS: tuple[int, ...] = (0, 50, 150, 300, 600, 1000, 1500, 2100)


@dataclass(frozen=True, slots=True)
class Facts:
    """What the achievements are measured on; None means "not gathered this time"."""

    today: date  # in the user's time zone
    entry_count: int | None = None
    months: Sequence[MonthTotals] | None = None  # at least `months_needed(today)`
    goals_set: int | None = None
    goals_achieved: int | None = None
    actions_completed: int | None = None


Measure = Callable[[Facts], float | None]


@dataclass(frozen=True, slots=True)
class Achievement:
    """One entry of the catalogue: earned once `measure(facts) >= target`."""

    achievement_id: str
    title: str
    description: str
    tier: Tier
    points: int
    measure: Measure
    target: float


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a user stands on one achievement: `progress` is 0..1, 1 when met."""

    achievement: Achievement
    progress: float

    @property
    def met(self) -> bool:
        """True when the target is reached."""
        return self.progress >= 1.0


@dataclass(frozen=True, slots=True)
class Level:
    """The level a number of points reaches, and the points the next one needs."""

    level: int
    points: int
    next_level_points: int | None  # None at the top level


def current_streak(logged: set[date], today: date, *, limit: int = LONGEST_STREAK_DAYS) -> int:
    """Consecutive logged days ending today (or yesterday, if today has none yet), up to `limit`."""
    end = today if today in logged else today - timedelta(days=1)
    length = 0
    while length < limit and end - timedelta(days=length) in logged:
        length += 1
    return length


def month_over_month_reduction(months: Sequence[MonthTotals], today: date) -> float:
    """Percent by which last month's kg CO2e is below the month before's (0 if not lower).

    Compares the two last complete local months; 0 unless both have entries on at least
    `MIN_LOGGED_DAYS_PER_MONTH` days and the earlier one a footprint above zero.
    """
    this_month = periods.period_start(today, "month")
    last = periods.shift(this_month, "month", -1)
    before = periods.shift(this_month, "month", -2)
    logged = periods.logged_days(months)
    for start, end in ((before, last), (last, this_month)):
        if sum(1 for day in logged if start <= day < end) < MIN_LOGGED_DAYS_PER_MONTH:
            return 0.0
    earlier = periods.total_kg(months, before, last)
    later = periods.total_kg(months, last, this_month)
    if earlier <= 0:
        return 0.0
    return max(0.0, (earlier - later) / earlier * 100)


def months_needed(today: date) -> list[str]:
    """The "YYYY-MM" months `Facts.months` must cover: the longest streak and two full months."""
    two_months_back = periods.shift(periods.period_start(today, "month"), "month", -2)
    start = min(today - timedelta(days=LONGEST_STREAK_DAYS), two_months_back)
    return periods.month_keys(start, today + timedelta(days=1))


def _entries(facts: Facts) -> float | None:
    return facts.entry_count


def _streak(facts: Facts) -> float | None:
    if facts.months is None:
        return None
    return current_streak(periods.logged_days(facts.months), facts.today)


def _reduction(facts: Facts) -> float | None:
    return None if facts.months is None else month_over_month_reduction(facts.months, facts.today)


def _goals_set(facts: Facts) -> float | None:
    return facts.goals_set


def _goals_achieved(facts: Facts) -> float | None:
    return facts.goals_achieved


def _actions(facts: Facts) -> float | None:
    return facts.actions_completed


def _entry_count(count: int, tier: Tier, points: int) -> Achievement:
    title = "First entry" if count == 1 else f"{count:,} entries"
    description = "Log your first activity." if count == 1 else f"Log {count:,} activities."
    return Achievement(
        "first-entry" if count == 1 else f"entries-{count}",
        title,
        description,
        tier,
        points,
        _entries,
        count,
    )


def _streak_of(days: int, tier: Tier, points: int) -> Achievement:
    return Achievement(
        f"streak-{days}",
        f"{days}-day streak",
        f"Log at least one activity on {days} days in a row (your local days).",
        tier,
        points,
        _streak,
        days,
    )


def _reduction_of(percent: int, tier: Tier, points: int) -> Achievement:
    return Achievement(
        f"reduction-{percent}",
        f"{percent}% month over month",
        f"Emit {percent}% less last month than the month before "
        f"(both months logged on at least {MIN_LOGGED_DAYS_PER_MONTH} days).",
        tier,
        points,
        _reduction,
        percent,
    )


CATALOGUE: tuple[Achievement, ...] = (
    _entry_count(1, "bronze", 10),
    _entry_count(10, "bronze", 20),
    _entry_count(50, "silver", 50),
    _entry_count(100, "silver", 100),
    _entry_count(250, "gold", 200),
    _entry_count(1000, "platinum", 500),
    _streak_of(7, "bronze", 30),
    _streak_of(30, "silver", 100),
    _streak_of(90, "gold", 300),
    _reduction_of(5, "bronze", 30),
    _reduction_of(10, "silver", 75),
    _reduction_of(25, "gold", 200),
    Achievement("first-goal", "First goal", "Set your first goal.", "bronze", 10, _goals_set, 1),
    Achievement(
        "goal-achieved",
        "Goal achieved",
        "Reach one of your goals.",
        "silver",
        100,
        _goals_achieved,
        1,
    ),
    Achievement(
        "first-action", "First action", "Complete a reduction action.", "bronze", 20, _actions, 1
    ),
    Achievement(
        "actions-5", "Five actions", "Complete five reduction actions.", "gold", 150, _actions, 5
    ),
)
BY_ID: dict[str, Achievement] = {a.achievement_id: a for a in CATALOGUE}


def evaluate(facts: Facts) -> list[Standing]:
    """Where the user stands on every achievement whose facts were gathered, in catalogue order."""
    standings: list[Standing] = []
    for achievement in CATALOGUE:
        value = achievement.measure(facts)
        if value is not None:
            standings.append(Standing(achievement, min(1.0, max(0.0, value / achievement.target))))
    return standings


def level_for(points: int) -> Level:
    """The level `points` reach: the number of thresholds at or below them."""
    level = sum(1 for threshold in LEVEL_THRESHOLDS if threshold <= points)
    following = LEVEL_THRESHOLDS[level] if level < len(LEVEL_THRESHOLDS) else None
    return Level(level=level, points=points, next_level_points=following)
