"""Per-thread SQLite connections to one file, and the write transaction they share.

Writers queue for the file in two steps: the threads of one process on a `threading.Lock`,
then the processes (`carbontrack serve --workers N`) on an exclusive `flock` of a lock file
beside the database. Both wake the next writer as soon as the previous one commits; SQLite's
own busy handler, which they replace, polls with sleeps of up to 100 ms (docs/storage.md).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: processes fall back to the busy handler
    fcntl = None  # type: ignore[assignment]

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
        self._lock_file = _open_lock_file(path)

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
        with self._write_lock, _file_lock(self._lock_file):
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
        if self._lock_file is not None:
            os.close(self._lock_file)
            self._lock_file = None

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


def _open_lock_file(path: Path) -> int | None:
    """The lock file the processes writing `path` queue on; None where flock does not exist."""
    if fcntl is None or str(path) == ":memory:":
        return None
    # A descriptor held open for the life of the store: each write locks and unlocks it.
    return os.open(f"{path}.write-lock", os.O_RDWR | os.O_CREAT, 0o600)


@contextmanager
def _file_lock(fd: int | None) -> Iterator[None]:
    """Hold an exclusive flock of `fd` for the body (blocking; the GIL is released)."""
    if fd is None:
        yield
        return
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
