"""Contract: the fixed-window attempt counter behind login, password and sign-up limits."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest

from carbontrack.domain.errors import InvalidInput
from carbontrack.store.base import Store
from carbontrack.store.sqlite import SqliteStore
from carbontrack.store.sqlite.throttle import SWEEP_ROWS
from tests.concurrency import all_at_once
from tests.store.factories import T0

KEY = "ada@example.com"
WINDOW = 900
END = T0 + timedelta(seconds=WINDOW)
THREADS = 16


def test_no_attempts(store: Store) -> None:
    assert store.login_throttle.attempts(KEY, now=T0) == (0, None)


def test_attempts_count_within_one_window(store: Store) -> None:
    counted = [
        store.login_throttle.record_attempt(KEY, now=T0 + timedelta(seconds=s), window_s=WINDOW)
        for s in (0, 10, 899)
    ]
    # The window is fixed: it ends WINDOW seconds after its first attempt.
    assert counted == [(1, END), (2, END), (3, END)]
    assert store.login_throttle.attempts(KEY, now=T0 + timedelta(seconds=899)) == (3, END)


def test_window_end_is_exclusive(store: Store) -> None:
    store.login_throttle.record_attempt(KEY, now=T0, window_s=WINDOW)
    tick = timedelta(microseconds=1)
    assert store.login_throttle.attempts(KEY, now=END - tick) == (1, END)
    assert store.login_throttle.attempts(KEY, now=END) == (0, None)


def test_an_attempt_after_expiry_starts_a_new_window(store: Store) -> None:
    for s in (0, 1, 2):
        store.login_throttle.record_attempt(KEY, now=T0 + timedelta(seconds=s), window_s=WINDOW)
    later_end = END + timedelta(seconds=60)
    assert store.login_throttle.record_attempt(KEY, now=END, window_s=60) == (1, later_end)
    assert store.login_throttle.attempts(KEY, now=END) == (1, later_end)


def test_keys_are_counted_separately(store: Store) -> None:
    store.login_throttle.record_attempt(KEY, now=T0, window_s=WINDOW)
    store.login_throttle.record_attempt(KEY, now=T0, window_s=WINDOW)
    other = store.login_throttle.record_attempt("addr:192.0.2.1", now=T0, window_s=WINDOW)
    assert other == (1, END)
    assert store.login_throttle.attempts(KEY, now=T0)[0] == 2


def test_a_withdrawn_attempt_is_no_longer_counted(store: Store) -> None:
    for _ in range(3):
        store.login_throttle.record_attempt(KEY, now=T0, window_s=WINDOW)
    store.login_throttle.withdraw_attempt(KEY, window_end=END)
    assert store.login_throttle.attempts(KEY, now=T0) == (2, END)
    assert store.login_throttle.record_attempt(KEY, now=T0, window_s=WINDOW) == (3, END)


def test_a_withdrawal_never_goes_below_zero(store: Store) -> None:
    store.login_throttle.record_attempt(KEY, now=T0, window_s=WINDOW)
    for _ in range(3):
        store.login_throttle.withdraw_attempt(KEY, window_end=END)
    store.login_throttle.withdraw_attempt("never-seen", window_end=END)
    assert store.login_throttle.attempts(KEY, now=T0) == (0, END)
    assert store.login_throttle.record_attempt(KEY, now=T0, window_s=WINDOW) == (1, END)


def test_a_withdrawal_leaves_a_newer_window_alone(store: Store) -> None:
    store.login_throttle.record_attempt(KEY, now=T0, window_s=WINDOW)
    newer = store.login_throttle.record_attempt(KEY, now=END, window_s=WINDOW)
    store.login_throttle.withdraw_attempt(KEY, window_end=END)  # the old window's end
    assert store.login_throttle.attempts(KEY, now=END) == newer


def test_reset_forgets_attempts(store: Store) -> None:
    store.login_throttle.record_attempt(KEY, now=T0, window_s=WINDOW)
    store.login_throttle.reset(KEY)
    store.login_throttle.reset("never-seen@example.com")
    assert store.login_throttle.attempts(KEY, now=T0) == (0, None)
    assert store.login_throttle.record_attempt(KEY, now=T0, window_s=WINDOW) == (1, END)


@pytest.mark.parametrize("window_s", [0, -5])
def test_window_must_be_positive(store: Store, window_s: int) -> None:
    with pytest.raises(InvalidInput):
        store.login_throttle.record_attempt(KEY, now=T0, window_s=window_s)
    assert store.login_throttle.attempts(KEY, now=T0) == (0, None)


def test_concurrent_attempts_each_get_their_own_count(store: Store) -> None:
    """A limit checked on the count an attempt gets back cannot be raced: no two share one."""
    counted = all_at_once(
        THREADS, lambda _: store.login_throttle.record_attempt(KEY, now=T0, window_s=WINDOW)
    )
    assert sorted(counted) == [(n, END) for n in range(1, THREADS + 1)]
    assert store.login_throttle.attempts(KEY, now=T0) == (THREADS, END)


def test_concurrent_withdrawals_each_take_back_one(store: Store) -> None:
    for _ in range(THREADS + 2):
        store.login_throttle.record_attempt(KEY, now=T0, window_s=WINDOW)
    all_at_once(THREADS, lambda _: store.login_throttle.withdraw_attempt(KEY, window_end=END))
    assert store.login_throttle.attempts(KEY, now=T0) == (2, END)


def test_sqlite_sweeps_ended_windows_a_few_at_a_time(tmp_path: Path) -> None:
    """One row per key, client addresses included: ended ones must not pile up for ever."""
    store = SqliteStore(tmp_path / "carbontrack.sqlite3")
    try:
        for n in range(20):
            store.login_throttle.record_attempt(f"pw:addr:10.0.0.{n}", now=T0, window_s=60)
        later = T0 + timedelta(seconds=60)  # every window above has ended (end is exclusive)
        store.login_throttle.record_attempt(KEY, now=later, window_s=60)
        assert _rows(tmp_path) == 20 - SWEEP_ROWS + 1
        for _ in range(2):
            store.login_throttle.record_attempt(KEY, now=later, window_s=60)
        assert _rows(tmp_path) == 1  # only the open window is left
        assert store.login_throttle.attempts(KEY, now=later) == (3, later + timedelta(seconds=60))
    finally:
        store.close()


def _rows(tmp_path: Path) -> int:
    with closing(sqlite3.connect(tmp_path / "carbontrack.sqlite3")) as conn:
        count: int = conn.execute("SELECT count(*) FROM login_failures").fetchone()[0]
    return count
