"""Contract: the profile's distance unit (issue 13) is kept, updated field-wise, and defaults to km
for users stored before it existed, on both stores."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from carbontrack.services import backup
from carbontrack.store.base import Store
from carbontrack.store.dynamodb import DynamoStore, codec
from carbontrack.store.sqlite import SqliteStore
from tests.backends import dynamodb_store
from tests.store.factories import make_user
from tests.store.schema_rollback import roll_back


def test_a_user_keeps_their_distance_unit(store: Store) -> None:
    user = make_user(distance_unit="mi")
    store.users.add(user)
    assert store.users.get(user.user_id) == user
    assert store.users.get_by_email(user.email) == user


def test_a_new_user_logs_distances_in_km(store: Store) -> None:
    user = make_user()
    store.users.add(user)
    stored = store.users.get(user.user_id)
    assert stored is not None
    assert stored.distance_unit == "km"


def test_update_profile_sets_the_distance_unit_and_nothing_else(store: Store) -> None:
    user = make_user(name="Ada", country="GB", time_zone="Europe/London", token_version=2)
    store.users.add(user)
    miles = store.users.update_profile(user.user_id, distance_unit="mi")
    assert miles == replace(user, distance_unit="mi")
    renamed = store.users.update_profile(user.user_id, name="Ada L.")
    assert renamed == replace(user, name="Ada L.", distance_unit="mi")  # kept when not given
    assert store.users.get(user.user_id) == renamed
    assert store.users.get_by_email(user.email) == renamed  # the email item's copy too


def test_sqlite_users_from_before_the_column_read_as_km(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    user = make_user(distance_unit="mi")
    with closing(SqliteStore(path)) as store:
        store.users.add(user)
    # Back to schema version 5, as a store written before issue 13's migration 6 (and 7).
    with closing(sqlite3.connect(path)) as conn:
        roll_back(conn, to_version=5)
    with closing(SqliteStore(path)) as store:
        assert store.users.get(user.user_id) == replace(user, distance_unit="km")


@pytest.fixture
def dynamo(tmp_path: Path, aws_moto: None) -> Iterator[DynamoStore]:
    store = dynamodb_store(tmp_path)
    yield store
    store.close()


def test_dynamodb_items_without_the_attribute_read_as_km(dynamo: DynamoStore) -> None:
    user = make_user(distance_unit="mi")
    item = {k: v for k, v in codec.user_item(user).items() if k != "distanceUnit"}
    dynamo.client.put_item(TableName=dynamo.prefix + "users", Item=item)  # as written before
    assert dynamo.users.get(user.user_id) == replace(user, distance_unit="km")


def test_a_backup_keeps_the_distance_unit(store: Store, tmp_path: Path) -> None:
    user = make_user(distance_unit="mi")
    store.users.add(user)
    backup.export(store=store, path=tmp_path / "b")
    line = (tmp_path / "b" / "records.jsonl").read_bytes().splitlines()[0]
    assert b'"distance_unit":"mi"' in line
    assert backup.decode_record(line, number=1) == ("user", user)
    # A backup written before the field existed gives the user km, the default they had.
    older = line.replace(b',"distance_unit":"mi"', b"")
    assert backup.decode_record(older, number=1) == ("user", replace(user, distance_unit="km"))
