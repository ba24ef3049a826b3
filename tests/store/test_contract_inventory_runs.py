"""Contract: the latest inventory refresh: one at a time, a stale one gives way, runs follow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from carbontrack.ops.model import RefreshRun
from carbontrack.ops.services import KNOWN_SERVICES
from carbontrack.store.base import Store
from tests.concurrency import all_at_once

NOW = datetime(2026, 12, 7, 2, 0, 0, 123456, tzinfo=UTC)
STALE = timedelta(minutes=15)


def run(run_id: str, at: datetime = NOW, service: str | None = None) -> RefreshRun:
    return RefreshRun(run_id=run_id, service=service, started_at=at)


def test_no_run_before_the_first(store: Store) -> None:
    assert store.inventory_runs.latest() is None


def test_a_run_is_followed_to_its_end(store: Store) -> None:
    runs = store.inventory_runs
    assert runs.start(run("r1", service="lambda"), stale_before=NOW - STALE)
    assert runs.latest() == run("r1", service="lambda")
    runs.progress("r1", done=3, total=8)
    assert runs.latest() == RefreshRun("r1", "lambda", NOW, done=3, total=8)
    end = NOW + timedelta(seconds=42)
    runs.finish("r1", state="ok", failed=2, finished_at=end)
    assert runs.latest() == RefreshRun("r1", "lambda", NOW, end, 3, 8, "ok", 2)


def test_a_second_run_is_refused_while_one_runs(store: Store) -> None:
    runs = store.inventory_runs
    assert runs.start(run("r1"), stale_before=NOW - STALE)
    later = NOW + timedelta(minutes=14)
    assert not runs.start(run("r2", later), stale_before=later - STALE)
    assert runs.latest() == run("r1")


def test_a_finished_run_makes_way(store: Store) -> None:
    runs = store.inventory_runs
    assert runs.start(run("r1"), stale_before=NOW - STALE)
    runs.finish("r1", state="failed", failed=0, finished_at=NOW)
    later = NOW + timedelta(seconds=1)
    assert runs.start(run("r2", later), stale_before=later - STALE)
    assert runs.latest() == run("r2", later)


def test_a_run_older_than_the_stale_bound_is_replaced(store: Store) -> None:
    """A crashed run never finishes; it must not block refreshes for ever."""
    runs = store.inventory_runs
    assert runs.start(run("crashed"), stale_before=NOW - STALE)
    later = NOW + STALE + timedelta(microseconds=1)
    assert runs.start(run("r2", later), stale_before=later - STALE)
    # The crashed run's late writes no longer touch the latest run.
    runs.progress("crashed", done=5, total=5)
    runs.finish("crashed", state="ok", failed=0, finished_at=later)
    assert runs.latest() == run("r2", later)


def test_of_two_runs_started_at_once_exactly_one_wins(store: Store) -> None:
    won = all_at_once(
        2, lambda n: store.inventory_runs.start(run(f"r{n}"), stale_before=NOW - STALE)
    )
    assert sorted(won) == [False, True]
    latest = store.inventory_runs.latest()
    assert latest is not None
    assert latest.run_id == f"r{won.index(True)}"


def test_the_run_is_not_among_the_inventory_scopes(store: Store) -> None:
    assert store.inventory_runs.start(run("r1"), stale_before=NOW - STALE)
    assert store.inventory.statuses(services=KNOWN_SERVICES) == []
