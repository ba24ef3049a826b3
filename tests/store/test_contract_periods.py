"""Contract: an entry over a period spreads its kg over its days and counts once, on its day."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

import pytest

from carbontrack.domain import spread
from carbontrack.domain.categories import CATEGORIES
from carbontrack.domain.models import Entry, MonthTotals, User
from carbontrack.store.base import Store
from carbontrack.store.dynamodb import rollups, writes
from carbontrack.store.dynamodb.batch import MAX_TRANSACTION
from tests.store.factories import make_entry, make_user

MONTHS = ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04"]
LOGGED = date(2026, 4, 2)  # the day the bill was logged


def _user(store: Store) -> User:
    user = make_user()
    store.users.add(user)
    return user


def _bill(user: User, start: date, end: date, **overrides: Any) -> Entry:
    """A heating bill logged at noon on LOGGED, over `start..end`."""
    values: dict[str, Any] = {
        "user_id": user.user_id,
        "timestamp": datetime.combine(LOGGED, time(12), UTC),
        "day": LOGGED,
        "category": "heating",
        "co2e_kg": 90.0,
        "period_start": start,
        "period_end": end,
    }
    return make_entry(**(values | overrides))


def _kg(totals: list[MonthTotals]) -> dict[str, dict[int, float]]:
    """kg per day of each month, rounded (float shares differ in the last bits)."""
    return {
        t.month: {day: round(sum(kg.values()), 6) for day, kg in t.co2e_kg_by_day.items() if kg}
        for t in totals
    }


def _counts(totals: list[MonthTotals]) -> dict[str, dict[int, int]]:
    return {t.month: dict(t.entries_by_day) for t in totals if t.entries_by_day}


def test_a_quarter_bill_spreads_over_its_days_and_counts_on_its_day(store: Store) -> None:
    user = _user(store)
    # Q1 2026 has 31 + 28 + 31 = 90 days: 90 kg is 1 kg a day.
    bill = _bill(user, date(2026, 1, 1), date(2026, 3, 31))
    store.entries.add(bill)
    assert store.entries.get(user.user_id, bill.entry_id) == bill
    totals = store.rollups.month_totals(user.user_id, MONTHS)
    by_day = _kg(totals)
    assert (by_day["2025-12"], by_day["2026-04"]) == ({}, {})
    assert by_day["2026-01"] == dict.fromkeys(range(1, 32), 1.0)
    assert by_day["2026-02"] == dict.fromkeys(range(1, 29), 1.0)
    assert by_day["2026-03"] == dict.fromkeys(range(1, 32), 1.0)
    assert _counts(totals) == {"2026-04": {2: 1}}
    assert store.rollups.entry_count(user.user_id) == 1


def test_changing_the_period_moves_the_totals(store: Store) -> None:
    user = _user(store)
    bill = _bill(user, date(2026, 1, 1), date(2026, 3, 31))
    store.entries.add(bill)
    # February 2026 has 28 days: 84 kg is 3 kg a day, and nothing is left in January or March.
    changed = replace(
        bill, co2e_kg=84.0, period_start=date(2026, 2, 1), period_end=date(2026, 2, 28)
    )
    stored = store.entries.update(bill, changed)
    assert store.entries.get(user.user_id, bill.entry_id) == stored
    by_day = _kg(store.rollups.month_totals(user.user_id, MONTHS))
    assert (by_day["2026-01"], by_day["2026-03"]) == ({}, {})
    assert by_day["2026-02"] == dict.fromkeys(range(1, 29), 3.0)
    # Dropping the period puts the whole 84 kg back on the entry's own day.
    plain = store.entries.update(stored, replace(stored, period_start=None, period_end=None))
    assert plain.period_start is None
    totals = store.rollups.month_totals(user.user_id, MONTHS)
    assert _kg(totals) == {m: ({2: 84.0} if m == "2026-04" else {}) for m in MONTHS}
    assert _counts(totals) == {"2026-04": {2: 1}}
    assert store.rollups.entry_count(user.user_id) == 1


def test_deleting_a_period_entry_empties_every_day(store: Store) -> None:
    user = _user(store)
    bill = _bill(user, date(2025, 12, 20), date(2026, 1, 10))
    store.entries.add(bill)
    store.entries.delete(user.user_id, bill.entry_id)
    totals = store.rollups.month_totals(user.user_id, MONTHS)
    assert [t.co2e_kg_by_day for t in totals] == [{}] * len(MONTHS)
    assert [t.entries_by_day for t in totals] == [{}] * len(MONTHS)
    assert store.rollups.entry_count(user.user_id) == 0


def test_add_many_of_year_long_periods_and_days_sums_them_all(store: Store) -> None:
    user = _user(store)
    # 30 bills over the 366 days of 2024 (13 months each with their own day, April 2026),
    # and 30 one-day entries: DynamoDB needs several transactions of at most 100 actions.
    bills = [_bill(user, date(2024, 1, 1), date(2024, 12, 31), co2e_kg=366.0) for _ in range(30)]
    days = [make_entry(user_id=user.user_id, day=date(2024, 2, 29), co2e_kg=2.0) for _ in range(30)]
    store.entries.add_many([*bills, *days])
    totals = store.rollups.month_totals(user.user_id, ["2024-01", "2024-02", "2024-12"])
    by_day = _kg(totals)
    # Each of the 30 bills adds 366 / 366 = 1 kg a day; 29 February also holds 30 x 2 kg.
    assert by_day["2024-01"] == dict.fromkeys(range(1, 32), 30.0)
    assert by_day["2024-02"] == dict.fromkeys(range(1, 30), 30.0) | {29: 90.0}
    assert by_day["2024-12"] == dict.fromkeys(range(1, 32), 30.0)
    assert totals[1].entries_by_day == {29: 30}
    assert store.rollups.entry_count(user.user_id) == 60


def test_restore_then_rebuild_gives_what_the_writes_gave(store: Store) -> None:
    user = _user(store)
    bill = _bill(user, date(2026, 1, 15), date(2026, 2, 14))
    other = make_entry(user_id=user.user_id, day=date(2026, 1, 20), co2e_kg=5.0)
    store.entries.add_many([bill, other])
    written = store.rollups.month_totals(user.user_id, MONTHS)
    store.entries.put_many([bill, other])
    store.rollups.rebuild(user.user_id)
    assert store.entries.get(user.user_id, bill.entry_id) == bill
    rebuilt = store.rollups.month_totals(user.user_id, MONTHS)
    assert _kg(rebuilt) == _kg(written)
    assert _counts(rebuilt) == _counts(written)
    # 31 days from 15 January: 90 / 31 kg a day; 20 January also holds 5 kg.
    assert _kg(rebuilt)["2026-01"][20] == round(90 / 31 + 5.0, 6)
    assert store.rollups.entry_count(user.user_id) == 2


@pytest.mark.parametrize("kg", [0.00001, 1.0, 100.0 / 3])
def test_shares_add_up_to_the_entry(store: Store, kg: float) -> None:
    user = _user(store)
    store.entries.add(_bill(user, date(2026, 1, 1), date(2026, 1, 7), co2e_kg=kg))
    (january,) = store.rollups.month_totals(user.user_id, ["2026-01"])
    shares = [sum(by_category.values()) for by_category in january.co2e_kg_by_day.values()]
    assert sum(shares) == pytest.approx(kg, abs=1e-9)
    assert all(share >= 0 for share in shares)


def test_every_transaction_keeps_within_dynamodb_limits() -> None:
    # 366-day bills from 15 January 2021, 2022 and 2023, logged in April 2026: each adds to
    # 13 months of its period and the month of its day.
    bills = [
        make_entry(day=LOGGED, period_start=date(year, 1, 15), period_end=date(year + 1, 1, 15))
        for year in (2021, 2022, 2023)
        for _ in range(20)
    ]
    entries = [*bills, *(make_entry() for _ in range(80))]
    chunked = list(writes.chunks(entries))
    assert sorted(i for chunk in chunked for i in chunk) == list(range(len(entries)))
    for chunk in chunked:
        touched = set().union(*(spread.months(entries[i]) for i in chunk))
        assert 2 * len(chunk) + len(touched) + 1 <= MAX_TRANSACTION
    # An update moving a 366-day bill two years back: an ADD to each of its old and new
    # months (13 each; April, its day, nets 0), beside the entry's Delete and Put.
    moved = replace(bills[0], period_start=date(2019, 1, 15), period_end=date(2020, 1, 15))
    deltas = rollups.Deltas(
        added=rollups.contribution(moved), removed=rollups.contribution(bills[0])
    )
    assert len(rollups.update_actions("rollups", "u", deltas)) == 26


def test_a_full_month_of_every_category_fits_one_update_expression() -> None:
    # Every category on every day of a 31-day month, with counts: DynamoDB caps an
    # expression at 4 KB, and one month item takes one ADD per transaction.
    parts = [
        (f"2026-01-{day:02d}", category, Decimal("1.5"), 1)
        for day in range(1, 32)
        for category in CATEGORIES
    ]
    (action,) = rollups.update_actions("rollups", "u", rollups.Deltas(added=parts))[:1]
    assert len(action["Update"]["UpdateExpression"]) < 4096
