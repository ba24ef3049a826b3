"""This month so far against the same days of last month, from the store's totals."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from carbontrack.services import stats
from carbontrack.store.base import Store
from tests.store.factories import make_entry, make_user


def test_this_month_so_far_is_compared_with_the_same_days_of_last_month(store: Store) -> None:
    user = make_user(time_zone="UTC", country=None)
    store.users.add(user)
    for day, kg in ((date(2026, 2, 5), 10.0), (date(2026, 2, 20), 50.0), (date(2026, 3, 3), 12.0)):
        timestamp = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        store.entries.add(
            make_entry(user_id=user.user_id, timestamp=timestamp, day=day, co2e_kg=kg)
        )
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    result = stats.get_stats(store=store, user=user, now=now)
    assert (result.previous.start, result.previous.end) == (date(2026, 2, 1), date(2026, 2, 10))
    # 12 kg on 1-10 March against 10 kg on 1-10 February: up 2 kg, 20 %. Against the whole
    # of February (60 kg) it would have read "down 80 %" with three weeks of March to come.
    assert result.previous.total_co2e_kg == 10.0
    assert result.trend.change_kg == pytest.approx(2.0)
    assert result.trend.change_percent == 20.0
    # An explicit range is still compared with the whole range before it.
    march = stats.get_stats(
        store=store, user=user, start=date(2026, 3, 1), end=date(2026, 3, 31), now=now
    )
    assert march.previous.total_co2e_kg == 60.0
