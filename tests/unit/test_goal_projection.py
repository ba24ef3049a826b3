"""Goal projections with bills spread over their days: no spike, and the days they rest on."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from carbontrack.domain.goals import progress
from carbontrack.domain.models import Goal, MonthTotals

FEBRUARY = date(2026, 2, 1)  # 28 days


def _goal(target: float = 100.0) -> Goal:
    return Goal(
        goal_id="g-1",
        owner_id="u-1",
        kind="budget",
        period="month",
        start_date=FEBRUARY,
        created_at=datetime(2026, 2, 1, tzinfo=UTC),
        target_co2e_kg=target,
    )


def _february(kg_by_day: dict[int, dict[str, float]], entries: dict[int, int]) -> MonthTotals:
    return MonthTotals(month="2026-02", co2e_kg_by_day=kg_by_day, entries_by_day=entries)


def test_a_spread_bill_weighs_in_as_its_daily_amount() -> None:
    # A 28 kg heating bill over all of February is 1 kg a day; a 5 kg car trip on the 3rd.
    days = {d: {"heating": 1.0} for d in range(1, 29)}
    days[3]["transport"] = 5.0
    result = progress(_goal(), [_february(days, {1: 1, 3: 1})], today=date(2026, 2, 10))
    assert result.current_co2e_kg == pytest.approx(15.0)  # 10 days of bill + the trip
    assert result.booked_co2e_kg == pytest.approx(18.0)  # the bill's 11th to 28th
    assert result.projected_co2e_kg == pytest.approx(42.0)  # 15 kg in 10 of 28 days
    assert result.projection_days == 10
    assert result.on_track is True


def test_the_same_bill_on_one_day_would_have_spiked_the_projection() -> None:
    # What the bill did before periods: 28 kg on 1 February, extrapolated as if daily.
    totals = [_february({1: {"heating": 28.0}, 3: {"transport": 5.0}}, {1: 1, 3: 1})]
    result = progress(_goal(), totals, today=date(2026, 2, 10))
    assert result.projected_co2e_kg == pytest.approx(92.4)  # 33 kg x 28 / 10


def test_what_is_booked_ahead_is_a_floor_for_the_projection() -> None:
    # 110 kg over 1-11 February is 10 kg a day; today is the 10th, so 10 kg is booked for
    # the 11th. The pace (100 kg in 10 days, 280 kg a month) is above the floor (110 kg).
    days = {d: {"electricity": 10.0} for d in range(1, 12)}
    result = progress(_goal(target=120.0), [_february(days, {2: 1})], today=date(2026, 2, 10))
    assert (result.current_co2e_kg, result.booked_co2e_kg) == (pytest.approx(100.0), 10.0)
    assert result.projected_co2e_kg == pytest.approx(280.0)
    assert result.on_track is False
    # On the 1st, a day's pace projects 280 kg too, yet only what is logged and booked counts:
    # 10 kg today and 100 kg for the 2nd to 11th, within a 120 kg budget.
    first = progress(_goal(target=120.0), [_february(days, {2: 1})], today=FEBRUARY)
    assert (first.current_co2e_kg, first.booked_co2e_kg) == (10.0, pytest.approx(100.0))
    assert first.projection_days == 1
    assert first.projected_co2e_kg == pytest.approx(280.0)
    assert first.on_track is True
    over = progress(_goal(target=100.0), [_february(days, {2: 1})], today=FEBRUARY)
    assert over.on_track is False  # 110 kg logged and booked is over 100


def test_an_upcoming_goal_rests_on_no_days() -> None:
    result = progress(_goal(), [], today=date(2026, 1, 20))
    assert result.status == "upcoming"
    assert result.projection_days == 0
