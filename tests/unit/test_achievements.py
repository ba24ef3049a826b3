"""The achievement catalogue, streaks in local days (across DST), reductions, levels."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from carbontrack.domain import achievements, periods
from carbontrack.domain.achievements import Facts
from carbontrack.domain.models import MonthTotals

BERLIN = "Europe/Berlin"


def month_totals(kg_by_day: dict[date, float]) -> list[MonthTotals]:
    """MonthTotals as the store keeps them: one "transport" entry per listed day."""
    months: dict[str, MonthTotals] = {}
    for day, kg in kg_by_day.items():
        key = f"{day.year:04d}-{day.month:02d}"
        month = months.setdefault(key, MonthTotals(month=key))
        month.co2e_kg_by_day[day.day] = {"transport": kg}
        month.entries_by_day[day.day] = 1
    return list(months.values())


def logged(days: Iterable[date]) -> list[MonthTotals]:
    return month_totals(dict.fromkeys(days, 1.0))


def standing(facts: Facts, achievement_id: str) -> float:
    [found] = [
        s for s in achievements.evaluate(facts) if s.achievement.achievement_id == achievement_id
    ]
    return found.progress


def met(facts: Facts) -> set[str]:
    return {s.achievement.achievement_id for s in achievements.evaluate(facts) if s.met}


def test_catalogue_has_the_issue_s_achievements_with_tiers_and_points() -> None:
    ids = [a.achievement_id for a in achievements.CATALOGUE]
    assert len(ids) == len(set(ids))
    for wanted in (
        "first-entry", "entries-10", "entries-50", "entries-100", "entries-250",
        "streak-7", "streak-30", "streak-90", "reduction-5", "reduction-10", "reduction-25",
        "first-goal", "goal-achieved", "first-action",
    ):  # fmt: skip
        assert wanted in ids
    assert {a.tier for a in achievements.CATALOGUE} == set(achievements.TIERS)
    assert all(a.points > 0 and a.target > 0 for a in achievements.CATALOGUE)
    assert achievements.BY_ID["entries-250"].tier == "gold"


@pytest.mark.parametrize(
    ("count", "earned", "progress_10"),
    [(0, set(), 0.0), (1, {"first-entry"}, 0.1), (9, {"first-entry"}, 0.9),
     (10, {"first-entry", "entries-10"}, 1.0),
     (250, {"first-entry", "entries-10", "entries-50", "entries-100", "entries-250"}, 1.0)],
)  # fmt: skip
def test_entry_counts(count: int, earned: set[str], progress_10: float) -> None:
    facts = Facts(today=date(2026, 5, 1), entry_count=count)
    assert met(facts) == earned
    assert standing(facts, "entries-10") == pytest.approx(progress_10)
    assert standing(facts, "entries-1000") == pytest.approx(count / 1000)


def test_facts_not_gathered_are_left_out() -> None:
    facts = Facts(today=date(2026, 5, 1), entry_count=3)
    ids = {s.achievement.achievement_id for s in achievements.evaluate(facts)}
    assert "first-entry" in ids
    assert not ids & {"streak-7", "reduction-5", "first-goal", "goal-achieved", "first-action"}
    assert met(Facts(today=date(2026, 5, 1), goals_set=1)) == {"first-goal"}
    assert met(Facts(today=date(2026, 5, 1), actions_completed=5)) == {"first-action", "actions-5"}


def test_streak_ends_today_or_yesterday() -> None:
    today = date(2026, 5, 10)
    week = {today - timedelta(days=n) for n in range(7)}
    assert achievements.current_streak(week, today) == 7
    # Nothing logged yet today: the streak up to yesterday is still alive.
    assert achievements.current_streak(week, today + timedelta(days=1)) == 7
    # A whole day without entries ends it.
    assert achievements.current_streak(week, today + timedelta(days=2)) == 0
    gap = week - {today - timedelta(days=3)}
    assert achievements.current_streak(gap, today) == 3
    assert achievements.current_streak(set(), today) == 0


def test_streak_is_capped_at_the_longest_achievement() -> None:
    today = date(2026, 5, 10)
    year = {today - timedelta(days=n) for n in range(365)}
    assert achievements.current_streak(year, today) == achievements.LONGEST_STREAK_DAYS


def test_backdated_entries_mend_a_streak() -> None:
    today = date(2026, 5, 10)
    days = {today - timedelta(days=n) for n in range(7) if n != 4}
    assert "streak-7" not in met(Facts(today=today, months=logged(days)))
    days.add(today - timedelta(days=4))  # logged later, for its own day
    assert "streak-7" in met(Facts(today=today, months=logged(days)))


@pytest.mark.parametrize(
    ("first_day", "now"),
    [
        # Spring forward (2026-03-29, 02:00 CET -> 03:00 CEST).
        (date(2026, 3, 26), datetime(2026, 3, 31, 23, 45, tzinfo=UTC)),  # 01:45 CEST, Apr 1
        # Fall back (2026-10-25, 03:00 CEST -> 02:00 CET).
        (date(2026, 10, 21), datetime(2026, 10, 27, 0, 45, tzinfo=UTC)),  # 01:45 CET, Oct 27
    ],
)
def test_streak_counts_local_days_across_a_dst_change(first_day: date, now: datetime) -> None:
    # Logging at 01:30 Berlin time every day: the UTC offset changes in the middle.
    stamps = [
        datetime.combine(first_day + timedelta(days=n), datetime.min.time())
        .replace(hour=1, minute=30, tzinfo=ZoneInfo(BERLIN))
        .astimezone(UTC)
        for n in range(7)
    ]
    local_days = {periods.local_day(stamp, BERLIN) for stamp in stamps}
    today = periods.local_day(now, BERLIN)
    assert local_days == {first_day + timedelta(days=n) for n in range(7)}
    assert "streak-7" in met(Facts(today=today, months=logged(local_days)))
    # The same entries counted in UTC days miss the 7: a day collapses or a gap opens.
    utc_days = {stamp.date() for stamp in stamps}
    assert achievements.current_streak(utc_days, now.date()) < 7


def _jan_feb(jan_kg: float, feb_kg: float, days: int = 10) -> list[MonthTotals]:
    kg = {date(2026, 1, d): jan_kg / days for d in range(1, days + 1)}
    kg |= {date(2026, 2, d): feb_kg / days for d in range(1, days + 1)}
    return month_totals(kg)


def test_month_over_month_reduction_compares_the_two_last_complete_months() -> None:
    months = _jan_feb(100.0, 80.0)
    today = date(2026, 3, 2)
    assert achievements.month_over_month_reduction(months, today) == pytest.approx(20.0)
    facts = Facts(today=today, months=months)
    assert {"reduction-5", "reduction-10"} <= met(facts)
    assert standing(facts, "reduction-25") == pytest.approx(20 / 25)
    # In February, the complete months are December and January: nothing to compare.
    assert achievements.month_over_month_reduction(months, date(2026, 2, 20)) == 0.0


@pytest.mark.parametrize(
    ("months", "why"),
    [
        (_jan_feb(100.0, 120.0), "more, not less"),
        (_jan_feb(0.0, 0.0), "nothing to reduce"),
        (_jan_feb(100.0, 10.0, days=6), "too few logged days to count"),
    ],
)
def test_no_reduction(months: list[MonthTotals], why: str) -> None:
    assert achievements.month_over_month_reduction(months, date(2026, 3, 15)) == 0.0, why


def test_not_logging_is_not_reducing() -> None:
    kg = {date(2026, 1, d): 10.0 for d in range(1, 11)} | {date(2026, 2, 1): 1.0}
    assert achievements.month_over_month_reduction(month_totals(kg), date(2026, 3, 1)) == 0.0


@pytest.mark.parametrize(
    ("today", "first", "last"),
    [
        (date(2026, 8, 31), "2026-06", "2026-08"),  # two full months reach back 91 days
        (date(2026, 3, 1), "2025-12", "2026-03"),  # the 90-day streak reaches December
        (date(2026, 5, 15), "2026-02", "2026-05"),
    ],
)
def test_months_needed_cover_the_streak_and_two_full_months(
    today: date, first: str, last: str
) -> None:
    months = achievements.months_needed(today)
    assert (months[0], months[-1]) == (first, last)
    assert len(months) <= 4


@pytest.mark.parametrize(
    ("points", "level", "following"),
    [(0, 1, 50), (49, 1, 50), (50, 2, 150), (299, 3, 300), (600, 5, 1000), (2100, 8, None),
     (10_000, 8, None)],
)  # fmt: skip
def test_levels_from_points(points: int, level: int, following: int | None) -> None:
    assert achievements.level_for(points) == achievements.Level(level, points, following)
