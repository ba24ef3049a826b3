"""SQLite keeps each category's factors in memory while the loaded datasets stay the same.

Two `SqliteStore`s on one file stand for two `carbontrack serve` worker processes: a reload
through one is seen by the other on its next call, through the datasets' checksums.
"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from carbontrack.store.sqlite import SqliteStore
from tests.store.factories import make_dataset, make_factor


def test_a_reload_by_another_process_is_seen_on_the_next_call(tmp_path: Path) -> None:
    path = tmp_path / "carbontrack.db"
    with closing(SqliteStore(path)) as reader, closing(SqliteStore(path)) as loader:
        car = make_factor(activity="car")
        loader.factors.replace_dataset(make_dataset(sha256="1" * 64), [car])
        assert reader.factors.list_by_category("transport") == [car]  # now cached

        bus = make_factor(activity="bus")
        loader.factors.replace_dataset(make_dataset(sha256="2" * 64), [bus])

        assert reader.factors.list_by_category("transport") == [bus]


def test_the_cache_hands_out_copies(tmp_path: Path) -> None:
    with closing(SqliteStore(tmp_path / "carbontrack.db")) as store:
        car = make_factor(activity="car")
        store.factors.replace_dataset(make_dataset(), [car])
        store.factors.list_by_category("transport").clear()
        assert store.factors.list_by_category("transport") == [car]


def test_a_cached_listing_reads_no_factor_rows(tmp_path: Path) -> None:
    path = tmp_path / "carbontrack.db"
    with closing(SqliteStore(path)) as store:
        store.factors.replace_dataset(make_dataset(), [make_factor(activity="car")])
        store.factors.list_by_category("transport")
        statements: list[str] = []
        store._db.connection().set_trace_callback(statements.append)
        try:
            store.factors.list_by_category("transport")
        finally:
            store._db.connection().set_trace_callback(None)
        assert statements  # the datasets' checksums
        assert not any("FROM factors" in sql for sql in statements)
