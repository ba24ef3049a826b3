"""CSV import: `transfer.import_csv` of 100k exported rows against a bare `executemany`.

Both write the same rows (same columns, same values) into a fresh SQLite file with the
same schema and pragmas, in one transaction, interleaved and repeated; medians are compared.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import sample_data
from bench.report import machine, table, verdict
from carbontrack.domain.models import Entry
from carbontrack.services import transfer
from carbontrack.store.base import EntryRepository
from carbontrack.store.sqlite.schema import MIGRATIONS

MIN_RATIO = 0.25
PRAGMAS = ("journal_mode = WAL", "foreign_keys = ON", "synchronous = NORMAL")
PROFILE_LINES = 18


@dataclass(frozen=True)
class ImportRun:
    seconds: float
    write_seconds: float  # inside store.entries.add_many: row conversion and INSERTs


class _TimedWrites:
    """Wraps an EntryRepository to time `add_many`, passing everything else through."""

    def __init__(self, inner: EntryRepository) -> None:
        self._inner = inner
        self.seconds = 0.0

    def add_many(self, entries: Sequence[Entry]) -> None:
        started = time.perf_counter()
        self._inner.add_many(entries)
        self.seconds += time.perf_counter() - started

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def run(*, rows: int, repeats: int, profile: bool) -> bool:
    """Measure, print the table (and a profile if the target fails); True if it passed."""
    print(f"\nBuilding a {rows}-row CSV with CarbonTrack's own export ...")
    text = sample_data.export_text(rows)
    imports: list[ImportRun] = []
    bare: list[float] = []
    stored: list[tuple[Any, ...]] = []
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            imports.append(_import_once(Path(tmp) / "import.sqlite3", text, rows, stored))
        with tempfile.TemporaryDirectory() as tmp:
            bare.append(_executemany_once(Path(tmp) / "bare.sqlite3", stored))
    passed = _print(rows, repeats, imports, bare)
    if profile or not passed:
        _profile(text)
    return passed


def _import_once(path: Path, text: str, rows: int, stored: list[tuple[Any, ...]]) -> ImportRun:
    """Time import_csv into a fresh store; keep the rows it wrote for the baseline."""
    store = sample_data.new_store(path)
    try:
        user = sample_data.new_user(store)
        timed = _TimedWrites(store.entries)
        store.entries = timed
        started = time.perf_counter()
        count = transfer.import_csv(store=store, user=user, text=text)
        seconds = time.perf_counter() - started
    finally:
        store.close()
    if count != rows:
        raise RuntimeError(f"imported {count} rows, expected {rows}")
    if not stored:
        with closing(sqlite3.connect(path)) as conn:
            stored.extend(conn.execute("SELECT * FROM entries"))
    return ImportRun(seconds=seconds, write_seconds=timed.seconds)


def _executemany_once(path: Path, rows: list[tuple[Any, ...]]) -> float:
    """Time one bare `executemany` of the stored rows into a fresh file with the same schema."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in PRAGMAS:
            conn.execute(f"PRAGMA {pragma}")
        for statement in (s for migration in MIGRATIONS for s in migration):
            conn.execute(statement)
        user_row = (rows[0][0], "bench@example.org", "Bench", "unused", "2026-01-01T00:00:00Z")
        # Named columns: later migrations add columns to users with defaults.
        conn.execute(
            "INSERT INTO users (user_id, email, name, password_hash, created_at, country,"
            " time_zone, token_version) VALUES (?, ?, ?, ?, ?, NULL, 'UTC', 0)",
            user_row,
        )
        placeholders = ", ".join("?" * len(rows[0]))
        insert = f"INSERT INTO entries VALUES ({placeholders})"  # noqa: S608 - only '?'s
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(insert, rows)
        conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()


def _print(rows: int, repeats: int, imports: list[ImportRun], bare: list[float]) -> bool:
    import_s = statistics.median(run.seconds for run in imports)
    write_s = statistics.median(run.write_seconds for run in imports)
    bare_s = statistics.median(bare)
    ratio = bare_s / import_s  # = import rows/s over bare rows/s
    passed = ratio >= MIN_RATIO
    print(f"\nCSV import ({machine()}); {rows} rows, median of {repeats} interleaved runs")
    headers = ("case", "seconds", "rows/s", "ratio", "target", "result")
    print(
        table(
            headers,
            [
                ["bare executemany", f"{bare_s:.3f}", f"{rows / bare_s:.0f}", "1.00", "", ""],
                [
                    "transfer.import_csv",
                    f"{import_s:.3f}",
                    f"{rows / import_s:.0f}",
                    f"{ratio:.2f}",
                    f"ratio >= {MIN_RATIO:.2f}",
                    verdict(passed),
                ],
            ],
        )
    )
    parse_s = import_s - write_s
    print(
        f"import_csv time: parse+validate {parse_s:.3f} s ({parse_s / import_s:.0%}), "
        f"store.entries.add_many {write_s:.3f} s ({write_s / import_s:.0%})"
    )
    return passed


def _profile(text: str) -> None:
    """One more import under cProfile; print the top functions by cumulative time."""
    with tempfile.TemporaryDirectory() as tmp:
        store = sample_data.new_store(Path(tmp) / "profile.sqlite3")
        try:
            user = sample_data.new_user(store)
            profiler = cProfile.Profile()
            profiler.runcall(transfer.import_csv, store=store, user=user, text=text)
        finally:
            store.close()
    print("\nimport_csv under cProfile (slower than unprofiled; read the shares):")
    for order, lines in (("cumulative", PROFILE_LINES), ("tottime", PROFILE_LINES // 2)):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(order).print_stats(lines)
        report = out.getvalue()
        print(f"top {lines} by {order}:")
        print(report[report.index("   ncalls") :].rstrip() + "\n")
