"""Run the same piece of work on many threads at once, to race writes against each other."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
BARRIER_TIMEOUT_S = 60.0  # a thread that never arrives fails the test instead of hanging it


def all_at_once(threads: int, work: Callable[[int], T]) -> list[T]:
    """Run `work(0..threads-1)` on `threads` threads released together; results in order."""
    start = threading.Barrier(threads, timeout=BARRIER_TIMEOUT_S)

    def run(n: int) -> T:
        start.wait()
        return work(n)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(run, range(threads)))
