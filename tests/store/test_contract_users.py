"""Contract: users add / get / get_by_email / update / delete."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from carbontrack.domain.errors import AlreadyExists, NotFound
from carbontrack.store.base import Store
from tests.store.factories import T0, make_entry, make_user


def test_add_then_get_returns_equal_user(store: Store) -> None:
    user = make_user(country=None, token_version=3)
    store.users.add(user)
    assert store.users.get(user.user_id) == user


def test_get_unknown_user_is_none(store: Store) -> None:
    assert store.users.get("nobody") is None
    assert store.users.get_by_email("nobody@example.com") is None


def test_get_by_email_ignores_case(store: Store) -> None:
    user = make_user(email="ada@example.com")
    store.users.add(user)
    assert store.users.get_by_email("ada@example.com") == user
    assert store.users.get_by_email("ADA@Example.COM") == user


@pytest.mark.parametrize("taken", ["ada@example.com", "Ada@Example.com"])
def test_duplicate_email_is_already_exists(store: Store, taken: str) -> None:
    first = make_user(email="ada@example.com")
    store.users.add(first)
    with pytest.raises(AlreadyExists) as raised:
        store.users.add(make_user(email=taken))
    assert raised.value.field == "email"
    assert store.users.get_by_email("ada@example.com") == first


def test_duplicate_user_id_is_already_exists(store: Store) -> None:
    store.users.add(make_user(user_id="u-1"))
    with pytest.raises(AlreadyExists):
        store.users.add(make_user(user_id="u-1"))


def test_update_replaces_mutable_fields(store: Store) -> None:
    user = make_user()
    store.users.add(user)
    changed = replace(
        user,
        email="new@example.com",
        name="New Name",
        password_hash="$argon2id$new",
        country="FR",
        time_zone="Europe/Paris",
        token_version=user.token_version + 1,
    )
    store.users.update(changed)
    assert store.users.get(user.user_id) == changed
    assert store.users.get_by_email("new@example.com") == changed
    assert store.users.get_by_email(user.email) is None


def test_update_keeps_created_at(store: Store) -> None:
    user = make_user(created_at=T0)
    store.users.add(user)
    store.users.update(replace(user, name="Renamed", created_at=T0 + timedelta(days=9)))
    assert store.users.get(user.user_id) == replace(user, name="Renamed")


def test_update_to_taken_email_is_already_exists(store: Store) -> None:
    ada, bob = make_user(email="ada@example.com"), make_user(email="bob@example.com")
    store.users.add(ada)
    store.users.add(bob)
    with pytest.raises(AlreadyExists):
        store.users.update(replace(bob, email="ADA@example.com"))
    assert store.users.get(bob.user_id) == bob


def test_update_missing_user_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        store.users.update(make_user())


def test_delete_removes_user_and_their_entries_only(store: Store) -> None:
    gone, kept = make_user(), make_user()
    store.users.add(gone)
    store.users.add(kept)
    store.entries.add_many([make_entry(user_id=gone.user_id) for _ in range(3)])
    kept_entry = make_entry(user_id=kept.user_id)
    store.entries.add(kept_entry)

    store.users.delete(gone.user_id)

    assert store.users.get(gone.user_id) is None
    assert store.users.get_by_email(gone.email) is None
    assert store.entries.list_for_user(gone.user_id).items == []
    assert store.entries.list_for_user(kept.user_id).items == [kept_entry]
    with pytest.raises(NotFound):
        store.users.delete(gone.user_id)


def test_deleted_email_can_register_again(store: Store) -> None:
    user = make_user(email="ada@example.com")
    store.users.add(user)
    store.users.delete(user.user_id)
    again = make_user(email="ada@example.com")
    store.users.add(again)
    assert store.users.get_by_email("ada@example.com") == again
