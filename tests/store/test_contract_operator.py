"""Contract: the operator role is stored, changed alone, and carried by backups."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from carbontrack.domain.errors import NotFound
from carbontrack.services import backup
from carbontrack.store.base import Store
from carbontrack.store.sqlite import SqliteStore
from tests.backends import dynamodb_store
from tests.store.factories import make_user
from tests.store.schema_rollback import roll_back


def test_a_new_user_is_not_an_operator(store: Store) -> None:
    user = make_user()
    store.users.add(user)
    stored = store.users.get(user.user_id)
    assert stored is not None
    assert stored.operator is False


def test_an_operator_round_trips_through_add_and_both_lookups(store: Store) -> None:
    user = make_user(operator=True)
    store.users.add(user)
    assert store.users.get(user.user_id) == user
    assert store.users.get_by_email(user.email) == user


def test_set_operator_grants_and_revokes_and_changes_nothing_else(store: Store) -> None:
    user = make_user(country="GB", token_version=2, distance_unit="mi")
    store.users.add(user)
    granted = store.users.set_operator(user.user_id, True)
    assert granted == replace(user, operator=True)
    assert store.users.get(user.user_id) == granted
    assert store.users.get_by_email(user.email.upper()) == granted
    revoked = store.users.set_operator(user.user_id, False)
    assert revoked == user
    assert store.users.get(user.user_id) == user
    assert store.users.get_by_email(user.email) == user


def test_the_role_survives_profile_and_password_changes(store: Store) -> None:
    user = make_user()
    store.users.add(user)
    store.users.set_operator(user.user_id, True)
    store.users.update_profile(user.user_id, name="Ada L.")
    store.users.change_password(user.user_id, password_hash="new", expected_token_version=0)
    stored = store.users.get(user.user_id)
    assert stored == replace(
        user, operator=True, name="Ada L.", password_hash="new", token_version=1
    )


def test_set_operator_of_an_unknown_user_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        store.users.set_operator("nobody", True)
    user = make_user()
    store.users.add(user)
    store.users.delete(user.user_id)
    with pytest.raises(NotFound):
        store.users.set_operator(user.user_id, True)


def test_restore_writes_the_role_as_given(store: Store) -> None:
    user = make_user()
    store.users.add(user)
    store.users.put_many([replace(user, operator=True)])
    assert store.users.get(user.user_id) == replace(user, operator=True)
    store.users.put_many([user])
    assert store.users.get_by_email(user.email) == user


def test_a_backup_carries_the_role(store: Store, tmp_path: Path) -> None:
    operator, ordinary = make_user(operator=True), make_user()
    store.users.add(operator)
    store.users.add(ordinary)
    path = tmp_path / "b"
    assert backup.export(store=store, path=path)["schemaVersion"] == backup.SCHEMA_VERSION
    store.users.delete(operator.user_id)
    store.users.delete(ordinary.user_id)
    backup.restore(store=store, path=path)
    assert store.users.get(operator.user_id) == operator
    assert store.users.get(ordinary.user_id) == ordinary


def test_a_version_4_backup_restores_users_as_not_operators(store: Store, tmp_path: Path) -> None:
    user = make_user()
    store.users.add(user)
    path = tmp_path / "b"
    backup.export(store=store, path=path)
    lines = (path / "records.jsonl").read_bytes()
    old = lines.replace(b',"operator":false', b"")
    assert old != lines
    (path / "records.jsonl").write_bytes(old)
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["schemaVersion"] = 4
    manifest["sha256"] = hashlib.sha256(old).hexdigest()
    (path / "manifest.json").write_text(json.dumps(manifest))
    store.users.delete(user.user_id)
    backup.restore(store=store, path=path)
    assert store.users.get(user.user_id) == user


def test_sqlite_users_from_before_migration_7_are_not_operators(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    user = make_user()
    with closing(SqliteStore(path)) as store:
        store.users.add(user)
    # Back to schema version 6, as a store written before issue 14.
    with closing(sqlite3.connect(path)) as conn:
        roll_back(conn, to_version=6)
    with closing(SqliteStore(path)) as store:
        assert store.users.get(user.user_id) == user
        assert store.inventory.statuses(services=["ec2"]) == []


def test_dynamodb_items_carry_the_attribute_only_for_operators(
    aws_moto: None, tmp_path: Path
) -> None:
    dynamo = dynamodb_store(tmp_path)
    try:
        user = make_user()
        dynamo.users.add(user)
        key = {"userId": {"S": user.user_id}}
        table = dynamo.prefix + "users"
        assert "operator" not in dynamo.client.get_item(TableName=table, Key=key)["Item"]
        dynamo.users.set_operator(user.user_id, True)
        item = dynamo.client.get_item(TableName=table, Key=key)["Item"]
        assert item["operator"] == {"BOOL": True}
        dynamo.users.set_operator(user.user_id, False)
        assert "operator" not in dynamo.client.get_item(TableName=table, Key=key)["Item"]
    finally:
        dynamo.close()
