"""Contract: entries add / get / update / delete, isolation, add_many, exact round trips."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from carbontrack.domain.errors import AlreadyExists, InvalidInput, NotFound
from carbontrack.domain.models import User
from carbontrack.store.base import Store
from tests.store.factories import T0, make_entry, make_factor_used, make_user


def _user(store: Store) -> User:
    user = make_user()
    store.users.add(user)
    return user


def test_add_then_get_returns_equal_entry(store: Store) -> None:
    user = _user(store)
    entry = make_entry(user_id=user.user_id, note="commute")
    store.entries.add(entry)
    assert store.entries.get(user.user_id, entry.entry_id) == entry


def test_resolving_factor_provenance_round_trips(store: Store) -> None:
    user = _user(store)
    factor = make_factor_used(
        factor_id="ember:ember-2023:grid-FR",
        requested_factor_id="grid:my-country",
        resolution=("grid:FR-2024", "ember:ember-2023:grid-FR"),
    )
    entry = make_entry(user_id=user.user_id, factor=factor)
    store.entries.add(entry)
    stored = store.entries.get(user.user_id, entry.entry_id)
    assert stored is not None
    assert stored.factor == factor
    assert stored.factor.resolution == ("grid:FR-2024", "ember:ember-2023:grid-FR")


def test_get_unknown_entry_is_none(store: Store) -> None:
    user = _user(store)
    assert store.entries.get(user.user_id, "missing") is None


def test_duplicate_entry_id_is_already_exists(store: Store) -> None:
    user = _user(store)
    entry = make_entry(user_id=user.user_id)
    store.entries.add(entry)
    with pytest.raises(AlreadyExists):
        store.entries.add(replace(entry, quantity=99.0))
    assert store.entries.get(user.user_id, entry.entry_id) == entry


def test_same_entry_id_for_two_users_are_two_entries(store: Store) -> None:
    ada, bob = _user(store), _user(store)
    store.entries.add(make_entry(user_id=ada.user_id, entry_id="e-1", quantity=1.0))
    store.entries.add(make_entry(user_id=bob.user_id, entry_id="e-1", quantity=2.0))
    ada_entry = store.entries.get(ada.user_id, "e-1")
    bob_entry = store.entries.get(bob.user_id, "e-1")
    assert ada_entry is not None
    assert bob_entry is not None
    assert (ada_entry.quantity, bob_entry.quantity) == (1.0, 2.0)


def test_update_replaces_fields_but_keeps_created_at(store: Store) -> None:
    user = _user(store)
    entry = make_entry(user_id=user.user_id, created_at=T0, updated_at=T0)
    store.entries.add(entry)
    later = T0 + timedelta(hours=5)
    changed = replace(
        entry,
        timestamp=entry.timestamp - timedelta(days=1),
        category="home",
        activity="electricity",
        quantity=3.25,
        unit="kWh",
        co2e_kg=0.75,
        factor=make_factor_used(factor_id="defra:defra-2020:electricity", unit="kWh"),
        note="meter reading",
        created_at=later,
        updated_at=later,
    )
    written = store.entries.update(entry, changed)
    assert written == replace(changed, created_at=T0, version=entry.version + 1)
    assert store.entries.get(user.user_id, entry.entry_id) == written


def test_update_missing_entry_is_not_found(store: Store) -> None:
    user = _user(store)
    entry = make_entry(user_id=user.user_id)
    with pytest.raises(NotFound):
        store.entries.update(entry, replace(entry, note="never stored"))


def test_delete_removes_entry_then_not_found(store: Store) -> None:
    user = _user(store)
    entry, other = make_entry(user_id=user.user_id), make_entry(user_id=user.user_id)
    store.entries.add_many([entry, other])
    store.entries.delete(user.user_id, entry.entry_id)
    assert store.entries.get(user.user_id, entry.entry_id) is None
    assert store.entries.list_for_user(user.user_id).items == [other]
    with pytest.raises(NotFound):
        store.entries.delete(user.user_id, entry.entry_id)


def test_other_users_entry_behaves_as_absent(store: Store) -> None:
    owner, intruder = _user(store), _user(store)
    entry = make_entry(user_id=owner.user_id)
    store.entries.add(entry)

    assert store.entries.get(intruder.user_id, entry.entry_id) is None
    taken = replace(entry, user_id=intruder.user_id)
    with pytest.raises(NotFound):
        store.entries.update(taken, replace(taken, quantity=0.0))
    with pytest.raises(NotFound):
        store.entries.delete(intruder.user_id, entry.entry_id)
    assert store.entries.list_for_user(intruder.user_id).items == []
    assert store.entries.get(owner.user_id, entry.entry_id) == entry


def test_add_many_inserts_all(store: Store) -> None:
    user = _user(store)
    batch = [make_entry(user_id=user.user_id) for _ in range(25)]
    store.entries.add_many(batch)
    listed = store.entries.list_for_user(user.user_id, limit=100).items
    assert sorted(e.entry_id for e in listed) == sorted(e.entry_id for e in batch)


def test_add_many_empty_is_a_no_op(store: Store) -> None:
    user = _user(store)
    store.entries.add_many([])
    assert store.entries.list_for_user(user.user_id).items == []


def test_add_many_with_duplicate_inside_batch_inserts_none(store: Store) -> None:
    user = _user(store)
    first = make_entry(user_id=user.user_id)
    batch = [first, make_entry(user_id=user.user_id), replace(first, quantity=7.0)]
    with pytest.raises(AlreadyExists):
        store.entries.add_many(batch)
    assert store.entries.list_for_user(user.user_id).items == []


def test_add_many_clashing_with_stored_entry_inserts_none(store: Store) -> None:
    user = _user(store)
    existing = make_entry(user_id=user.user_id)
    store.entries.add(existing)
    batch = [make_entry(user_id=user.user_id), replace(existing, quantity=7.0)]
    with pytest.raises(AlreadyExists):
        store.entries.add_many(batch)
    assert store.entries.list_for_user(user.user_id).items == [existing]


def test_add_many_of_two_users_is_invalid(store: Store) -> None:
    ada, bob = _user(store), _user(store)
    with pytest.raises(InvalidInput):
        store.entries.add_many([make_entry(user_id=ada.user_id), make_entry(user_id=bob.user_id)])
    assert store.entries.list_for_user(ada.user_id).items == []


def test_datetimes_round_trip_exactly_as_utc(store: Store) -> None:
    user = _user(store)
    plus_two = timezone(timedelta(hours=2))
    entry = make_entry(
        user_id=user.user_id,
        timestamp=datetime(2026, 11, 22, 12, 15, 30, 123456, tzinfo=plus_two),
        created_at=datetime(2026, 11, 22, 10, 15, 30, 0, tzinfo=UTC),
        updated_at=datetime(2026, 11, 22, 10, 15, 30, 1, tzinfo=UTC),
    )
    store.entries.add(entry)
    stored = store.entries.get(user.user_id, entry.entry_id)
    assert stored is not None
    assert stored.timestamp == datetime(2026, 11, 22, 10, 15, 30, 123456, tzinfo=UTC)
    assert stored.timestamp.utcoffset() == timedelta(0)
    assert stored.created_at.microsecond == 0
    assert stored.updated_at.microsecond == 1


# Kept inside what every backend can hold (DynamoDB numbers span 1e-130..1e126), and
# without -0.0, whose sign neither SQLite nor DynamoDB keeps.
@pytest.mark.parametrize(
    "value",
    [0.1 + 0.2, 1 / 3, math.pi * 1e6, 123456789.12345679, 2.0**-100, 1e-120, 9.87654321e120, -2.5],
)
def test_floats_round_trip_exactly(store: Store, value: float) -> None:
    user = _user(store)
    factor = make_factor_used(co2e_kg_per_unit=value)
    entry = make_entry(user_id=user.user_id, quantity=value, co2e_kg=value, factor=factor)
    store.entries.add(entry)
    stored = store.entries.get(user.user_id, entry.entry_id)
    assert stored is not None
    got = (stored.quantity, stored.co2e_kg, stored.factor.co2e_kg_per_unit)
    assert [x.hex() for x in got] == [value.hex()] * 3


def test_naive_datetime_is_invalid(store: Store) -> None:
    user = _user(store)
    with pytest.raises(InvalidInput):
        store.entries.add(make_entry(user_id=user.user_id, timestamp=datetime(2026, 1, 1)))
    assert store.entries.list_for_user(user.user_id).items == []


# An entry id exists once per user, whatever its time (DynamoDB: the id's guard item).


def test_an_entry_id_is_unique_across_timestamps(store: Store) -> None:
    user = _user(store)
    entry = make_entry(user_id=user.user_id)
    store.entries.add(entry)
    with pytest.raises(AlreadyExists):
        store.entries.add(replace(entry, timestamp=entry.timestamp + timedelta(hours=1)))
    assert store.entries.list_for_user(user.user_id).items == [entry]
    assert store.rollups.entry_count(user.user_id) == 1


def test_add_many_keeping_an_id_at_another_time_inserts_none(store: Store) -> None:
    user = _user(store)
    existing = make_entry(user_id=user.user_id)
    store.entries.add(existing)
    moved = replace(existing, timestamp=existing.timestamp - timedelta(days=3))
    with pytest.raises(AlreadyExists):
        store.entries.add_many([make_entry(user_id=user.user_id), moved])
    assert store.entries.list_for_user(user.user_id).items == [existing]
    assert store.rollups.entry_count(user.user_id) == 1


def test_a_deleted_id_is_gone_and_can_be_added_again_at_another_time(store: Store) -> None:
    user = _user(store)
    entry = make_entry(user_id=user.user_id)
    store.entries.add(entry)
    store.entries.delete(user.user_id, entry.entry_id)
    assert store.entries.get(user.user_id, entry.entry_id) is None
    again = replace(entry, timestamp=entry.timestamp + timedelta(days=1))
    store.entries.add_many([again])
    assert store.entries.get(user.user_id, entry.entry_id) == again
    store.entries.delete(user.user_id, entry.entry_id)
    assert store.entries.get(user.user_id, entry.entry_id) is None
    assert store.entries.list_for_user(user.user_id).items == []


def test_a_restored_id_is_unique_across_timestamps(store: Store) -> None:
    user = _user(store)
    entry = make_entry(user_id=user.user_id)
    store.entries.put_many([entry])
    with pytest.raises(AlreadyExists):
        store.entries.add(replace(entry, timestamp=entry.timestamp + timedelta(minutes=5)))
    assert store.entries.list_for_user(user.user_id).items == [entry]


def test_an_imported_id_stays_unique_after_its_time_moves(store: Store) -> None:
    user = _user(store)
    entry = make_entry(user_id=user.user_id)
    store.entries.add_many([entry])
    later = replace(entry, timestamp=entry.timestamp + timedelta(days=2))
    moved = store.entries.update(entry, later)
    with pytest.raises(AlreadyExists):
        store.entries.add(entry)
    assert store.entries.list_for_user(user.user_id).items == [moved]
