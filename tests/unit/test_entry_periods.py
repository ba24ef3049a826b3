"""The period of a bill: which days it covers and which periods are refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from carbontrack.domain import spread
from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.models import Entry, FactorUsed

TODAY = date(2026, 4, 2)


def _entry(start: date | None, end: date | None) -> Entry:
    at = datetime(2026, 4, 2, 9, tzinfo=UTC)
    factor = FactorUsed(
        factor_id="f", dataset="d", year=2020, source="s", co2e_kg_per_unit=1.0, unit="kWh"
    )
    return Entry(
        entry_id="e",
        user_id="u",
        timestamp=at,
        day=TODAY,
        category="heating",
        activity="gas",
        quantity=1.0,
        unit="kWh",
        co2e_kg=1.0,
        factor=factor,
        created_at=at,
        updated_at=at,
        period_start=start,
        period_end=end,
    )


def test_a_quarter_covers_its_90_days_and_14_months_at_most() -> None:
    days = spread.days_between(date(2026, 1, 1), date(2026, 3, 31))
    assert (len(days), days[0], days[-1]) == (31 + 28 + 31, date(2026, 1, 1), date(2026, 3, 31))
    assert spread.months(_entry(date(2026, 1, 1), date(2026, 3, 31))) == {
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",  # the entry's own day
    }
    # 366 days from 15 January 2024 (a leap year) end on 14 January 2025: 13 months, + April.
    year = _entry(date(2024, 1, 15), date(2025, 1, 14))
    assert len(spread.days_between(date(2024, 1, 15), date(2025, 1, 14))) == 366
    assert len(spread.months(year)) == 14


def test_an_entry_without_a_period_adds_to_its_days_month() -> None:
    assert spread.months(_entry(None, None)) == {"2026-04"}


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (date(2026, 1, 1), None, "periodEnd"),
        (None, date(2026, 1, 1), "periodStart"),
        (date(2026, 2, 1), date(2026, 1, 31), "periodEnd"),
        (date(2024, 1, 1), date(2025, 1, 1), "periodEnd"),  # 367 days
        (date(2026, 4, 1), date(2026, 4, 4), "periodEnd"),  # ends after tomorrow
        (date(1969, 12, 31), date(1970, 1, 1), "periodStart"),
    ],
)
def test_bad_periods_are_refused(start: date | None, end: date | None, field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        spread.check_period(start, end, today=TODAY)
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (None, None),
        (TODAY, TODAY),
        (date(2026, 4, 1), date(2026, 4, 3)),  # ends tomorrow
        (date(2024, 1, 1), date(2024, 12, 31)),  # 366 days
    ],
)
def test_good_periods_pass(start: date | None, end: date | None) -> None:
    spread.check_period(start, end, today=TODAY)
