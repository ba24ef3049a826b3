"""Contract: users add / get / get_by_email / update_profile / change_password / delete."""

from __future__ import annotations

from dataclasses import replace

import pytest

from carbontrack.domain.errors import AlreadyExists, Conflict, NotFound
from carbontrack.store.base import Store
from tests.store.factories import make_entry, make_user


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


def test_update_profile_sets_only_the_fields_given(store: Store) -> None:
    user = make_user(name="Ada", country="GB", time_zone="Europe/London", token_version=2)
    store.users.add(user)
    renamed = store.users.update_profile(user.user_id, name="Ada L.")
    assert renamed == replace(user, name="Ada L.")
    moved = store.users.update_profile(user.user_id, country="FR", time_zone="Europe/Paris")
    assert moved == replace(user, name="Ada L.", country="FR", time_zone="Europe/Paris")
    cleared = store.users.update_profile(user.user_id, clear_country=True)
    assert cleared == replace(moved, country=None)
    assert store.users.get(user.user_id) == cleared
    assert store.users.get_by_email(user.email) == cleared  # the email item's copy too


def test_update_profile_never_writes_the_password_it_did_not_change(store: Store) -> None:
    user = make_user(password_hash="$argon2id$old", token_version=0)
    store.users.add(user)
    version = store.users.change_password(
        user.user_id, password_hash="$argon2id$new", expected_token_version=0
    )
    store.users.update_profile(user.user_id, name="Changed after the password")
    expected = replace(
        user, name="Changed after the password", password_hash="$argon2id$new", token_version=1
    )
    assert version == 1
    assert store.users.get(user.user_id) == expected
    assert store.users.get_by_email(user.email) == expected


def test_update_profile_of_missing_user_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        store.users.update_profile("nobody", name="X")


def test_change_password_bumps_the_version_it_expects_and_no_other(store: Store) -> None:
    user = make_user(password_hash="$argon2id$a", token_version=4)
    store.users.add(user)
    assert (
        store.users.change_password(
            user.user_id, password_hash="$argon2id$b", expected_token_version=4
        )
        == 5
    )
    with pytest.raises(Conflict) as raised:
        store.users.change_password(
            user.user_id, password_hash="$argon2id$c", expected_token_version=4
        )
    assert "another request" in raised.value.message
    changed = replace(user, password_hash="$argon2id$b", token_version=5)
    assert store.users.get(user.user_id) == changed
    assert store.users.get_by_email(user.email) == changed
    with pytest.raises(NotFound):
        store.users.change_password("nobody", password_hash="$argon2id$d", expected_token_version=0)


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
