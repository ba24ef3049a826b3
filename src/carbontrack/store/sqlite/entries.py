"""Entries in SQLite: table `entries`, key `(user_id, entry_id)`.

Listings read the index `(user_id, timestamp DESC, entry_id DESC)`: one user's
partition in time order, the same shape as a DynamoDB Query on userId + timestamp.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from carbontrack.domain.errors import Conflict, InvalidInput, NotFound
from carbontrack.domain.models import Entry, FactorUsed, Page
from carbontrack.store.cursor import decode_cursor, encode_cursor
from carbontrack.store.sqlite.codec import db_time, integrity_error, py_time
from carbontrack.store.sqlite.connection import Database
from carbontrack.store.sqlite.rollups import Contribution, apply, contributions
from carbontrack.store.sqlite.updates import versioned_update

BACKEND = "sqlite"
MAX_LIMIT = 500
# Sentinels that sort below / above every fixed-width timestamp, so one static query
# serves every combination of bounds and still ranges over the index.
_EARLIEST = ""
_LATEST = "~"

_COLUMNS = (
    "user_id",
    "entry_id",
    "timestamp",
    "category",
    "activity",
    "quantity",
    "unit",
    "co2e_kg",
    "factor_id",
    "factor_dataset",
    "factor_year",
    "factor_source",
    "factor_co2e_kg_per_unit",
    "factor_unit",
    "requested_factor_id",
    "resolution",
    "note",
    "created_at",
    "updated_at",
    "day",
    "version",
    "period_start",
    "period_end",
)
_INSERT = f"INSERT INTO entries ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"  # noqa: S608
_SELECT = f"SELECT {', '.join(_COLUMNS)} FROM entries"  # noqa: S608
# What an update may write: everything but the keys and when the entry was first logged.
_MUTABLE = frozenset(_COLUMNS) - {"user_id", "entry_id", "created_at"}
_GET = _SELECT + " WHERE user_id = ? AND entry_id = ?"
_LIST = (
    _SELECT
    + """
    WHERE user_id = :user_id
      AND timestamp >= :since AND timestamp < :until
      AND (timestamp, entry_id) < (:after_timestamp, :after_entry_id)
      AND (:category IS NULL OR category = :category)
    ORDER BY timestamp DESC, entry_id DESC
    LIMIT :limit
"""
)
# Restore: the row as given, whatever was there under the same key.
_UPSERT = (
    _INSERT
    + """
    ON CONFLICT (user_id, entry_id) DO UPDATE SET
        timestamp = excluded.timestamp, category = excluded.category,
        activity = excluded.activity, quantity = excluded.quantity, unit = excluded.unit,
        co2e_kg = excluded.co2e_kg, factor_id = excluded.factor_id,
        factor_dataset = excluded.factor_dataset, factor_year = excluded.factor_year,
        factor_source = excluded.factor_source,
        factor_co2e_kg_per_unit = excluded.factor_co2e_kg_per_unit,
        factor_unit = excluded.factor_unit, requested_factor_id = excluded.requested_factor_id,
        resolution = excluded.resolution, note = excluded.note,
        created_at = excluded.created_at, updated_at = excluded.updated_at, day = excluded.day,
        version = excluded.version, period_start = excluded.period_start,
        period_end = excluded.period_end
"""
)
# What an entry adds to its user's totals, read in the write transaction that changes it.
_ADDS = "day, category, co2e_kg, period_start, period_end"
_CONTRIBUTION = f"SELECT {_ADDS} FROM entries WHERE user_id = ? AND entry_id = ?"  # noqa: S608
_DELETE = f"DELETE FROM entries WHERE user_id = ? AND entry_id = ? RETURNING {_ADDS}"  # noqa: S608


class SqliteEntries:
    """`EntryRepository` over the `entries` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, entry: Entry) -> None:
        """Insert one entry; `AlreadyExists` if its id is taken, `NotFound` without its user."""
        self.add_many([entry])

    def add_many(self, entries: Sequence[Entry]) -> None:
        """Insert all entries of one user in one transaction, or none of them."""
        if not entries:
            return
        if len({entry.user_id for entry in entries}) > 1:
            raise InvalidInput("add_many takes the entries of one user", field="entries")
        rows = [_row(entry) for entry in entries]
        try:
            with self._db.write() as conn:
                conn.executemany(_INSERT, rows)
                added = (part for entry in entries for part in _contribution(entry))
                apply(conn, entries[0].user_id, added=added)
        except sqlite3.IntegrityError as exc:
            raise integrity_error(exc, duplicate="entry already exists", field="entry_id") from None

    def put_many(self, entries: Sequence[Entry]) -> None:
        """Write entries as given, replacing same keys, in one transaction (restore).

        Totals are not touched: the restore rebuilds them (`rollups.rebuild`) afterwards.
        """
        rows = [_row(entry) for entry in entries]
        try:
            with self._db.write() as conn:
                conn.executemany(_UPSERT, rows)
        except sqlite3.IntegrityError as exc:
            raise integrity_error(exc, duplicate="entry already exists", field="entry_id") from None

    def get(self, user_id: str, entry_id: str) -> Entry | None:
        """One entry of one user; another user's id gives None."""
        row = self._db.connection().execute(_GET, (user_id, entry_id)).fetchone()
        return None if row is None else _entry(row)

    def update(self, read: Entry, changed: Entry) -> Entry:
        """Set the columns that differ from `read`, if the row is still at `read.version`.

        One transaction: the conditional UPDATE and the totals' difference (the old
        contribution read in the same transaction). `Conflict`, `NotFound`.
        """
        new = replace(changed, version=read.version + 1, created_at=read.created_at)
        statement, values = versioned_update(
            "entries",
            _COLUMNS,
            mutable=_MUTABLE,
            read=_row(read),
            new=_row(new),
            keys=("user_id", "entry_id"),
        )
        try:
            with self._db.write() as conn:
                old = conn.execute(_CONTRIBUTION, (read.user_id, read.entry_id)).fetchone()
                if old is None:
                    raise NotFound("entry not found", field="entry_id")
                keys = (read.user_id, read.entry_id, read.version)
                if conn.execute(statement, (*values, *keys)).rowcount == 0:
                    raise Conflict(
                        "the entry was changed by another request meanwhile", field="entry_id"
                    )
                apply(conn, read.user_id, added=_contribution(new), removed=contributions(*old))
        except sqlite3.IntegrityError as exc:
            raise integrity_error(exc, duplicate="entry already exists") from None
        return new

    def delete(self, user_id: str, entry_id: str) -> None:
        """Delete one entry of one user; `NotFound` if the user has no such entry."""
        with self._db.write() as conn:
            # fetchall: a RETURNING statement must run to its end before COMMIT.
            removed = conn.execute(_DELETE, (user_id, entry_id)).fetchall()
            if not removed:
                raise NotFound("entry not found", field="entry_id")
            apply(conn, user_id, removed=contributions(*removed[0]))

    def list_for_user(
        self,
        user_id: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        category: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[Entry]:
        """A user's entries newest first, `since <= timestamp < until`, `limit` per page."""
        _check_limit(limit)
        after_timestamp, after_entry_id = _LATEST, ""
        if cursor is not None:
            after_timestamp, after_entry_id = _position(cursor)
        params = {
            "user_id": user_id,
            "since": _EARLIEST if since is None else db_time(since, field="since"),
            "until": _LATEST if until is None else db_time(until, field="until"),
            "after_timestamp": after_timestamp,
            "after_entry_id": after_entry_id,
            "category": category,
            "limit": limit + 1,  # one extra row tells whether another page exists
        }
        rows = self._db.connection().execute(_LIST, params).fetchall()
        if len(rows) <= limit:
            return Page(items=[_entry(row) for row in rows])
        last = rows[limit - 1]
        next_cursor = encode_cursor(BACKEND, {"t": last[2], "id": last[1]})
        return Page(items=[_entry(row) for row in rows[:limit]], next_cursor=next_cursor)


def _check_limit(limit: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}", field="limit")


def _position(cursor: str) -> tuple[str, str]:
    """Return the (timestamp, entry_id) a cursor points after."""
    position = decode_cursor(cursor, backend=BACKEND)
    if position.keys() != {"t", "id"}:
        raise InvalidInput("invalid cursor", field="cursor")
    timestamp = position["t"]
    try:
        canonical = db_time(py_time(timestamp)) == timestamp
    except ValueError:
        canonical = False
    if not canonical:
        raise InvalidInput("invalid cursor", field="cursor")
    return timestamp, position["id"]


def _row(entry: Entry) -> tuple[Any, ...]:
    # Runs once per row of add_many, where formatting datetimes is most of the cost:
    # a new entry's updated_at equals its created_at, so format that one once.
    factor = entry.factor
    created_at = db_time(entry.created_at, field="created_at")
    if entry.updated_at == entry.created_at:
        updated_at = created_at
    else:
        updated_at = db_time(entry.updated_at, field="updated_at")
    return (
        entry.user_id,
        entry.entry_id,
        db_time(entry.timestamp, field="timestamp"),
        entry.category,
        entry.activity,
        entry.quantity,
        entry.unit,
        entry.co2e_kg,
        factor.factor_id,
        factor.dataset,
        factor.year,
        factor.source,
        factor.co2e_kg_per_unit,
        factor.unit,
        factor.requested_factor_id,
        json.dumps(factor.resolution, separators=(",", ":")) if factor.resolution else "[]",
        entry.note,
        created_at,
        updated_at,
        entry.day.isoformat(),
        entry.version,
        _iso(entry.period_start),
        _iso(entry.period_end),
    )


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _contribution(entry: Entry) -> list[Contribution]:
    return contributions(
        entry.day.isoformat(),
        entry.category,
        entry.co2e_kg,
        _iso(entry.period_start),
        _iso(entry.period_end),
    )


def _entry(row: Any) -> Entry:
    # Runs once per row of every listing: the factor columns repeat across a user's
    # entries, so their (immutable) FactorUsed is built once and shared; a never-edited
    # entry's updated_at is its created_at, parsed once.
    created_at = py_time(row[17])
    return Entry(
        entry_id=row[1],
        user_id=row[0],
        timestamp=py_time(row[2]),
        day=date.fromisoformat(row[19]),
        category=row[3],
        activity=row[4],
        quantity=row[5],
        unit=row[6],
        co2e_kg=row[7],
        factor=_factor(*row[8:16]),
        created_at=created_at,
        updated_at=created_at if row[18] == row[17] else py_time(row[18]),
        note=row[16],
        version=row[20],
        period_start=None if row[21] is None else date.fromisoformat(row[21]),
        period_end=None if row[22] is None else date.fromisoformat(row[22]),
    )


@lru_cache(maxsize=1024, typed=True)  # typed: 2 and 2.0 encode differently
def _factor(
    factor_id: str,
    dataset: str,
    year: int,
    source: str,
    co2e_kg_per_unit: float,
    unit: str,
    requested_factor_id: str | None,
    resolution: str,
) -> FactorUsed:
    return FactorUsed(
        factor_id=factor_id,
        dataset=dataset,
        year=year,
        source=source,
        co2e_kg_per_unit=co2e_kg_per_unit,
        unit=unit,
        requested_factor_id=requested_factor_id,
        resolution=tuple(json.loads(resolution)),
    )
