from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbontrack.domain.models import MonthTotals
from carbontrack.domain.periods import (
    PERIODS,
    Period,
    by_category,
    local_day,
    logged_days,
    month_keys,
    period_end,
    period_start,
    periods,
    shift,
    total_kg,
)


def test_local_day_follows_the_time_zone_across_dst() -> None:
    # 2026-03-29 01:30 UTC: already 03:30 summer time in Berlin; still the 28th in New York.
    instant = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert local_day(instant, "Europe/Berlin") == date(2026, 3, 29)
    assert local_day(instant, "America/New_York") == date(2026, 3, 28)
    assert local_day(instant, "UTC") == date(2026, 3, 29)


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("day", date(2026, 2, 28), date(2026, 3, 1)),
        ("week", date(2026, 2, 23), date(2026, 3, 2)),  # Monday to Monday
        ("month", date(2026, 2, 1), date(2026, 3, 1)),
        ("year", date(2026, 1, 1), date(2027, 1, 1)),
    ],
)
def test_period_bounds(period: Period, start: date, end: date) -> None:
    assert period_start(date(2026, 2, 28), period) == start
    assert period_end(date(2026, 2, 28), period) == end


def test_shift_crosses_years() -> None:
    assert shift(date(2026, 11, 1), "month", 3) == date(2027, 2, 1)
    assert shift(date(2026, 1, 1), "month", -1) == date(2025, 12, 1)
    assert shift(date(2026, 1, 1), "year", -2) == date(2024, 1, 1)


@settings(deadline=None)
@given(st.dates(min_value=date(1971, 1, 1), max_value=date(2100, 1, 1)), st.sampled_from(PERIODS))
def test_periods_tile_time(day: date, period: Period) -> None:
    start = period_start(day, period)
    assert start <= day < period_end(day, period)
    assert period_start(period_end(day, period), period) == period_end(day, period)
    assert shift(shift(start, period, 5), period, -5) == start


def test_periods_and_month_keys_cover_a_range() -> None:
    spans = periods(date(2026, 1, 30), date(2026, 3, 2), "month")
    assert spans == [
        (date(2026, 1, 1), date(2026, 2, 1)),
        (date(2026, 2, 1), date(2026, 3, 1)),
        (date(2026, 3, 1), date(2026, 4, 1)),
    ]
    assert month_keys(date(2025, 12, 31), date(2026, 1, 2)) == ["2025-12", "2026-01"]


def test_sums_over_month_totals() -> None:
    totals = [
        MonthTotals("2026-01", {31: {"transport": 2.0}}, {31: 1}),
        MonthTotals(
            "2026-02", {1: {"transport": 1.5, "electricity": 4.0}, 2: {"waste": 0.5}}, {1: 2, 2: 1}
        ),
    ]
    assert total_kg(totals, date(2026, 2, 1), date(2026, 3, 1)) == pytest.approx(6.0)
    assert total_kg(totals, date(2026, 1, 1), date(2026, 3, 1), "transport") == pytest.approx(3.5)
    assert by_category(totals, date(2026, 1, 31), date(2026, 2, 2)) == {
        "transport": 3.5,
        "electricity": 4.0,
    }
    assert logged_days(totals) == {date(2026, 1, 31), date(2026, 2, 1), date(2026, 2, 2)}
