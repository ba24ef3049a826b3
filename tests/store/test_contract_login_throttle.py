"""Contract: the fixed-window failed-login counter."""

from __future__ import annotations

from datetime import timedelta

import pytest

from carbontrack.domain.errors import InvalidInput
from carbontrack.store.base import Store
from tests.store.factories import T0

KEY = "ada@example.com"
WINDOW = 900


def test_no_failures(store: Store) -> None:
    assert store.login_throttle.failures(KEY, now=T0) == (0, None)


def test_failures_count_within_one_window(store: Store) -> None:
    counts = [
        store.login_throttle.record_failure(KEY, now=T0 + timedelta(seconds=s), window_s=WINDOW)
        for s in (0, 10, 899)
    ]
    assert counts == [1, 2, 3]
    # The window is fixed: it ends WINDOW seconds after its first failure.
    end = T0 + timedelta(seconds=WINDOW)
    assert store.login_throttle.failures(KEY, now=T0 + timedelta(seconds=899)) == (3, end)


def test_window_end_is_exclusive(store: Store) -> None:
    store.login_throttle.record_failure(KEY, now=T0, window_s=WINDOW)
    end = T0 + timedelta(seconds=WINDOW)
    tick = timedelta(microseconds=1)
    assert store.login_throttle.failures(KEY, now=end - tick) == (1, end)
    assert store.login_throttle.failures(KEY, now=end) == (0, None)


def test_failure_after_expiry_starts_a_new_window(store: Store) -> None:
    for s in (0, 1, 2):
        store.login_throttle.record_failure(KEY, now=T0 + timedelta(seconds=s), window_s=WINDOW)
    later = T0 + timedelta(seconds=WINDOW)
    assert store.login_throttle.record_failure(KEY, now=later, window_s=60) == 1
    assert store.login_throttle.failures(KEY, now=later) == (1, later + timedelta(seconds=60))


def test_keys_are_counted_separately(store: Store) -> None:
    store.login_throttle.record_failure(KEY, now=T0, window_s=WINDOW)
    store.login_throttle.record_failure(KEY, now=T0, window_s=WINDOW)
    assert store.login_throttle.record_failure("bob@example.com", now=T0, window_s=WINDOW) == 1
    assert store.login_throttle.failures(KEY, now=T0)[0] == 2


def test_reset_forgets_failures(store: Store) -> None:
    store.login_throttle.record_failure(KEY, now=T0, window_s=WINDOW)
    store.login_throttle.reset(KEY)
    store.login_throttle.reset("never-seen@example.com")
    assert store.login_throttle.failures(KEY, now=T0) == (0, None)
    assert store.login_throttle.record_failure(KEY, now=T0, window_s=WINDOW) == 1


@pytest.mark.parametrize("window_s", [0, -5])
def test_window_must_be_positive(store: Store, window_s: int) -> None:
    with pytest.raises(InvalidInput):
        store.login_throttle.record_failure(KEY, now=T0, window_s=window_s)
    assert store.login_throttle.failures(KEY, now=T0) == (0, None)
