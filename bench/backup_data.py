"""The stores and data of the backup benchmark: how to open, seed and count each backend."""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import sample_data
from bench.dynamodb_calls import REGION
from carbontrack.domain.models import Entry, Factor, User
from carbontrack.services import factors
from carbontrack.services.entries import EntryInput, new_entry
from carbontrack.store.base import Store
from carbontrack.store.dynamodb import DynamoStore
from carbontrack.store.dynamodb.codec import value
from carbontrack.store.dynamodb.tables import ENTRIES, create_tables
from carbontrack.store.sqlite import SqliteStore

ENTRIES_PER_USER = 1_000
SPAN_S = 2 * 365 * 86400  # entries spread over two years
Resolved = dict[str, tuple[Factor, tuple[str, ...]]]


@dataclass(frozen=True)
class Backend:
    """How to open a fresh store of one backend, seed it and count its entries."""

    name: str
    open: Callable[[Path], Store]
    add_entries: Callable[[Store, list[Entry]], None]
    count_entries: Callable[[Store, Sequence[str]], int]


def resolve_factors(store: Store) -> Resolved:
    """The two factors the entries use, resolved once from a catalogue store."""
    owner = User(
        user_id=str(uuid.uuid4()),
        email="factors@example.org",
        name="Factors",
        password_hash="unused",
        created_at=datetime.now(UTC),
        country="GB",
    )
    return {
        fid: factors.resolve_for_user(store=store, factor_id=fid, user=owner)
        for fid in (sample_data.PETROL_CAR, sample_data.UK_GRID)
    }


def new_user(rng: random.Random, number: int, now: datetime) -> User:
    """A seed user (not written yet); its id comes from `rng`, so runs repeat."""
    return User(
        user_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        email=f"backup-{number}@example.org",
        name=f"Backup {number}",
        password_hash="unused",
        created_at=now,
        country="GB",
    )


def user_entries(
    user: User, count: int, rng: random.Random, resolved: Resolved, now: datetime
) -> list[Entry]:
    """Car trips (km and miles) and UK electricity, some with notes, over two years."""
    entries = []
    for i in range(count):
        if i % 4 == 3:
            fid, quantity, unit = sample_data.UK_GRID, round(rng.uniform(50, 400), 1), "kWh"
        else:
            fid, unit = sample_data.PETROL_CAR, rng.choice(("km", "mile"))
            quantity = round(rng.uniform(1, 80), 1)
        data = EntryInput(
            factor_id=fid,
            quantity=quantity,
            unit=unit,
            timestamp=now - timedelta(seconds=1 + rng.randrange(SPAN_S)),
            note=rng.choice(sample_data.NOTES),
        )
        factor, resolution = resolved[fid]
        entries.append(
            new_entry(user=user, data=data, factor=factor, resolution=resolution, now=now)
        )
    return entries


def _open_sqlite(directory: Path) -> Store:
    return SqliteStore(directory / "carbontrack.sqlite3")


def _count_sqlite(store: Store, _: Sequence[str]) -> int:
    assert isinstance(store, SqliteStore)
    with closing(sqlite3.connect(store.path)) as conn:
        count: int = conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    return count


def _open_dynamo(directory: Path) -> Store:
    store = DynamoStore(region=REGION, prefix=f"{directory.name}-")
    create_tables(store.client, store.prefix)
    return store


def _count_dynamo(store: Store, user_ids: Sequence[str]) -> int:
    """Entries per user with `Select=COUNT` Queries (moto then sends no items back).

    Only entries: their sort keys are "<time>#<id>" and times start with a digit, while each
    entry's id guard, in the same table, is "#id#<id>" (`codec.ENTRY_GUARD_PREFIX`).
    """
    assert isinstance(store, DynamoStore)
    total = 0
    for user_id in user_ids:
        request: dict[str, Any] = {
            "TableName": ENTRIES.name(store.prefix),
            "KeyConditionExpression": "userId = :user AND #ts BETWEEN :low AND :high",
            "ExpressionAttributeNames": {"#ts": "timestamp"},  # a reserved word
            "ExpressionAttributeValues": {
                ":user": value(user_id),
                ":low": value("0"),
                ":high": value("~"),
            },
            "Select": "COUNT",
            "ConsistentRead": True,
        }
        for _ in range(ENTRIES_PER_USER):  # bounded: 1 MB pages, far fewer than this
            page = store.client.query(**request)
            total += page["Count"]
            if "LastEvaluatedKey" not in page:
                break
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
    return total


def _put_dynamo(store: Store, entries: list[Entry]) -> None:
    store.entries.put_many(entries)  # BatchWriteItem, 25 a call: the fast way to seed


def _add_sqlite(store: Store, entries: list[Entry]) -> None:
    store.entries.add_many(entries)  # one transaction per user


SQLITE = Backend("sqlite", _open_sqlite, _add_sqlite, _count_sqlite)
DYNAMODB = Backend("dynamodb", _open_dynamo, _put_dynamo, _count_dynamo)
