"""The kg CO2e of a range of local days, for /history's filter, from the store-kept totals.

The totals are kept per local day and category by every entry write (RollupRepository), so
the sum of a range costs one read of its months, never a read of the entries. A bill over a
period is spread over its days there, so a range counts only the part of a bill on its days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from carbontrack.domain import periods
from carbontrack.domain.models import User
from carbontrack.store.base import Store

MAX_MONTHS = 100  # one read of month totals (RollupRepository.month_totals)


@dataclass(frozen=True, slots=True)
class RangeTotal:
    """kg CO2e from `first` to `last` (both included), of one category or all."""

    first: date
    last: date
    category: str | None
    co2e_kg: float


def range_total(
    *, store: Store, user: User, first: date, last: date, category: str | None = None
) -> RangeTotal | None:
    """The total of local days `first`..`last`; None if they span more than MAX_MONTHS months."""
    stop = last + timedelta(days=1)
    months = periods.month_keys(first, stop)
    if len(months) > MAX_MONTHS:
        return None
    totals = store.rollups.month_totals(user.user_id, months)
    return RangeTotal(first, last, category, periods.total_kg(totals, first, stop, category))
