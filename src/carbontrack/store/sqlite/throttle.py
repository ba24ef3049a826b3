"""Attempt counts in SQLite: table `login_failures`, key `key`, one fixed window each."""

from __future__ import annotations

from datetime import datetime, timedelta

from carbontrack.domain.errors import InvalidInput
from carbontrack.store.sqlite.codec import db_time, py_time
from carbontrack.store.sqlite.connection import Database

# One statement: start a window if there is none or it has ended (window_end <= now),
# otherwise count one more inside it. SET expressions all read the old row.
_RECORD = """
    INSERT INTO login_failures (key, window_end, count) VALUES (:key, :window_end, 1)
    ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN window_end > :now THEN count + 1 ELSE 1 END,
        window_end = CASE WHEN window_end > :now THEN window_end ELSE excluded.window_end END
    RETURNING count, window_end
"""
# Ended windows, a few at a time through the window_end index: the table holds one row per
# key (client addresses included), so without a sweep it would grow with every address seen.
_SWEEP = """
    DELETE FROM login_failures WHERE key IN (
        SELECT key FROM login_failures WHERE window_end <= :now LIMIT :rows
    )
"""
SWEEP_ROWS = 8  # more than one count starts, so the ended rows cannot pile up
_WITHDRAW = """
    UPDATE login_failures SET count = count - 1
    WHERE key = :key AND window_end = :window_end AND count > 0
"""


class SqliteLoginThrottle:
    """`LoginThrottle` over the `login_failures` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def attempts(self, key: str, *, now: datetime) -> tuple[int, datetime | None]:
        """Attempts in the current window and when it ends; (0, None) if none is open."""
        row = (
            self._db.connection()
            .execute("SELECT count, window_end FROM login_failures WHERE key = ?", (key,))
            .fetchone()
        )
        if row is None or row[1] <= db_time(now, field="now"):
            return 0, None
        return row[0], py_time(row[1])

    def record_attempt(self, key: str, *, now: datetime, window_s: int) -> tuple[int, datetime]:
        """Count one attempt; the count in the current window and when that window ends."""
        if window_s <= 0:
            raise InvalidInput("window_s must be positive", field="window_s")
        params = {
            "key": key,
            "now": db_time(now, field="now"),
            "window_end": db_time(now + timedelta(seconds=window_s), field="now"),
        }
        # One upsert in a BEGIN IMMEDIATE transaction: concurrent attempts each get their own
        # count, so a check of that count cannot be raced.
        with self._db.write() as conn:
            count, window_end = conn.execute(_RECORD, params).fetchone()
            conn.execute(_SWEEP, {"now": params["now"], "rows": SWEEP_ROWS})
        return int(count), py_time(window_end)

    def withdraw_attempt(self, key: str, *, window_end: datetime) -> None:
        """Take back one attempt of the window ending at `window_end`, if it is still there."""
        params = {"key": key, "window_end": db_time(window_end, field="window_end")}
        with self._db.write() as conn:
            conn.execute(_WITHDRAW, params)

    def reset(self, key: str) -> None:
        """Forget every attempt recorded for `key`."""
        with self._db.write() as conn:
            conn.execute("DELETE FROM login_failures WHERE key = ?", (key,))
