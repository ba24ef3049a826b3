"""The latest inventory refresh in SQLite: table `inventory_runs`, one row (`slot` = 'latest').

`start` reads and writes the row in one `BEGIN IMMEDIATE` transaction, so of two refreshes
started at once exactly one finds no running run and wins.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from carbontrack.ops.model import RefreshRun, RunState
from carbontrack.store.sqlite.codec import db_time, py_time
from carbontrack.store.sqlite.connection import Database

_COLUMNS = "run_id, service, started_at, finished_at, done, total, state, failed"
_RUNNING = "SELECT started_at FROM inventory_runs WHERE slot = 'latest' AND state = 'running'"
_PUT = f"""
    INSERT OR REPLACE INTO inventory_runs (slot, {_COLUMNS})
    VALUES ('latest', ?, ?, ?, ?, ?, ?, ?, ?)
"""  # noqa: S608 - constant column list
_PROGRESS = "UPDATE inventory_runs SET done = ?, total = ? WHERE slot = 'latest' AND run_id = ?"
_FINISH = """
    UPDATE inventory_runs SET state = ?, failed = ?, finished_at = ?
    WHERE slot = 'latest' AND run_id = ?
"""
_LATEST = f"SELECT {_COLUMNS} FROM inventory_runs WHERE slot = 'latest'"  # noqa: S608


class SqliteInventoryRuns:
    """`InventoryRuns` over the one-row table `inventory_runs`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def start(self, run: RefreshRun, *, stale_before: datetime) -> bool:
        """Replace the row with `run` unless a run started since `stale_before` is running."""
        stale = db_time(stale_before, field="stale_before")
        with self._db.write() as conn:
            running = conn.execute(_RUNNING).fetchone()
            if running is not None and running[0] >= stale:
                return False
            conn.execute(_PUT, _row(run))
        return True

    def progress(self, run_id: str, *, done: int, total: int) -> None:
        """Update the counts of the run, if it is the latest."""
        with self._db.write() as conn:
            conn.execute(_PROGRESS, (done, total, run_id))

    def finish(self, run_id: str, *, state: RunState, failed: int, finished_at: datetime) -> None:
        """Record the end of the run, if it is the latest."""
        params = (state, failed, db_time(finished_at, field="finished_at"), run_id)
        with self._db.write() as conn:
            conn.execute(_FINISH, params)

    def latest(self) -> RefreshRun | None:
        """The row, or None before the first refresh."""
        row = self._db.connection().execute(_LATEST).fetchone()
        return None if row is None else _run(row)


def _row(run: RefreshRun) -> tuple[Any, ...]:
    finished = None if run.finished_at is None else db_time(run.finished_at, field="finished_at")
    started = db_time(run.started_at, field="started_at")
    return (run.run_id, run.service, started, finished, run.done, run.total, run.state, run.failed)


def _run(row: Any) -> RefreshRun:
    run_id, service, started_at, finished_at, done, total, state, failed = row
    return RefreshRun(
        run_id=run_id,
        service=service,
        started_at=py_time(started_at),
        finished_at=None if finished_at is None else py_time(finished_at),
        done=done,
        total=total,
        state=state,
        failed=failed,
    )
