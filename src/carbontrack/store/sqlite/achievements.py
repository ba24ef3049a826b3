"""Awards and action commitments in SQLite: tables `awards` and `actions`.

`awards` - key `(user_id, achievement_id)`: the key itself makes an award happen at most
once, even for two writers at the same moment. `actions` - key `(user_id, action_id)`.
Both cascade with their user.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from carbontrack.domain.errors import NotFound
from carbontrack.domain.models import ActionCommitment, Award
from carbontrack.store.sqlite.codec import db_time, integrity_error, py_time
from carbontrack.store.sqlite.connection import Database

# DO NOTHING on the key: an award already there stays as first earned.
_AWARD = """
    INSERT INTO awards (user_id, achievement_id, earned_at) VALUES (?, ?, ?)
    ON CONFLICT (user_id, achievement_id) DO NOTHING
"""
_AWARDS = """
    SELECT user_id, achievement_id, earned_at FROM awards WHERE user_id = ? ORDER BY achievement_id
"""
_PUT_ACTION = """
    INSERT INTO actions (user_id, action_id, committed_at, completed_at) VALUES (?, ?, ?, ?)
    ON CONFLICT (user_id, action_id) DO UPDATE SET
        committed_at = excluded.committed_at, completed_at = excluded.completed_at
"""
# Restore: the award exactly as backed up, even over one earned since.
_PUT_AWARD = """
    INSERT INTO awards (user_id, achievement_id, earned_at) VALUES (?, ?, ?)
    ON CONFLICT (user_id, achievement_id) DO UPDATE SET earned_at = excluded.earned_at
"""
_ACTIONS = "SELECT user_id, action_id, committed_at, completed_at FROM actions WHERE user_id = ?"
_GET_ACTION = _ACTIONS + " AND action_id = ?"
_LIST_ACTIONS = _ACTIONS + " ORDER BY action_id"


class SqliteAchievements:
    """`AchievementRepository` over the `awards` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def award(self, award: Award) -> bool:
        """Record an award; False (nothing changes) if the user has it already."""
        row = (award.user_id, award.achievement_id, db_time(award.earned_at, field="earned_at"))
        try:
            with self._db.write() as conn:
                inserted = conn.execute(_AWARD, row).rowcount
        except sqlite3.IntegrityError as exc:
            raise integrity_error(exc, duplicate="award already recorded") from None
        return inserted == 1

    def list_for_user(self, user_id: str) -> list[Award]:
        """The user's awards, by achievement id."""
        rows = self._db.connection().execute(_AWARDS, (user_id,)).fetchall()
        return [Award(user_id=u, achievement_id=a, earned_at=py_time(t)) for u, a, t in rows]

    def put_many(self, awards: Sequence[Award]) -> None:
        """Write awards as given, replacing same keys, in one transaction (restore)."""
        rows = [
            (a.user_id, a.achievement_id, db_time(a.earned_at, field="earned_at")) for a in awards
        ]
        try:
            with self._db.write() as conn:
                conn.executemany(_PUT_AWARD, rows)
        except sqlite3.IntegrityError:
            raise NotFound("an award names a user that is not there") from None


class SqliteActions:
    """`ActionRepository` over the `actions` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def put(self, commitment: ActionCommitment) -> None:
        """Create or replace the user's commitment to one action."""
        self.put_many([commitment])

    def put_many(self, commitments: Sequence[ActionCommitment]) -> None:
        """Create or replace commitments, in one transaction."""
        try:
            with self._db.write() as conn:
                conn.executemany(_PUT_ACTION, [_action_row(c) for c in commitments])
        except sqlite3.IntegrityError as exc:
            raise integrity_error(exc, duplicate="commitment already recorded") from None

    def get(self, user_id: str, action_id: str) -> ActionCommitment | None:
        """The user's commitment to one action, or None."""
        row = self._db.connection().execute(_GET_ACTION, (user_id, action_id)).fetchone()
        return None if row is None else _commitment(row)

    def list_for_user(self, user_id: str) -> list[ActionCommitment]:
        """The user's commitments, by action id."""
        rows = self._db.connection().execute(_LIST_ACTIONS, (user_id,)).fetchall()
        return [_commitment(row) for row in rows]


def _action_row(commitment: ActionCommitment) -> tuple[str, str, str, str | None]:
    completed = commitment.completed_at
    return (
        commitment.user_id,
        commitment.action_id,
        db_time(commitment.committed_at, field="committed_at"),
        None if completed is None else db_time(completed, field="completed_at"),
    )


def _commitment(row: tuple[str, str, str, str | None]) -> ActionCommitment:
    user_id, action_id, committed_at, completed_at = row
    return ActionCommitment(
        user_id=user_id,
        action_id=action_id,
        committed_at=py_time(committed_at),
        completed_at=None if completed_at is None else py_time(completed_at),
    )
