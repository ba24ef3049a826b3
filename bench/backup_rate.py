"""Backup rates: `backup.export` and `backup.restore` on SQLite and on DynamoDB (moto).

For each backend: seed a store with users of 1,000 entries each (timed apart, not counted),
time `backup.export` into a new directory, then `backup.restore` of that directory into a
fresh, empty store of the same backend. Records = users + entries. The restored store must
hold as many users and entries as the backup, and its first user's newest page must equal
the source's. Every phase reports progress and stops at the time budget.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from moto import mock_aws

from bench import sample_data
from bench.backup_data import (
    DYNAMODB,
    ENTRIES_PER_USER,
    SQLITE,
    Backend,
    Resolved,
    new_user,
    resolve_factors,
    user_entries,
)
from bench.dynamo_capacity import CallLog
from bench.dynamodb_calls import fake_aws
from bench.report import machine, table, verdict
from carbontrack.services import backup
from carbontrack.store.base import Store
from carbontrack.store.dynamodb import DynamoStore

PROGRESS_STEPS = 10
RESULT_HEADERS = (
    *("store", "users", "entries", "records", "seed s (not counted)"),
    *("export s", "export records/s", "restore s", "restore records/s", "check", "result"),
)
SPLIT_HEADERS = (
    *("store", "phase", "ms/record", "backup service", "store code"),
    *("botocore", "moto", "DynamoDB calls"),
)


class BudgetExceeded(RuntimeError):
    """A backend's run went past its time budget."""


@dataclass(frozen=True)
class Phase:
    """One timed export or restore, and how its time splits."""

    seconds: float
    records: int
    store_s: float  # inside store methods (includes the client calls)
    client_s: float | None  # DynamoDB only: inside client calls (botocore + moto)
    server_s: float | None  # DynamoDB only: moto answering the calls
    calls: Counter[str] = field(default_factory=Counter)

    def ms_per_record(self, seconds: float) -> float:
        return seconds / self.records * 1000


@dataclass(frozen=True)
class Result:
    backend: str
    users: int
    entries: int
    seed_s: float
    export: Phase
    restore: Phase
    problems: list[str]

    @property
    def records(self) -> int:
        return self.users + self.entries


@dataclass
class _Clock:
    seconds: float = 0.0


class _Timed:
    """Wraps a repository: adds the time spent in its methods (and their iterators) to a clock."""

    def __init__(self, inner: Any, clock: _Clock) -> None:
        self._inner = inner
        self._clock = clock

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._inner, name)
        if not callable(attribute):
            return attribute

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                result = attribute(*args, **kwargs)
            finally:
                self._clock.seconds += time.perf_counter() - started
            return self._iterate(result) if isinstance(result, Iterator) else result

        return timed

    def _iterate(self, items: Iterator[Any]) -> Iterator[Any]:
        while True:
            started = time.perf_counter()
            try:
                item = next(items)
            except StopIteration:
                return
            finally:
                self._clock.seconds += time.perf_counter() - started
            yield item


class _Progress:
    """The `progress` callback of export/restore: prints every 10%, stops at the deadline."""

    def __init__(self, label: str, total: int, deadline: float) -> None:
        self._label, self._total, self._deadline = label, total, deadline
        self._done = 0
        self._step = 1
        self._started = time.perf_counter()

    def __call__(self, count: int) -> None:
        self._done += count
        if self._done * PROGRESS_STEPS < self._step * self._total:
            return
        self._step = self._done * PROGRESS_STEPS // self._total + 1
        elapsed = time.perf_counter() - self._started
        print(f"  {self._label}: {self._done}/{self._total} records, {elapsed:.1f} s", flush=True)
        _check(self._deadline, self._label)


def run(*, sqlite_entries: int, dynamo_entries: int, budget_s: float) -> bool:
    """Measure both backends, print the tables; True if every restore matched its backup."""
    print(f"\nBackup rates: {ENTRIES_PER_USER} entries per user, budget {budget_s:.0f} s a store")
    load = os.getloadavg()[0]  # the machine is shared: say how busy it was
    with tempfile.TemporaryDirectory() as tmp:
        catalogue = sample_data.new_store(Path(tmp) / "catalogue.sqlite3")
        try:
            resolved = resolve_factors(catalogue)
        finally:
            catalogue.close()
        results: list[Result] = []
        try:
            results.append(_measure(SQLITE, sqlite_entries, resolved, Path(tmp), budget_s))
            with fake_aws(), mock_aws():
                results.append(_measure(DYNAMODB, dynamo_entries, resolved, Path(tmp), budget_s))
        except BudgetExceeded as exc:
            print(f"STOPPED: {exc}")
            _print(results, sqlite_entries, dynamo_entries, load)
            return False
    return _print(results, sqlite_entries, dynamo_entries, load)


def _measure(
    backend: Backend, entries: int, resolved: Resolved, tmp: Path, budget_s: float
) -> Result:
    deadline = time.perf_counter() + budget_s
    users = max(1, entries // ENTRIES_PER_USER)
    per_user = entries // users
    print(f"{backend.name}: seeding {users} users x {per_user} entries ...", flush=True)
    source = backend.open(tmp / f"{backend.name}-source")
    target = backend.open(tmp / f"{backend.name}-target")
    try:
        seed_s, user_ids = _seed(backend, source, users, per_user, resolved, deadline)
        records = len(user_ids) * (1 + per_user)
        path = tmp / f"{backend.name}-backup"
        export = _phase(
            source,
            lambda progress: backup.export(store=source, path=path, progress=progress),
            _Progress(f"{backend.name} export", records, deadline),
            records,
        )
        restore = _phase(
            target,
            lambda progress: backup.restore(store=target, path=path, progress=progress),
            _Progress(f"{backend.name} restore", records, deadline),
            records,
        )
        problems = _check_restore(backend, source, target, user_ids, per_user)
    finally:
        source.close()
        target.close()
    return Result(
        backend.name, len(user_ids), records - len(user_ids), seed_s, export, restore, problems
    )


def _seed(
    backend: Backend,
    store: Store,
    users: int,
    per_user: int,
    resolved: Resolved,
    deadline: float,
) -> tuple[float, list[str]]:
    """Write the users and their entries; return the seconds spent writing, and the ids."""
    rng = random.Random(sample_data.SEED)
    now = datetime.now(UTC)
    seconds = 0.0
    user_ids: list[str] = []
    for number in range(users):
        user = new_user(rng, number, now)
        batch = user_entries(user, per_user, rng, resolved, now)
        started = time.perf_counter()
        store.users.add(user)
        backend.add_entries(store, batch)
        seconds += time.perf_counter() - started
        user_ids.append(user.user_id)
        if (number + 1) % max(1, users // PROGRESS_STEPS) == 0:
            print(f"  seeded {number + 1}/{users} users, {seconds:.1f} s writing", flush=True)
            _check(deadline, f"{store.backend} seeding")
    return seconds, user_ids


def _phase(
    store: Store, work: Callable[[_Progress], object], progress: _Progress, records: int
) -> Phase:
    """Run export or restore with its store methods (and DynamoDB client calls) timed."""
    clock = _Clock()
    users, entries = store.users, store.entries
    store.users, store.entries = _Timed(users, clock), _Timed(entries, clock)
    log = CallLog(store.client, keep_payloads=False) if isinstance(store, DynamoStore) else None
    try:
        started = time.perf_counter()
        if log is None:
            work(progress)
        else:
            with log:
                work(progress)
        seconds = time.perf_counter() - started
    finally:
        store.users, store.entries = users, entries
    if log is None:
        return Phase(seconds, records, clock.seconds, None, None)
    calls = Counter(call.operation for call in log.calls)
    return Phase(seconds, records, clock.seconds, log.seconds(), log.server_seconds(), calls)


def _check(deadline: float, label: str) -> None:
    if time.perf_counter() > deadline:
        raise BudgetExceeded(f"{label} went past the time budget; rerun with a smaller N")


def _check_restore(
    backend: Backend, source: Store, target: Store, user_ids: list[str], per_user: int
) -> list[str]:
    """What differs between the restored store and what was seeded (nothing, we hope)."""
    problems = []
    restored_users = sum(1 for _ in target.users.scan_all())
    if restored_users != len(user_ids):
        problems.append(f"{restored_users} users restored, {len(user_ids)} seeded")
    restored = backend.count_entries(target, user_ids)
    if restored != len(user_ids) * per_user:
        problems.append(f"{restored} entries restored, {len(user_ids) * per_user} seeded")
    first = user_ids[0]
    if source.entries.list_for_user(first).items != target.entries.list_for_user(first).items:
        problems.append("the first user's newest page differs after restore")
    return problems


def _print(results: list[Result], sqlite_entries: int, dynamo_entries: int, load: float) -> bool:
    print(
        f"\nBackup export and restore ({machine()}; 1-min load average {load:.1f} at start; "
        f"moto {version('moto')}); one run per store"
    )
    rows = [
        [
            r.backend + (" (moto)" if r.backend == "dynamodb" else ""),
            str(r.users),
            str(r.entries),
            str(r.records),
            f"{r.seed_s:.1f}",
            f"{r.export.seconds:.1f}",
            f"{r.records / r.export.seconds:.0f}",
            f"{r.restore.seconds:.1f}",
            f"{r.records / r.restore.seconds:.0f}",
            "; ".join(r.problems) or "counts and sample match",
            verdict(not r.problems),
        ]
        for r in results
    ]
    print(table(RESULT_HEADERS, rows))
    if dynamo_entries != sqlite_entries:
        print(
            f"DynamoDB was measured with {dynamo_entries} entries and SQLite with "
            f"{sqlite_entries} (moto in-process cannot do the full size within the budget): "
            "each rate holds for its own size only; nothing here is extrapolated."
        )
    print("\nWhere the time goes, in ms per record (share of the phase):")
    print(table(SPLIT_HEADERS, [row for r in results for row in _split(r)]))
    return len(results) == 2 and all(not r.problems for r in results)


def _split(result: Result) -> Iterator[list[str]]:
    for name, phase in (("export", result.export), ("restore", result.restore)):
        client_s, server_s = phase.client_s or 0.0, phase.server_s or 0.0
        parts = [phase.seconds - phase.store_s, phase.store_s - client_s]
        if phase.client_s is not None:
            parts += [client_s - server_s, server_s]
        cells = [_share(phase, seconds) for seconds in parts]
        cells += [""] * (4 - len(cells))
        calls = ", ".join(f"{n} {op}" for op, n in sorted(phase.calls.items()))
        ms = f"{phase.ms_per_record(phase.seconds):.3f}"
        yield [result.backend, name, ms, *cells, calls]


def _share(phase: Phase, seconds: float) -> str:
    return f"{phase.ms_per_record(seconds):.3f} ({seconds / phase.seconds:.0%})"
