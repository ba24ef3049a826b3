"""Per-thread SQLite connections to one file, and the write transaction they share."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# WAL lets readers proceed while one writer commits; NORMAL is durable across app
# crashes in WAL mode (only an OS crash can lose the last commits).
_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 5000",
    "PRAGMA synchronous = NORMAL",
)


class Database:
    """Hands each thread its own autocommit connection, opened on first use."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        # Writers of this process queue here instead of in SQLite's busy handler, which
        # sleeps with back-off and turned 32 concurrent writers into a 1 s p99.
        self._write_lock = threading.Lock()
        self._opened: list[sqlite3.Connection] = []
        self._closed = False

    def connection(self) -> sqlite3.Connection:
        """Return this thread's connection, opening it if needed."""
        if self._closed:
            raise RuntimeError(f"store {self.path} is closed")
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """Run the body in one `BEGIN IMMEDIATE` transaction; roll back on any error."""
        conn = self.connection()
        with self._write_lock:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        """Close every connection any thread opened; later use raises RuntimeError."""
        with self._lock:
            self._closed = True
            opened, self._opened = self._opened, []
        for conn in opened:
            conn.close()

    def _open(self) -> sqlite3.Connection:
        # check_same_thread=False only so close() may run on another thread; each
        # connection is still used by the one thread that owns it.
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            for pragma in _PRAGMAS:
                conn.execute(pragma)
        except BaseException:
            conn.close()
            raise
        with self._lock:
            if self._closed:
                conn.close()
                raise RuntimeError(f"store {self.path} is closed")
            self._opened.append(conn)
        return conn
