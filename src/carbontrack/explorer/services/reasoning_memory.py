"""What each process keeps in memory for the reasoning service: its LLM call limit and the
answers it served last. Why in memory rather than in the store: see services/reasoning.py.
"""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from datetime import datetime, timedelta

from carbontrack.domain.reasoning import CachedReasoning

WINDOW = timedelta(minutes=1)
RECENT_ITEMS = 512  # answers each process keeps in memory (a few KB each)
RECENT_FOR = timedelta(minutes=10)  # how long a purge of the store can go unnoticed


class RecentAnswers:
    """The last answers this process served, by key, each for at most `RECENT_FOR`.

    Safe because an item never changes under its key (everything that shapes an answer is
    in the key); an expired item is never served from here either. Saves the store read of
    a hit: a DynamoDB GetItem costs milliseconds, this a dictionary look-up.
    """

    def __init__(self, size: int = RECENT_ITEMS) -> None:
        self.size = size
        self._items: OrderedDict[str, tuple[CachedReasoning, datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, now: datetime) -> CachedReasoning | None:
        """The live item kept under `key`, if it was remembered within `RECENT_FOR`."""
        with self._lock:
            kept = self._items.get(key)
            if kept is None:
                return None
            item, remembered = kept
            if not item.is_live(now) or now - remembered >= RECENT_FOR:
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return item

    def remember(self, item: CachedReasoning, now: datetime) -> None:
        """Keep `item`, dropping the least recently served beyond `size`."""
        with self._lock:
            self._items[item.key] = (item, now)
            self._items.move_to_end(item.key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class MissLimiter:
    """At most `per_minute` acquisitions in any sliding minute, in this process."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._times: deque[datetime] = deque()
        self._lock = threading.Lock()

    def try_acquire(self, now: datetime) -> bool:
        """Count one LLM call at `now` if the limit allows it."""
        with self._lock:
            while self._times and self._times[0] <= now - WINDOW:
                self._times.popleft()
            if len(self._times) >= self.per_minute:
                return False
            self._times.append(now)
            return True
