"""Calendar periods in a user's local days, and sums over store-kept month totals. Pure.

Weeks start on Monday (ISO 8601). Every range is half-open: `start <= day < end`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from carbontrack.domain.models import MonthTotals

Period = Literal["day", "week", "month", "year"]
PERIODS: tuple[Period, ...] = ("day", "week", "month", "year")


def local_day(timestamp: datetime, time_zone: str) -> date:
    """The calendar day `timestamp` falls on in `time_zone` (an IANA name)."""
    return timestamp.astimezone(ZoneInfo(time_zone)).date()


def period_start(day: date, period: Period) -> date:
    """The first day of the period that contains `day`."""
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def shift(start: date, period: Period, count: int) -> date:
    """The start of the period `count` periods after the one starting at `start`."""
    if period == "day":
        return start + timedelta(days=count)
    if period == "week":
        return start + timedelta(weeks=count)
    months = start.year * 12 + start.month - 1 + (count * 12 if period == "year" else count)
    return date(months // 12, months % 12 + 1, 1)


def period_end(day: date, period: Period) -> date:
    """The first day after the period that contains `day`."""
    return shift(period_start(day, period), period, 1)


def periods(start: date, end: date, period: Period) -> list[tuple[date, date]]:
    """The periods that touch `[start, end)`, each as its own `[start, end)`."""
    found: list[tuple[date, date]] = []
    cursor = period_start(start, period)
    while cursor < end:
        following = shift(cursor, period, 1)
        found.append((cursor, following))
        cursor = following
    return found


def month_keys(start: date, end: date) -> list[str]:
    """The "YYYY-MM" keys of the months that touch `[start, end)`."""
    return [f"{first.year:04d}-{first.month:02d}" for first, _ in periods(start, end, "month")]


def days(totals: Iterable[MonthTotals]) -> Iterator[tuple[date, dict[str, float], int]]:
    """Every day that has entries: (day, kg by category, number of entries)."""
    for month in totals:
        year, number = (int(part) for part in month.month.split("-"))
        for day_of_month, by_category in month.co2e_kg_by_day.items():
            count = month.entries_by_day.get(day_of_month, 0)
            yield date(year, number, day_of_month), by_category, count


def total_kg(
    totals: Sequence[MonthTotals], start: date, end: date, category: str | None = None
) -> float:
    """kg CO2e in `[start, end)`, for one category or all of them."""
    return sum(
        (kg.get(category, 0.0) if category else sum(kg.values()))
        for day, kg, _ in days(totals)
        if start <= day < end
    )


def by_category(totals: Sequence[MonthTotals], start: date, end: date) -> dict[str, float]:
    """kg CO2e per category in `[start, end)`."""
    sums: dict[str, float] = {}
    for day, kg, _ in days(totals):
        if start <= day < end:
            for category, value in kg.items():
                sums[category] = sums.get(category, 0.0) + value
    return sums


def logged_days(totals: Sequence[MonthTotals]) -> set[date]:
    """The days with at least one entry."""
    return {day for day, _, count in days(totals) if count > 0}
