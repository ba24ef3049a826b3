"""Strict ISO 8601 input dates (domain/dates.py): the text we mean, in range, never a number."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbontrack.domain import dates, periods
from carbontrack.domain.dates import FIRST_DAY, LAST_DAY
from carbontrack.domain.errors import InvalidInput
from carbontrack.services import stats

NOT_A_DAY = [
    "0",
    "1e3",
    "1700000000",
    "20240101",  # ISO 8601 basic format: date.fromisoformat reads it
    "2024-W01-1",  # ISO week date: date.fromisoformat reads it
    "2024-1-1",
    "2024-02-30",
    "2024-01-01T00:00",
    " 2024-01-01",
    "0001-01-01",
    "9999-12-31",
    "1899-12-31",
    "3000-01-01",
    "",
]


@pytest.mark.parametrize("raw", NOT_A_DAY)
def test_a_day_is_yyyy_mm_dd_in_range_and_nothing_else(raw: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        dates.parse_day(raw, field="to")
    assert refused.value.field == "to"


@pytest.mark.parametrize("raw", [0, 1.5, None, b"2024-01-01", date(2024, 1, 1)])
def test_a_day_is_text_not_a_number_or_an_object(raw: object) -> None:
    with pytest.raises(InvalidInput):
        dates.parse_day(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "0",
        "1700000000",
        "2024-01-01",  # a day is not an instant
        "2024-01-01 10:00",
        "2024-01-01T24:00",
        "2024-01-01T10:00:00.1234567",
        "2024-01-01T10:00:00+05:30:15",
        "0001-01-01T00:00:00+05:00",
        "9999-12-31T23:00:00-05:00",
        "2024-01-01T10:00:00z",
    ],
)
def test_an_instant_is_iso_8601_text_in_range(raw: str) -> None:
    with pytest.raises(InvalidInput):
        dates.parse_instant(raw, field="timestamp")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-01-01T10:00", datetime(2024, 1, 1, 10, tzinfo=UTC)),
        ("2024-01-01T10:00:00Z", datetime(2024, 1, 1, 10, tzinfo=UTC)),
        ("2024-01-01T10:00:00.250+02:00", datetime(2024, 1, 1, 8, 0, 0, 250000, tzinfo=UTC)),
        ("2024-01-01T10:00-0130", datetime(2024, 1, 1, 11, 30, tzinfo=UTC)),
        ("1900-01-01T00:00+14:00", datetime(1899, 12, 31, 10, tzinfo=UTC)),
        ("2999-12-31T23:59:59-12:00", datetime(3000, 1, 1, 11, 59, 59, tzinfo=UTC)),
    ],
)
def test_an_instant_is_read_in_utc(raw: str, expected: datetime) -> None:
    parsed = dates.parse_instant(raw)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


def test_a_bound_is_a_day_or_an_instant() -> None:
    assert dates.parse_day_or_instant("2024-03-01") == date(2024, 3, 1)
    assert dates.parse_day_or_instant("2024-03-01T12:00Z") == datetime(2024, 3, 1, 12, tzinfo=UTC)
    with pytest.raises(InvalidInput, match=r"^from must be"):
        dates.parse_day_or_instant("0", field="from")


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=FIRST_DAY, max_value=LAST_DAY))
def test_every_day_in_range_parses_to_itself(day: date) -> None:
    assert dates.parse_day(day.isoformat()) == day


@settings(max_examples=200, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime.combine(FIRST_DAY, datetime.min.time()),
        max_value=datetime.combine(LAST_DAY, datetime.max.time()),
        timezones=st.just(timezone(timedelta(hours=-12))) | st.just(timezone(timedelta(hours=14))),
    )
)
def test_every_instant_in_range_parses_to_the_same_moment(moment: datetime) -> None:
    assert dates.parse_instant(moment.isoformat()) == moment


EXTREME_ZONES = ("Pacific/Kiritimati", "Etc/GMT+12", "Asia/Tokyo", "America/New_York")


@pytest.mark.parametrize("zone", EXTREME_ZONES)
@pytest.mark.parametrize("period", periods.PERIODS)
def test_the_arithmetic_on_the_first_and_last_days_stays_in_pythons_range(
    zone: str, period: periods.Period
) -> None:
    """What the routes do with a day that passed: shift zones, the day after, the range before."""
    assert zone in available_timezones()
    for first, last in ((FIRST_DAY, FIRST_DAY), (LAST_DAY, LAST_DAY), (FIRST_DAY, None)):
        start, stop = stats.resolve_range(period=period, start=first, end=last, today=FIRST_DAY)
        stats.previous_range(start, stop, period)
        for day in (start, stop):
            datetime.combine(day, datetime.min.time(), ZoneInfo(zone)).astimezone(UTC)
    assert stats.resolve_range(period=period, start=None, end=LAST_DAY, today=LAST_DAY)
