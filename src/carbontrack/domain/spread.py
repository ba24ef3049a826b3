"""Entries over a period (a quarterly bill, a monthly pass): the rule and the days. Pure.

An entry may cover `period_start..period_end` (local calendar days, both included); its kg
is spread evenly over those days, and it still counts as one entry, on its own `day`
(docs/storage.md, "Entries over a period").
"""

from __future__ import annotations

from datetime import date, timedelta

from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.models import Entry

MAX_PERIOD_DAYS = 366  # a year, leap day included: 13 months at most, so a write stays small
MAX_FUTURE_DAYS = 1  # a period may end tomorrow at the latest, like an entry's timestamp
_ONE_DAY = timedelta(days=1)


def months(entry: Entry) -> set[str]:
    """The "YYYY-MM" months an entry adds to: its period's and its own day's (14 at most)."""
    found = {entry.day.isoformat()[:7]}
    if entry.period_start is not None and entry.period_end is not None:
        found.update(
            day.isoformat()[:7] for day in days_between(entry.period_start, entry.period_end)
        )
    return found


def days_between(start: date, end: date) -> list[date]:
    """Every day from `start` to `end`, both included."""
    return [start + _ONE_DAY * offset for offset in range((end - start).days + 1)]


def check_period(start: date | None, end: date | None, *, today: date) -> None:
    """`InvalidInput` unless both or neither are given, in order, short enough and not ahead."""
    if start is None and end is None:
        return
    if start is None or end is None:
        field = "periodStart" if start is None else "periodEnd"
        raise InvalidInput("give both periodStart and periodEnd, or neither", field=field)
    if end < start:
        raise InvalidInput("periodEnd must not be before periodStart", field="periodEnd")
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise InvalidInput(f"a period may span at most {MAX_PERIOD_DAYS} days", field="periodEnd")
    if end > today + _ONE_DAY * MAX_FUTURE_DAYS:
        raise InvalidInput("periodEnd is more than a day in the future", field="periodEnd")
    if start < date(1970, 1, 1):
        raise InvalidInput("periodStart is before 1970", field="periodStart")
