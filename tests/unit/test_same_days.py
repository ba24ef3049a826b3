"""The current period so far is compared with the same days of the one before."""

from __future__ import annotations

from datetime import date

import pytest

from carbontrack.domain.periods import Period
from carbontrack.services.stats import same_days_before


@pytest.mark.parametrize(
    ("start", "today", "period", "expected"),
    [
        # 1-10 March against 1-10 February (the range is half-open: up to 11 February).
        (date(2026, 3, 1), date(2026, 3, 10), "month", (date(2026, 2, 1), date(2026, 2, 11))),
        # 31 March against all of February, which has only 28 days.
        (date(2026, 3, 1), date(2026, 3, 31), "month", (date(2026, 2, 1), date(2026, 3, 1))),
        # The first day of a month against the first day of the last.
        (date(2026, 3, 1), date(2026, 3, 1), "month", (date(2026, 2, 1), date(2026, 2, 2))),
        # Monday to Wednesday against last Monday to Wednesday.
        (date(2026, 3, 2), date(2026, 3, 4), "week", (date(2026, 2, 23), date(2026, 2, 26))),
        # 1 January to 15 February against the same 46 days of last year.
        (date(2026, 1, 1), date(2026, 2, 15), "year", (date(2025, 1, 1), date(2025, 2, 16))),
        (date(2026, 3, 10), date(2026, 3, 10), "day", (date(2026, 3, 9), date(2026, 3, 10))),
    ],
)
def test_same_days_before(
    start: date, today: date, period: Period, expected: tuple[date, date]
) -> None:
    assert same_days_before(start, today=today, period=period) == expected
