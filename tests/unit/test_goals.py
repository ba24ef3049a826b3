"""Goal rules and progress maths over hand-built month totals (numbers worked by hand)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

import pytest

from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.goals import (
    baseline_months,
    check_goal,
    check_start_date,
    newly_met,
    progress,
    progress_months,
    reduction_baseline,
    target_kg,
)
from carbontrack.domain.models import Goal, MonthTotals

# 2026-03-01 is a Sunday, so ISO weeks run Monday 2 March to Sunday 8 March, and so on.


def month(key: str, days: Mapping[int, Mapping[str, float]]) -> MonthTotals:
    """Totals of one month with one entry per day that has kg."""
    return MonthTotals(
        month=key,
        co2e_kg_by_day={day: dict(kg) for day, kg in days.items()},
        entries_by_day=dict.fromkeys(days, 1),
    )


def goal(**overrides: Any) -> Goal:
    values: dict[str, Any] = {
        "goal_id": "g-1",
        "owner_id": "u-1",
        "kind": "budget",
        "period": "month",
        "start_date": date(2026, 3, 1),
        "created_at": datetime(2026, 3, 1, tzinfo=UTC),
        "target_co2e_kg": 200.0,
    }
    return Goal(**(values | overrides))


MARCH = [
    month("2026-02", {28: {"transport": 100.0}}),
    month("2026-03", {1: {"transport": 30.0}, 5: {"electricity": 20.0}, 10: {"transport": 10.0}}),
]


def test_monthly_budget_progress() -> None:
    result = progress(goal(), MARCH, today=date(2026, 3, 10))
    assert result.status == "active"
    assert (result.period_start, result.period_end) == (date(2026, 3, 1), date(2026, 4, 1))
    assert result.current_co2e_kg == 60.0  # 30 + 20 + 10; 28 February is another month
    assert result.target_co2e_kg == 200.0
    assert result.percent == pytest.approx(30.0)
    assert result.projected_co2e_kg == pytest.approx(186.0)  # 60 kg in 10 of 31 days
    assert result.on_track is True
    assert result.days_left == 22  # 10 to 31 March, today included
    assert result.last_period is None  # the goal started this month


def test_category_goal_counts_only_its_category() -> None:
    result = progress(goal(category="transport"), MARCH, today=date(2026, 3, 10))
    assert result.current_co2e_kg == 40.0
    assert result.projected_co2e_kg == pytest.approx(124.0)


def test_a_pace_above_the_budget_is_off_track_before_it_is_spent() -> None:
    result = progress(goal(target_co2e_kg=150.0), MARCH, today=date(2026, 3, 10))
    assert result.current_co2e_kg < 150.0
    assert result.on_track is False  # 186 kg projected


def test_first_day_is_judged_on_the_kg_so_far_not_a_projection() -> None:
    totals = [month("2026-03", {1: {"transport": 30.0}})]
    first_day = progress(goal(), totals, today=date(2026, 3, 1))
    assert first_day.current_co2e_kg == 30.0
    assert first_day.projected_co2e_kg == pytest.approx(930.0)  # 30 kg x 31 days
    assert first_day.on_track is True
    assert first_day.days_left == 31
    over = progress(goal(target_co2e_kg=20.0), totals, today=date(2026, 3, 1))
    assert over.on_track is False


def test_last_day_of_the_period() -> None:
    result = progress(goal(), MARCH, today=date(2026, 3, 31))
    assert result.days_left == 1
    assert result.projected_co2e_kg == pytest.approx(60.0)


def test_week_runs_monday_to_sunday() -> None:
    totals = [
        month(
            "2026-03",
            {
                1: {"transport": 7.0},
                2: {"transport": 1.0},
                8: {"transport": 2.0},
                9: {"waste": 4.0},
            },
        )
    ]
    weekly = goal(period="week", target_co2e_kg=10.0, start_date=date(2026, 2, 23))
    result = progress(weekly, totals, today=date(2026, 3, 8))  # a Sunday
    assert (result.period_start, result.period_end) == (date(2026, 3, 2), date(2026, 3, 9))
    assert result.current_co2e_kg == 3.0  # Monday 2nd and Sunday 8th; not the 1st nor the 9th
    assert result.days_left == 1
    assert result.projected_co2e_kg == pytest.approx(3.0)
    assert result.last_period is not None
    assert result.last_period.period_start == date(2026, 2, 23)
    assert result.last_period.co2e_kg == 7.0
    assert result.last_period.achieved is True


def test_a_week_across_two_months_reads_both() -> None:
    weekly = goal(period="week", target_co2e_kg=10.0, start_date=date(2026, 3, 30))
    totals = [month("2026-03", {30: {"transport": 4.0}}), month("2026-04", {1: {"waste": 5.0}})]
    today = date(2026, 4, 1)  # a Wednesday
    assert progress_months(weekly, today=today) == ["2026-03", "2026-04"]
    result = progress(weekly, totals, today=today)
    assert result.current_co2e_kg == 9.0
    assert result.projected_co2e_kg == pytest.approx(21.0)  # 9 kg in 3 of 7 days
    assert result.on_track is False


def test_year_goal_at_year_end_reports_the_year_before() -> None:
    yearly = goal(period="year", target_co2e_kg=1000.0, start_date=date(2025, 6, 1))
    totals = [month("2025-02", {3: {"flights": 900.0}}), month("2026-12", {31: {"heating": 5.0}})]
    today = date(2026, 12, 31)
    months = progress_months(yearly, today=today)
    assert months[0] == "2025-01"
    assert months[-1] == "2026-12"
    assert len(months) == 24
    result = progress(yearly, totals, today=today)
    assert (result.period_start, result.period_end) == (date(2026, 1, 1), date(2027, 1, 1))
    assert result.current_co2e_kg == 5.0
    assert result.days_left == 1
    assert result.last_period is not None
    assert result.last_period.co2e_kg == 900.0  # the whole of 2025 counts, from January
    assert result.last_period.achieved is True


@pytest.mark.parametrize(("february_kg", "achieved"), [(180.0, True), (210.0, False)])
def test_last_period_is_achieved_within_target(february_kg: float, achieved: bool) -> None:
    started = goal(start_date=date(2026, 2, 14))
    totals = [month("2026-02", {3: {"transport": february_kg}}), MARCH[1]]
    result = progress(started, totals, today=date(2026, 3, 10))
    assert result.last_period is not None
    assert result.last_period.period_start == date(2026, 2, 1)
    assert result.last_period.co2e_kg == february_kg
    assert result.last_period.target_co2e_kg == 200.0
    assert result.last_period.achieved is achieved


@pytest.mark.parametrize(
    ("created_on", "achieved_at", "february_kg", "met"),
    [
        (date(2026, 2, 14), None, 180.0, True),
        (date(2026, 2, 28), None, 180.0, True),  # set on its last day: it still counted
        (date(2026, 3, 1), None, 180.0, False),  # set after February was over
        (date(2026, 2, 14), None, 210.0, False),  # over budget
        (date(2026, 2, 14), datetime(2026, 2, 1, tzinfo=UTC), 180.0, False),  # recorded
    ],
)
def test_newly_met_needs_a_period_ended_within_target_while_set(
    created_on: date, achieved_at: datetime | None, february_kg: float, met: bool
) -> None:
    started = goal(start_date=date(2026, 2, 1), achieved_at=achieved_at)
    totals = [month("2026-02", {3: {"transport": february_kg}}), MARCH[1]]
    result = progress(started, totals, today=date(2026, 3, 10))
    assert newly_met(started, result, created_on=created_on) is met


def test_nothing_is_met_before_a_period_has_ended() -> None:
    result = progress(goal(), MARCH, today=date(2026, 3, 10))
    assert newly_met(goal(), result, created_on=date(2026, 3, 1)) is False


def test_a_goal_starting_later_this_period_counts_the_whole_period() -> None:
    result = progress(goal(start_date=date(2026, 3, 20)), MARCH, today=date(2026, 3, 10))
    assert result.status == "active"
    assert result.current_co2e_kg == 60.0


def test_a_goal_starting_in_a_later_period_is_upcoming() -> None:
    later = goal(start_date=date(2026, 5, 20))
    today = date(2026, 3, 10)
    assert progress_months(later, today=today) == []
    result = progress(later, [], today=today)
    assert result.status == "upcoming"
    assert (result.period_start, result.period_end) == (date(2026, 5, 1), date(2026, 6, 1))
    assert result.current_co2e_kg == 0.0
    assert result.percent == 0.0
    assert result.on_track is True
    assert result.days_left == 31
    assert result.last_period is None


def test_reduction_baseline_is_the_mean_of_the_logged_periods_before_the_first() -> None:
    totals = [
        month("2025-11", {5: {"transport": 999.0}}),  # four periods back: not counted
        month("2025-12", {1: {"transport": 100.0, "electricity": 50.0}}),
        month("2026-01", {}),  # nothing logged: not a period of zero footprint
        month("2026-02", {28: {"transport": 200.0}}),
        month("2026-03", {2: {"transport": 1000.0}}),  # the first period itself
    ]
    start = date(2026, 3, 15)
    assert baseline_months(start, "month") == ["2025-12", "2026-01", "2026-02"]
    whole = reduction_baseline(totals, start_date=start, period="month", category=None)
    assert whole == pytest.approx(175.0)  # (150 + 200) / 2
    transport = reduction_baseline(totals, start_date=start, period="month", category="transport")
    assert transport == pytest.approx(150.0)  # (100 + 200) / 2
    per_member = reduction_baseline(
        totals, start_date=start, period="month", category=None, members=5
    )
    assert per_member == pytest.approx(35.0)


def test_reduction_target_is_the_baseline_less_the_cut() -> None:
    reduction = goal(
        kind="reduction", target_co2e_kg=None, target_reduction_percent=20.0, baseline_co2e_kg=150.0
    )
    assert target_kg(reduction) == pytest.approx(120.0)
    result = progress(reduction, MARCH, today=date(2026, 3, 10))
    assert result.target_co2e_kg == pytest.approx(120.0)
    assert result.percent == pytest.approx(50.0)  # 60 of 120


@pytest.mark.parametrize("category", [None, "flights"])
def test_no_history_to_reduce_is_refused(category: str | None) -> None:
    totals = [month("2026-02", {3: {"transport": 50.0}})]
    history = totals if category else []
    with pytest.raises(InvalidInput, match=r"no .*history to measure a reduction"):
        reduction_baseline(history, start_date=date(2026, 3, 1), period="month", category=category)


def test_baseline_periods_of_weeks_and_years() -> None:
    # Wednesday 4 March: the weeks of 9, 16 and 23 February, the last ending on Sunday 1 March.
    assert baseline_months(date(2026, 3, 4), "week") == ["2026-02", "2026-03"]
    years = baseline_months(date(2026, 7, 1), "year")
    assert (years[0], years[-1], len(years)) == ("2023-01", "2025-12", 36)


def test_a_full_cut_has_no_percentage() -> None:
    full = goal(
        kind="reduction", target_co2e_kg=None, target_reduction_percent=100.0, baseline_co2e_kg=80.0
    )
    clean = progress(full, [month("2026-03", {})], today=date(2026, 3, 10))
    assert (clean.target_co2e_kg, clean.percent, clean.on_track) == (0.0, None, True)
    dirty = progress(full, MARCH, today=date(2026, 3, 10))
    assert (dirty.percent, dirty.on_track) == (None, False)


def test_per_member_progress_divides_by_members() -> None:
    result = progress(goal(team_scope="per_member"), MARCH, today=date(2026, 3, 10), members=3)
    assert result.current_co2e_kg == pytest.approx(20.0)


def test_float_noise_does_not_break_a_target_met_exactly() -> None:
    totals = [month("2026-03", {1: {"transport": 0.1}, 2: {"transport": 0.2}})]
    result = progress(goal(target_co2e_kg=0.3), totals, today=date(2026, 3, 31))
    assert result.current_co2e_kg > 0.3  # 0.30000000000000004
    assert result.on_track is True


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": "savings"}, "kind"),
        ({"period": "day"}, "period"),
        ({"period": ""}, "period"),
        ({"category": "diet"}, "category"),
        ({"team_scope": "everyone"}, "scope"),
        ({"target_co2e_kg": 0.0}, "targetCo2eKg"),
        ({"target_co2e_kg": -5.0}, "targetCo2eKg"),
        ({"target_co2e_kg": math.inf}, "targetCo2eKg"),
        ({"target_co2e_kg": math.nan}, "targetCo2eKg"),
        ({"target_co2e_kg": 2e9}, "targetCo2eKg"),
        ({"target_co2e_kg": None}, "targetCo2eKg"),
        ({"target_reduction_percent": 10.0}, "targetReductionPercent"),
        ({"kind": "reduction"}, "targetCo2eKg"),
        ({"kind": "reduction", "target_co2e_kg": None}, "targetReductionPercent"),
        ({"kind": "reduction", "target_co2e_kg": None, "target_reduction_percent": 0.0}, None),
        ({"kind": "reduction", "target_co2e_kg": None, "target_reduction_percent": -10.0}, None),
        ({"kind": "reduction", "target_co2e_kg": None, "target_reduction_percent": 100.5}, None),
        ({"kind": "reduction", "target_co2e_kg": None, "target_reduction_percent": math.nan}, None),
    ],
)
def test_impossible_goals_are_invalid(overrides: dict[str, Any], field: str | None) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_goal(goal(**overrides))
    assert raised.value.field == (field or "targetReductionPercent")


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"category": "flights", "period": "year", "target_co2e_kg": 1e9},
        {"kind": "reduction", "target_co2e_kg": None, "target_reduction_percent": 100.0},
        {"kind": "reduction", "target_co2e_kg": None, "target_reduction_percent": 0.5},
        {"team_scope": "per_member", "period": "week"},
    ],
)
def test_measurable_goals_pass(overrides: dict[str, Any]) -> None:
    check_goal(goal(**overrides))


def test_start_date_within_a_year_or_so_of_today() -> None:
    today = date(2026, 3, 10)
    check_start_date(date(2025, 3, 9), today=today)  # 366 days back
    check_start_date(date(2027, 3, 11), today=today)  # 366 days ahead
    for bad in (date(2025, 3, 8), date(2027, 3, 12), date(1970, 1, 1)):
        with pytest.raises(InvalidInput) as raised:
            check_start_date(bad, today=today)
        assert raised.value.field == "startDate"
