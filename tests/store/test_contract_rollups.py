"""Contract: per-user totals kept by every entry write, read by month without the history."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from carbontrack.domain.errors import AlreadyExists, InvalidInput
from carbontrack.domain.models import Entry, MonthTotals, User
from carbontrack.store.base import Store
from tests.backends import StoreFactory
from tests.store.factories import T0, make_entry, make_user

Shape = dict[str, tuple[dict[int, dict[str, float]], dict[int, int]]]


def _user(store: Store) -> User:
    user = make_user()
    store.users.add(user)
    return user


def _on(user: User, day: date, **overrides: Any) -> Entry:
    """An entry of `user` logged on local `day` (its UTC timestamp at noon that day)."""
    timestamp = datetime.combine(day, time(12), T0.tzinfo)
    return make_entry(user_id=user.user_id, timestamp=timestamp, day=day, **overrides)


def _shape(totals: Iterable[MonthTotals], digits: int = 6) -> Shape:
    """Totals as plain dicts, kg rounded: float sums differ in the last bits by order."""
    return {
        t.month: (
            {
                day: {category: round(kg, digits) for category, kg in by_category.items()}
                for day, by_category in t.co2e_kg_by_day.items()
            },
            dict(t.entries_by_day),
        )
        for t in totals
    }


def _expected(entries: Iterable[Entry], months: list[str]) -> Shape:
    """What the totals must be, recomputed from the entries."""
    kg: dict[str, dict[int, dict[str, float]]] = {month: {} for month in months}
    counts: dict[str, dict[int, int]] = {month: {} for month in months}
    for entry in entries:
        month, day = entry.day.isoformat()[:7], entry.day.day
        by_category = kg[month].setdefault(day, {})
        by_category[entry.category] = by_category.get(entry.category, 0.0) + entry.co2e_kg
        counts[month][day] = counts[month].get(day, 0) + 1
    return {
        month: (
            {
                day: {c: round(v, 6) for c, v in by_category.items() if abs(v) >= 1e-9}
                for day, by_category in kg[month].items()
            },
            counts[month],
        )
        for month in months
    }


MARCH, APRIL = date(2026, 3, 14), date(2026, 4, 2)


def test_add_and_add_many_fill_days_categories_and_count(store: Store) -> None:
    user = _user(store)
    store.entries.add(_on(user, MARCH, co2e_kg=2.5))
    store.entries.add_many(
        [
            _on(user, MARCH, co2e_kg=1.25),
            _on(user, MARCH, category="flights", co2e_kg=100.0),
            _on(user, APRIL, category="electricity", co2e_kg=3.0),
        ]
    )
    totals = store.rollups.month_totals(user.user_id, ["2026-03", "2026-04"])
    assert _shape(totals) == {
        "2026-03": ({14: {"transport": 3.75, "flights": 100.0}}, {14: 3}),
        "2026-04": ({2: {"electricity": 3.0}}, {2: 1}),
    }
    assert store.rollups.entry_count(user.user_id) == 4


def test_update_moves_the_contribution(store: Store) -> None:
    user = _user(store)
    kept = _on(user, MARCH, co2e_kg=1.0)
    moved = _on(user, MARCH, co2e_kg=2.0)
    store.entries.add_many([kept, moved])
    _change(store, moved, quantity=10.0, co2e_kg=20.0)  # amount
    after_amount = store.rollups.month_totals(user.user_id, ["2026-03"])
    assert _shape(after_amount)["2026-03"] == ({14: {"transport": 21.0}}, {14: 2})
    _change(store, moved, co2e_kg=20.0, category="heating")  # category
    after_category = store.rollups.month_totals(user.user_id, ["2026-03"])
    assert _shape(after_category)["2026-03"] == ({14: {"transport": 1.0, "heating": 20.0}}, {14: 2})
    later = datetime.combine(APRIL, time(9), T0.tzinfo)
    _change(store, moved, timestamp=later, day=APRIL, category="transport", co2e_kg=5.0)  # day
    totals = store.rollups.month_totals(user.user_id, ["2026-03", "2026-04"])
    assert _shape(totals) == {
        "2026-03": ({14: {"transport": 1.0}}, {14: 1}),
        "2026-04": ({2: {"transport": 5.0}}, {2: 1}),
    }
    assert store.rollups.entry_count(user.user_id) == 2


def test_a_note_only_update_leaves_totals_alone(store: Store) -> None:
    user = _user(store)
    entry = _on(user, MARCH, co2e_kg=0.1)
    store.entries.add(entry)
    _change(store, entry, note="walked half of it")
    assert _shape(store.rollups.month_totals(user.user_id, ["2026-03"]))["2026-03"] == (
        {14: {"transport": 0.1}},
        {14: 1},
    )


def test_delete_subtracts_and_an_emptied_day_disappears(store: Store) -> None:
    user = _user(store)
    first, second = _on(user, MARCH, co2e_kg=0.1), _on(user, MARCH, co2e_kg=0.2)
    other_day = _on(user, MARCH + timedelta(days=1), co2e_kg=0.3)
    store.entries.add_many([first, second, other_day])
    store.entries.delete(user.user_id, first.entry_id)
    (march,) = store.rollups.month_totals(user.user_id, ["2026-03"])
    assert march.entries_by_day == {14: 1, 15: 1}
    assert march.co2e_kg_by_day[14]["transport"] == pytest.approx(0.2, abs=1e-9)
    store.entries.delete(user.user_id, second.entry_id)
    (march,) = store.rollups.month_totals(user.user_id, ["2026-03"])
    assert march.entries_by_day == {15: 1}
    assert set(march.co2e_kg_by_day) == {15}
    assert store.rollups.entry_count(user.user_id) == 1


def test_failed_writes_change_no_totals(store: Store) -> None:
    user = _user(store)
    entry = _on(user, MARCH, co2e_kg=4.0)
    store.entries.add(entry)
    with pytest.raises(AlreadyExists):
        store.entries.add(replace(entry, co2e_kg=9.0))
    with pytest.raises(AlreadyExists):  # the clash comes last: nothing of it stays
        store.entries.add_many([_on(user, APRIL, co2e_kg=1.0), replace(entry, co2e_kg=7.0)])
    totals = store.rollups.month_totals(user.user_id, ["2026-03", "2026-04"])
    assert _shape(totals) == {"2026-03": ({14: {"transport": 4.0}}, {14: 1}), "2026-04": ({}, {})}
    assert store.rollups.entry_count(user.user_id) == 1


def test_deleting_a_user_removes_their_totals_only(store: Store) -> None:
    user, other = _user(store), _user(store)
    store.entries.add(_on(user, MARCH, co2e_kg=1.0))
    store.entries.add(_on(other, MARCH, co2e_kg=2.0))
    store.users.delete(user.user_id)
    assert store.rollups.month_totals(user.user_id, ["2026-03"]) == [MonthTotals("2026-03")]
    assert store.rollups.entry_count(user.user_id) == 0
    assert _shape(store.rollups.month_totals(other.user_id, ["2026-03"]))["2026-03"] == (
        {14: {"transport": 2.0}},
        {14: 1},
    )
    assert store.rollups.entry_count(other.user_id) == 1


def test_month_totals_come_in_the_order_asked_with_empty_months(store: Store) -> None:
    user = _user(store)
    store.entries.add_many([_on(user, MARCH, co2e_kg=1.0), _on(user, APRIL, co2e_kg=2.0)])
    months = ["2026-04", "2025-12", "2026-03", "2026-04"]
    totals = store.rollups.month_totals(user.user_id, months)
    assert [t.month for t in totals] == months
    assert totals[1] == MonthTotals("2025-12")
    assert totals[0] == totals[3]
    assert totals[2].entries_by_day == {14: 1}
    assert store.rollups.month_totals(user.user_id, []) == []
    assert store.rollups.month_totals("nobody", ["2026-03"]) == [MonthTotals("2026-03")]
    assert store.rollups.entry_count("nobody") == 0


@pytest.mark.parametrize("month", ["2026-13", "2026-3", "ALL", "2026-03-01", ""])
def test_a_month_key_must_be_a_month(store: Store, month: str) -> None:
    with pytest.raises(InvalidInput):
        store.rollups.month_totals("someone", [month])


def test_a_range_of_five_years_reads_whole(store: Store) -> None:
    user = _user(store)
    days = [date(2021, 1, 31), date(2023, 6, 15), date(2025, 12, 31)]
    store.entries.add_many([_on(user, day, co2e_kg=1.0) for day in days])
    months = [f"{year}-{month:02d}" for year in range(2021, 2026) for month in range(1, 13)]
    totals = store.rollups.month_totals(user.user_id, months + ["2026-01"] * 50)  # > 100 keys
    found = {t.month: t.entries_by_day for t in totals if t.entries_by_day}
    assert found == {"2021-01": {31: 1}, "2023-06": {15: 1}, "2025-12": {31: 1}}
    assert len(totals) == 110


def test_restore_writes_no_totals_until_rebuild(store: Store) -> None:
    user = _user(store)
    store.entries.add(_on(user, MARCH, co2e_kg=1.0))  # replaced by the restore
    entries = [_on(user, MARCH, co2e_kg=0.1 * n) for n in range(1, 6)]
    entries.append(_on(user, APRIL, category="water", co2e_kg=0.0))
    store.entries.put_many(entries)
    store.rollups.rebuild(user.user_id)
    months = ["2026-03", "2026-04"]
    everything = store.entries.list_for_user(user.user_id, limit=500).items
    assert _shape(store.rollups.month_totals(user.user_id, months)) == _expected(everything, months)
    assert store.rollups.entry_count(user.user_id) == 7
    (april,) = store.rollups.month_totals(user.user_id, ["2026-04"])
    assert april.co2e_kg_by_day == {2: {}}  # a day of 0 kg entries still counts as logged
    assert april.entries_by_day == {2: 1}


def test_rebuild_equals_the_incremental_totals(store: Store) -> None:
    user = _user(store)
    entries = [_on(user, MARCH + timedelta(days=n % 30), co2e_kg=0.1 * n) for n in range(60)]
    store.entries.add_many(entries)
    for entry in entries[:10]:
        _change(store, entry, co2e_kg=entry.co2e_kg * 3, category="heating")
    for entry in entries[10:20]:
        store.entries.delete(user.user_id, entry.entry_id)
    months = ["2026-03", "2026-04"]
    incremental = store.rollups.month_totals(user.user_id, months)
    store.rollups.rebuild(user.user_id)
    assert _shape(store.rollups.month_totals(user.user_id, months)) == _shape(incremental)
    assert store.rollups.entry_count(user.user_id) == 50


# -- every sequence of writes keeps the totals equal to a recomputation --------------------

_START = date(2026, 2, 20)  # 45 days: three months
_MONTHS = ["2026-02", "2026-03", "2026-04"]
_kg = st.sampled_from([0.0, 0.1, 0.2, 1 / 3, 2.131, 17.5, 1234.5678])
_change = st.tuples(st.integers(0, 44), st.sampled_from(["transport", "heating", "water"]), _kg)
_ops = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.integers(0, 0), _change),
        st.tuples(st.just("update"), st.integers(0, 20), _change),
        st.tuples(st.just("delete"), st.integers(0, 20), _change),
    ),
    min_size=1,
    max_size=25,
)


@settings(max_examples=8, deadline=None)
@given(ops=_ops)
# A day's kg going back to exactly zero, then more entries on it (moto once refused this:
# see tests/backends.canonical_moto_numbers).
@example(
    ops=[
        ("add", 0, (10, "heating", 2.131)),
        ("update", 0, (13, "transport", 0.0)),
        ("add", 0, (10, "heating", 2.131)),
        ("add", 0, (10, "heating", 1 / 3)),
        ("delete", 2, (0, "heating", 0.0)),
        ("add", 0, (10, "heating", 17.5)),
    ]
)
def test_any_writes_keep_totals_equal_to_a_recomputation(
    store_factory: StoreFactory, ops: list[tuple[str, int, tuple[int, str, float]]]
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        store = store_factory(Path(directory))
        try:
            user = _user(store)
            live: list[Entry] = []
            for kind, index, (offset, category, kg) in ops:
                day = _START + timedelta(days=offset)
                if kind == "add" or not live:
                    live.append(_on(user, day, category=category, co2e_kg=kg))
                    store.entries.add(live[-1])
                    continue
                target = live[index % len(live)]
                if kind == "delete":
                    store.entries.delete(user.user_id, target.entry_id)
                    live.remove(target)
                    continue
                timestamp = datetime.combine(day, time(12), T0.tzinfo)
                changed = _change(
                    store, target, timestamp=timestamp, day=day, category=category, co2e_kg=kg
                )
                live[live.index(target)] = changed
            totals = store.rollups.month_totals(user.user_id, _MONTHS)
            assert _shape(totals) == _expected(live, _MONTHS)
            assert store.rollups.entry_count(user.user_id) == len(live)
        finally:
            store.close()


def _change(store: Store, entry: Entry, **changes: Any) -> Entry:
    """Update an entry as the service does: from what is stored now."""
    current = store.entries.get(entry.user_id, entry.entry_id)
    assert current is not None
    return store.entries.update(current, replace(current, **changes))
