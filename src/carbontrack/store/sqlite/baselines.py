"""Baselines in SQLite: table `baselines`, key `user_id` (one baseline per user).

A user's row goes with the user (`ON DELETE CASCADE`); every rewrite is conditional on the
version read, as DynamoDB's `attribute_not_exists` / `version = :v` conditions are.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace

from carbontrack.domain.baseline_model import Baseline
from carbontrack.domain.errors import AlreadyExists, Conflict, NotFound
from carbontrack.store.baseline_codec import (
    answers_json,
    lines_from_json,
    lines_json,
    notes_json,
    strings_from_json,
)
from carbontrack.store.sqlite.codec import db_time, py_time
from carbontrack.store.sqlite.connection import Database

_NAMES = (
    "user_id",
    "questionnaire_version",
    "answers",
    "lines",
    "notes",
    "created_at",
    "updated_at",
    "version",
)
_COLUMNS = ", ".join(_NAMES)
_PLACES = ", ".join("?" * len(_NAMES))
_GET = f"SELECT {_COLUMNS} FROM baselines WHERE user_id = ?"  # noqa: S608
_INSERT = f"INSERT INTO baselines ({_COLUMNS}) VALUES ({_PLACES})"  # noqa: S608
_REPLACE = f"INSERT OR REPLACE INTO baselines ({_COLUMNS}) VALUES ({_PLACES})"  # noqa: S608
_UPDATE = (
    "UPDATE baselines SET questionnaire_version = ?, answers = ?, lines = ?, notes = ?, "
    "created_at = ?, updated_at = ?, version = ? WHERE user_id = ? AND version = ?"
)
_USER = "SELECT 1 FROM users WHERE user_id = ?"


class SqliteBaselines:
    """`BaselineRepository` over the `baselines` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, user_id: str) -> Baseline | None:
        """Return the user's baseline, or None."""
        row = self._db.connection().execute(_GET, (user_id,)).fetchone()
        return None if row is None else _baseline(row)

    def put(self, baseline: Baseline, *, expected_version: int | None) -> Baseline:
        """Write the baseline if the stored one has `expected_version` (None: no baseline)."""
        stored = replace(baseline, version=(expected_version or 0) + 1)
        with self._db.write() as conn:
            if conn.execute(_USER, (baseline.user_id,)).fetchone() is None:
                raise NotFound("user not found", field="user_id")
            if expected_version is None:
                try:
                    conn.execute(_INSERT, _row(stored))
                except sqlite3.IntegrityError:
                    raise AlreadyExists("the user already has a baseline") from None
                return stored
            row = _row(stored)
            cursor = conn.execute(_UPDATE, (*row[1:], stored.user_id, expected_version))
            if cursor.rowcount != 1:
                raise Conflict("the baseline changed since it was read; reload and retry")
        return stored

    def put_many(self, baselines: Sequence[Baseline]) -> None:
        """Write baselines as given (a restore), in one transaction."""
        with self._db.write() as conn:
            conn.executemany(_REPLACE, [_row(b) for b in baselines])


def _row(baseline: Baseline) -> tuple[object, ...]:
    return (
        baseline.user_id,
        baseline.questionnaire_version,
        answers_json(dict(baseline.answers)),
        lines_json(baseline.lines),
        notes_json(baseline.notes),
        db_time(baseline.created_at),
        db_time(baseline.updated_at),
        baseline.version,
    )


def _baseline(row: tuple[object, ...]) -> Baseline:
    return Baseline(
        user_id=str(row[0]),
        questionnaire_version=int(str(row[1])),
        answers=dict(strings_from_json(str(row[2]))),
        lines=lines_from_json(str(row[3])),
        notes=tuple(strings_from_json(str(row[4]))),
        created_at=py_time(str(row[5])),
        updated_at=py_time(str(row[6])),
        version=int(str(row[7])),
    )
