"""What both stores agree a month of totals looks like, built from raw per-day figures.

A day is present when it has entries or a share of an entry over a period (`shares`); a
category whose kg is within `ZERO_KG` of zero (a float residue left by subtracting, or
entries of 0 kg) is left out of its day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.models import MonthTotals

ZERO_KG = 1e-9
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def check_month(month: str) -> None:
    """Refuse anything but a "YYYY-MM" month key."""
    if not isinstance(month, str) or not _MONTH.fullmatch(month):
        raise InvalidInput(f"{month!r} is not a month (YYYY-MM)", field="months")


def month_totals(
    month: str,
    co2e_kg: Mapping[tuple[int, str], float],
    entries: Mapping[int, int],
    shared: frozenset[int] = frozenset(),
) -> MonthTotals:
    """A month's totals from kg by (day of month, category) and entries by day of month.

    `shared`: the days that hold a share of an entry over a period without an entry of
    their own.
    """
    totals = MonthTotals(month=month)
    for day, count in sorted(entries.items()):
        if count > 0:
            totals.entries_by_day[day] = count
    for day in sorted({*totals.entries_by_day, *shared}):
        totals.co2e_kg_by_day[day] = {}
    for (day, category), kg in sorted(co2e_kg.items()):
        if day in totals.co2e_kg_by_day and abs(kg) >= ZERO_KG:
            totals.co2e_kg_by_day[day][category] = kg
    return totals
