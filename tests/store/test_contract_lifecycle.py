"""Contract: reopening keeps data, threads share a store; SQLite migrations and pragmas."""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest

from carbontrack.domain.models import Entry
from carbontrack.store.base import Store
from carbontrack.store.sqlite import SqliteStore
from carbontrack.store.sqlite.schema import SCHEMA_VERSION
from tests.backends import StoreFactory
from tests.store.factories import make_dataset, make_entry, make_factor, make_user


def test_reopening_keeps_data(store_factory: StoreFactory, tmp_path: Path) -> None:
    user = make_user()
    entry = make_entry(user_id=user.user_id)
    dataset, factor = make_dataset(), make_factor()
    with closing(store_factory(tmp_path)) as first:
        first.users.add(user)
        first.entries.add(entry)
        first.factors.replace_dataset(dataset, [factor])
    with closing(store_factory(tmp_path)) as again:
        assert again.users.get(user.user_id) == user
        assert again.entries.get(user.user_id, entry.entry_id) == entry
        assert again.factors.datasets() == [dataset]
        assert again.factors.get(factor.factor_id) == factor


def test_store_is_usable_from_many_threads(store: Store) -> None:
    user = make_user()
    store.users.add(user)
    batches = [[make_entry(user_id=user.user_id) for _ in range(20)] for _ in range(8)]
    all_workers_busy = threading.Barrier(4, timeout=10)  # forces four distinct threads
    threads_seen: set[int] = set()

    def add(batch: list[Entry]) -> None:
        all_workers_busy.wait()
        threads_seen.add(threading.get_ident())
        for entry in batch:
            store.entries.add(entry)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(add, batches))

    listed = store.entries.list_for_user(user.user_id, limit=500).items
    assert sorted(e.entry_id for e in listed) == sorted(e.entry_id for b in batches for e in b)
    assert len(threads_seen) == 4


def test_sqlite_creates_parent_directories_and_schema(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "store.sqlite3"
    with closing(SqliteStore(path)):
        assert path.exists()
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    assert {"users", "entries", "datasets", "factors", "login_failures"} <= tables


def test_sqlite_connection_settings(tmp_path: Path) -> None:
    with closing(SqliteStore(tmp_path / "store.sqlite3")) as store:
        conn = store._db.connection()
        settings = [
            conn.execute(f"PRAGMA {name}").fetchone()[0]
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        ]
        assert settings == ["wal", 1, 5000, 1]  # synchronous 1 = NORMAL
        assert conn.isolation_level is None


def test_sqlite_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    with closing(SqliteStore(path)):
        pass
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(RuntimeError, match=f"schema version {SCHEMA_VERSION + 1}.*upgrade"):
        SqliteStore(path)


def test_sqlite_reopen_is_a_no_op_migration(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    with closing(SqliteStore(path)):
        pass
    with closing(sqlite3.connect(path)) as conn:
        before = conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    with closing(SqliteStore(path)):
        pass
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == before
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_sqlite_closed_store_refuses_use(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "store.sqlite3")
    store.close()
    with pytest.raises(RuntimeError, match="closed"):
        store.users.get("anyone")


def test_sqlite_rejects_memory_path() -> None:
    with pytest.raises(ValueError, match="memory"):
        SqliteStore(":memory:")
