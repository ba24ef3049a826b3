"""Count the DynamoDB calls a piece of code makes, and the capacity they consume.

    with CallCounter(client) as calls:
        store.users.get(user_id)
    assert calls.operations == ["GetItem"]

It hooks botocore's `before-call` / `after-call` events, so it counts API calls as the
code makes them (an SDK retry of one call is still one call) from any thread using
`client`. Capacity is summed from the `ConsumedCapacity` that responses carry, which
they do because the store asks for `ReturnConsumedCapacity="TOTAL"`.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

_ids = itertools.count()


class CallCounter:
    """Records each DynamoDB operation a client performs while the context is open."""

    def __init__(self, client: DynamoDBClient) -> None:
        self._events = client.meta.events
        self._lock = threading.Lock()
        self._id = f"carbontrack-call-counter-{next(_ids)}"
        self.operations: list[str] = []
        self.capacity_units = 0.0

    def __enter__(self) -> CallCounter:
        self._events.register("before-call.dynamodb.*", self._before, unique_id=self._id + "b")
        self._events.register("after-call.dynamodb.*", self._after, unique_id=self._id + "a")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._events.unregister("before-call.dynamodb.*", unique_id=self._id + "b")
        self._events.unregister("after-call.dynamodb.*", unique_id=self._id + "a")

    def counts(self) -> Counter[str]:
        """How many times each operation was called."""
        with self._lock:
            return Counter(self.operations)

    def reset(self) -> None:
        """Forget what was recorded so far."""
        with self._lock:
            self.operations.clear()
            self.capacity_units = 0.0

    def _before(self, model: Any, **_: Any) -> None:
        with self._lock:
            self.operations.append(str(model.name))

    def _after(self, parsed: dict[str, Any], **_: Any) -> None:
        consumed = parsed.get("ConsumedCapacity")
        if consumed is None:
            return
        records = consumed if isinstance(consumed, list) else [consumed]
        units = sum(float(record.get("CapacityUnits", 0.0)) for record in records)
        with self._lock:
            self.capacity_units += units
