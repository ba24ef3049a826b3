"""What DynamoDB would charge for a call, computed from the sizes of the items it touched.

moto's `ConsumedCapacity` figures are fixed placeholders, so the bench works the charge
out itself from AWS's documented rules (Amazon DynamoDB Developer Guide, "DynamoDB item
sizes and formats" and "DynamoDB read and write operations"):

* item size: the UTF-8 bytes of every attribute name plus its value; a string is its UTF-8
  bytes, a number about 1 byte per 2 significant digits + 1, a boolean or null 1 byte, a
  list or map 3 bytes + 1 byte per element + the elements (and a map's key names);
* reads: 1 RCU per 4 KB strongly consistent, half that eventually consistent; a `GetItem`
  rounds its item up to 4 KB (a missing item still costs the minimum), and `BatchGetItem`
  prices each key as a `GetItem`; a `Query` rounds the *total* size of the items it read up
  to 4 KB;
* writes: 1 WCU per 1 KB of item, rounded up per item; a transactional write costs 2x;
  every secondary index whose key attributes the item has also takes a write of its
  index entry, sized here as the whole item (projection ALL; the 100 bytes of per-entry
  overhead the guide adds for index *storage* are left out).

The number rule is the guide's own approximation, so sizes are close, not exact. Calls the
rules here cannot price from what the bench sees are "not covered" (None): failed calls,
updates, deletes and puts that replace an item (the old size counts), filtered or
projected reads, Scans, `BatchWriteItem`, and transactions that write an indexed table.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Any

from carbontrack.store.dynamodb.tables import TABLES, TableSpec

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

READ_UNIT_BYTES = 4096
WRITE_UNIT_BYTES = 1024
LIST_OR_MAP_BYTES = 3
ELEMENT_BYTES = 1
TRANSACTION_FACTOR = 2


@dataclass
class Call:
    """One DynamoDB call as the client made it, and the response moto gave (None: it failed)."""

    operation: str
    params: dict[str, Any]
    response: dict[str, Any] | None = None
    seconds: float = 0.0  # the whole call: botocore's work and the server's
    server_seconds: float = 0.0  # the `before-send` handlers: here, moto handling the request

    def moto_units(self) -> float | None:
        """The CapacityUnits the response reported, summed; None if it reported none."""
        consumed = (self.response or {}).get("ConsumedCapacity")
        if not consumed:
            return None  # absent, or (moto's TransactWriteItems) an empty list
        records = consumed if isinstance(consumed, list) else [consumed]
        return sum(float(record.get("CapacityUnits", 0.0)) for record in records)


@dataclass(frozen=True)
class Charge:
    """Capacity units DynamoDB would charge, and how they were worked out."""

    read_units: float = 0.0
    write_units: float = 0.0
    item_bytes: tuple[int, ...] = ()
    rule: str = ""

    def __str__(self) -> str:
        parts = [f"{self.read_units:g} RCU"] if self.read_units else []
        parts += [f"{self.write_units:g} WCU"] if self.write_units else []
        return " + ".join(parts) or "0"


@dataclass
class CallLog:
    """Records every call a client makes while open: params, response and wall time.

    Hooks botocore's `before-parameter-build` (the caller's own arguments) and
    `after-call`/`after-call-error`; the two are matched through botocore's per-call context.
    moto answers in a `before-send` handler, so one handler first and one last on that
    event time moto itself.
    """

    client: DynamoDBClient
    keep_payloads: bool = True  # False: keep names and times only (long runs)
    calls: list[Call] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __enter__(self) -> CallLog:
        events = self.client.meta.events
        events.register("before-parameter-build.dynamodb.*", self._start, unique_id=self._id("s"))
        events.register("after-call.dynamodb.*", self._end, unique_id=self._id("e"))
        events.register("after-call-error.dynamodb.*", self._end, unique_id=self._id("x"))
        events.register_first("before-send.dynamodb.*", self._send, unique_id=self._id("f"))
        # moto registers on plain `before-send`, which runs after every more specific name.
        events.register_last("before-send", self._sent, unique_id=self._id("l"))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        events = self.client.meta.events
        events.unregister("before-parameter-build.dynamodb.*", unique_id=self._id("s"))
        events.unregister("after-call.dynamodb.*", unique_id=self._id("e"))
        events.unregister("after-call-error.dynamodb.*", unique_id=self._id("x"))
        events.unregister("before-send.dynamodb.*", unique_id=self._id("f"))
        events.unregister("before-send", unique_id=self._id("l"))

    def seconds(self) -> float:
        """Wall time spent inside the recorded calls (botocore and the server, here moto)."""
        with self._lock:
            return sum(call.seconds for call in self.calls)

    def server_seconds(self) -> float:
        """Wall time the server (moto) took to answer, retries included."""
        with self._lock:
            return sum(call.server_seconds for call in self.calls)

    def _id(self, suffix: str) -> str:
        return f"bench-call-log-{id(self)}-{suffix}"

    def _start(self, params: dict[str, Any], model: Any, context: dict[str, Any], **_: Any) -> None:
        call = Call(operation=str(model.name), params=params, seconds=-time.perf_counter())
        context["bench_call"] = call
        with self._lock:
            self.calls.append(call)

    def _send(self, request: Any, **_: Any) -> None:
        call: Call | None = request.context.get("bench_call")
        if call is not None:
            call.server_seconds -= time.perf_counter()

    def _sent(self, request: Any, **_: Any) -> None:
        call: Call | None = request.context.get("bench_call")
        if call is not None:
            call.server_seconds += time.perf_counter()

    def _end(self, context: dict[str, Any], parsed: dict[str, Any] | None = None, **_: Any) -> None:
        call: Call | None = context.get("bench_call")
        if call is not None:
            call.seconds += time.perf_counter()
            call.response = parsed if parsed is not None and "Error" not in parsed else None
            if not self.keep_payloads:
                call.params, call.response = {}, None


def item_size(item: Mapping[str, Any]) -> int:
    """Bytes of a low-level item ({"name": {"S": ...}}) by the Developer Guide's rules."""
    return sum(len(name.encode()) + value_size(value) for name, value in item.items())


def value_size(value: Mapping[str, Any]) -> int:
    """Bytes of one attribute value, without its name."""
    ((kind, inner),) = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        return number_size(inner)
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(text.encode()) for text in inner)
    if kind == "NS":
        return sum(number_size(text) for text in inner)
    if kind == "BS":
        return sum(len(blob) for blob in inner)
    if kind == "L":
        return LIST_OR_MAP_BYTES + sum(ELEMENT_BYTES + value_size(v) for v in inner)
    if kind == "M":
        elements = (ELEMENT_BYTES + len(k.encode()) + value_size(v) for k, v in inner.items())
        return LIST_OR_MAP_BYTES + sum(elements)
    raise ValueError(f"unknown attribute type {kind!r}")


def number_size(text: str) -> int:
    """About 1 byte per 2 significant digits, plus 1 (leading and trailing zeros trimmed)."""
    mantissa = text.lower().lstrip("+-").split("e")[0]
    digits = mantissa.replace(".", "").strip("0")
    return math.ceil(len(digits) / 2) + 1


def charge(call: Call, *, prefix: str) -> Charge | None:
    """What DynamoDB would charge for `call`; None for a call these rules do not cover."""
    params, response = call.params, call.response
    if response is None:
        return None  # a failed call (a cancelled transaction, a failed condition)
    specs = {spec.name(prefix): spec for spec in TABLES}
    if call.operation == "GetItem":
        item = response.get("Item")
        return _read_charge(params, () if item is None else (item,), "⌈B/4 KB⌉, min 1")
    if call.operation == "Query" and not _narrowed(params):
        return _read_charge(params, response.get("Items", []), "⌈ΣB/4 KB⌉, min 1")
    if call.operation == "BatchGetItem" and not response.get("UnprocessedKeys"):
        return _batch_get_charge(params, response)
    if call.operation == "PutItem" and _is_insert(params):
        return _put_charge([params], specs, factor=1)
    if call.operation == "TransactWriteItems":
        actions = params["TransactItems"]
        puts = [action["Put"] for action in actions if "Put" in action]
        if len(puts) < len(actions) or not all(_is_insert(put) for put in puts):
            return None  # deletes, updates and replacing puts need the item as it was
        if any(_indexes_written(put["Item"], specs.get(put["TableName"])) for put in puts):
            return None  # how transactions charge index writes is not documented clearly
        return _put_charge(puts, specs, factor=TRANSACTION_FACTOR)
    return None


def _read_charge(
    params: Mapping[str, Any], items: Sequence[Mapping[str, Any]], rule: str
) -> Charge:
    """A read charged on the total size of the items it read (a missing item: the minimum)."""
    sizes = tuple(item_size(item) for item in items)
    consistent = bool(params.get("ConsistentRead"))
    units = max(1, math.ceil(sum(sizes) / READ_UNIT_BYTES))
    rule += ", strong" if consistent else ", eventual (half)"
    return Charge(read_units=units if consistent else units / 2, item_bytes=sizes, rule=rule)


def _batch_get_charge(params: Mapping[str, Any], response: Mapping[str, Any]) -> Charge:
    """Each key is priced as a GetItem: rounded up to 4 KB alone, a missing one at the minimum."""
    read_units = 0.0
    sizes: list[int] = []
    strong = True
    for table, request in params["RequestItems"].items():
        found = [item_size(item) for item in response.get("Responses", {}).get(table, [])]
        missing = len(request["Keys"]) - len(found)
        units = sum(max(1, math.ceil(size / READ_UNIT_BYTES)) for size in found) + missing
        consistent = bool(request.get("ConsistentRead"))
        strong = strong and consistent
        read_units += units if consistent else units / 2
        sizes += found
    rule = "⌈B/4 KB⌉ per key, min 1" + (", strong" if strong else ", eventual (half)")
    return Charge(read_units=read_units, item_bytes=tuple(sizes), rule=rule)


def _narrowed(params: Mapping[str, Any]) -> bool:
    """A filter or projection: the charge is on items read, which the response does not show."""
    return "FilterExpression" in params or "ProjectionExpression" in params


def _is_insert(put: Mapping[str, Any]) -> bool:
    """A put that only writes a new item, so there is no old item whose size could count."""
    return str(put.get("ConditionExpression", "")).startswith("attribute_not_exists")


def _put_charge(
    puts: Sequence[Mapping[str, Any]], specs: Mapping[str, TableSpec], *, factor: int
) -> Charge:
    """New items: ⌈B/1 KB⌉ for the table, and again for every index the item lands in."""
    units = 0
    sizes: list[int] = []
    indexes: set[str] = set()
    for put in puts:
        size = item_size(put["Item"])
        sizes.append(size)
        written = _indexes_written(put["Item"], specs.get(put["TableName"]))
        indexes.update(written)
        units += factor * (1 + len(written)) * math.ceil(size / WRITE_UNIT_BYTES)
    rule = ("2x " if factor == TRANSACTION_FACTOR else "") + "⌈B/1 KB⌉ per item"
    rule += "".join(f" + the same for index {name}" for name in sorted(indexes))
    return Charge(write_units=float(units), item_bytes=tuple(sizes), rule=rule)


def _indexes_written(item: Mapping[str, Any], spec: TableSpec | None) -> list[str]:
    """The secondary indexes an item lands in: those whose key attributes it has."""
    if spec is None:
        return []
    return [
        index.name
        for index in spec.indexes
        if index.partition_key in item and (index.sort_key is None or index.sort_key in item)
    ]
