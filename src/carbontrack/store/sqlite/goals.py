"""Goals in SQLite: table `goals`, key `(owner_id, goal_id)`.

`owner_id` is a user id or "TEAM#<teamId>"; an owner's goals are one range on the key,
listed in goal-id order as a DynamoDB Query on `userId` + `goalId` returns them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from carbontrack.domain.errors import Conflict, NotFound
from carbontrack.domain.models import Goal
from carbontrack.store.sqlite.codec import db_time, integrity_error, py_time
from carbontrack.store.sqlite.connection import Database
from carbontrack.store.sqlite.updates import versioned_update

_NAMES = (
    "owner_id",
    "goal_id",
    "kind",
    "period",
    "start_date",
    "created_at",
    "category",
    "target_reduction_percent",
    "target_co2e_kg",
    "baseline_co2e_kg",
    "team_scope",
    "achieved_at",
    "version",
)
_COLUMNS = ", ".join(_NAMES)
_INSERT = f"INSERT INTO goals ({_COLUMNS}) VALUES ({', '.join('?' * len(_NAMES))})"  # noqa: S608
_SELECT = f"SELECT {_COLUMNS} FROM goals"  # noqa: S608
# What an update may write: everything but the key.
_MUTABLE = frozenset(_NAMES) - {"owner_id", "goal_id"}
_GET = _SELECT + " WHERE owner_id = ? AND goal_id = ?"
_LIST = _SELECT + " WHERE owner_id = ? ORDER BY goal_id"
_DELETE = "DELETE FROM goals WHERE owner_id = ? AND goal_id = ?"
_PUT = (
    _INSERT
    + """
    ON CONFLICT (owner_id, goal_id) DO UPDATE SET
        kind = excluded.kind, period = excluded.period, start_date = excluded.start_date,
        created_at = excluded.created_at, category = excluded.category,
        target_reduction_percent = excluded.target_reduction_percent,
        target_co2e_kg = excluded.target_co2e_kg, baseline_co2e_kg = excluded.baseline_co2e_kg,
        team_scope = excluded.team_scope, achieved_at = excluded.achieved_at,
        version = excluded.version
"""
)


class SqliteGoals:
    """`GoalRepository` over the `goals` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, goal: Goal) -> None:
        """Insert a goal; `AlreadyExists` if its owner has a goal with this id."""
        try:
            with self._db.write() as conn:
                conn.execute(_INSERT, _row(goal))
        except sqlite3.IntegrityError as exc:
            raise integrity_error(exc, duplicate="goal already exists", field="goal_id") from None

    def get(self, owner_id: str, goal_id: str) -> Goal | None:
        """The owner's goal with this id, or None (another owner's id gives None)."""
        row = self._db.connection().execute(_GET, (owner_id, goal_id)).fetchone()
        return None if row is None else _goal(row)

    def list_for_owner(self, owner_id: str) -> list[Goal]:
        """Every goal of one owner, in goal-id order."""
        rows = self._db.connection().execute(_LIST, (owner_id,)).fetchall()
        return [_goal(row) for row in rows]

    def update(self, read: Goal, changed: Goal) -> Goal:
        """Set the columns that differ from `read`, if the row is still at `read.version`."""
        new = replace(changed, version=read.version + 1)
        statement, values = versioned_update(
            "goals",
            _NAMES,
            mutable=_MUTABLE,
            read=_row(read),
            new=_row(new),
            keys=("owner_id", "goal_id"),
        )
        keys = (read.owner_id, read.goal_id, read.version)
        with self._db.write() as conn:
            if conn.execute(statement, (*values, *keys)).rowcount:
                return new
            exists = conn.execute(_GET, keys[:2]).fetchone() is not None
        if exists:
            raise Conflict("the goal was changed by another request meanwhile", field="goal_id")
        raise NotFound("goal not found", field="goal_id")

    def delete(self, owner_id: str, goal_id: str) -> None:
        """Remove one goal; `NotFound` if the owner has no such goal."""
        with self._db.write() as conn:
            deleted = conn.execute(_DELETE, (owner_id, goal_id)).rowcount
        if deleted == 0:
            raise NotFound("goal not found", field="goal_id")

    def put_many(self, goals: Sequence[Goal]) -> None:
        """Write goals as given, replacing same keys, in one transaction (restore)."""
        with self._db.write() as conn:
            conn.executemany(_PUT, [_row(goal) for goal in goals])


def _row(goal: Goal) -> tuple[Any, ...]:
    achieved_at = goal.achieved_at
    return (
        goal.owner_id,
        goal.goal_id,
        goal.kind,
        goal.period,
        goal.start_date.isoformat(),
        db_time(goal.created_at, field="created_at"),
        goal.category,
        goal.target_reduction_percent,
        goal.target_co2e_kg,
        goal.baseline_co2e_kg,
        goal.team_scope,
        None if achieved_at is None else db_time(achieved_at, field="achieved_at"),
        goal.version,
    )


def _goal(row: Any) -> Goal:
    return Goal(
        owner_id=row[0],
        goal_id=row[1],
        kind=row[2],
        period=row[3],
        start_date=date.fromisoformat(row[4]),
        created_at=py_time(row[5]),
        category=row[6],
        target_reduction_percent=row[7],
        target_co2e_kg=row[8],
        baseline_co2e_kg=row[9],
        team_scope=row[10],
        achieved_at=None if row[11] is None else py_time(row[11]),
        version=row[12],
    )
