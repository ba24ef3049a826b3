"""The restore side of backups: scan every user, write records exactly as given."""

from __future__ import annotations

from dataclasses import replace

import pytest

from carbontrack.domain.errors import AlreadyExists
from carbontrack.store.base import Store
from tests.store.factories import make_entry, make_user


def test_scan_all_yields_every_user_once(store: Store) -> None:
    users = [make_user() for _ in range(7)]
    for user in users:
        store.users.add(user)
    scanned = list(store.users.scan_all())
    assert sorted(scanned, key=lambda u: u.user_id) == sorted(users, key=lambda u: u.user_id)


def test_scan_all_of_an_empty_store_is_empty(store: Store) -> None:
    assert list(store.users.scan_all()) == []


def test_put_many_users_writes_exactly_and_replaces(store: Store) -> None:
    first, second = make_user(), make_user(token_version=3, country=None)
    store.users.put_many([first, second])
    assert store.users.get(first.user_id) == first
    assert store.users.get_by_email(second.email) == second
    changed = replace(first, name="Renamed", created_at=second.created_at)
    store.users.put_many([changed])
    store.users.put_many([changed])  # repeating a restore changes nothing
    assert store.users.get(first.user_id) == changed
    assert len(list(store.users.scan_all())) == 2


def test_put_many_users_refuses_an_email_of_another_user(store: Store) -> None:
    owner = make_user()
    store.users.add(owner)
    with pytest.raises(AlreadyExists):
        store.users.put_many([make_user(email=owner.email.upper())])
    assert [u.user_id for u in store.users.scan_all()] == [owner.user_id]


def test_put_many_entries_of_several_users_replaces_same_ids(store: Store) -> None:
    alice, bob = make_user(), make_user()
    store.users.put_many([alice, bob])
    entries = [make_entry(user_id=alice.user_id), make_entry(user_id=bob.user_id)]
    store.entries.put_many(entries)
    store.entries.put_many(entries)
    for entry in entries:
        assert store.entries.get(entry.user_id, entry.entry_id) == entry
    edited = replace(entries[0], quantity=99.0, co2e_kg=1.5, note="fixed")
    store.entries.put_many([edited])
    assert store.entries.get(alice.user_id, edited.entry_id) == edited
    assert len(store.entries.list_for_user(alice.user_id).items) == 1
