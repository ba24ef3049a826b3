"""Entries in DynamoDB: table `entries`, key `userId` + `timestamp` (see `tables.ENTRIES`).

`timestamp` is "<fixed-width UTC time with µs>#<entryId>", so one Query on a user's
partition reads entries in time order, and two entries at one instant both survive.
The LSI `entryId-index` (userId, entryId) finds an entry by id with one strongly
consistent Query; an index cannot make ids unique, so each entry's id also has a guard
item (`codec.entry_guard`), put and deleted in the same transaction as the entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from carbontrack.domain.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from carbontrack.domain.models import Entry, Page
from carbontrack.store.cursor import decode_cursor, encode_cursor
from carbontrack.store.dynamodb import codec, rollups, updates, writes
from carbontrack.store.dynamodb.batch import batch_write, transact_write
from carbontrack.store.dynamodb.errors import (
    CONDITION_FAILED,
    DynamoStoreError,
    is_condition_failed,
    translated,
)
from carbontrack.store.dynamodb.tables import ENTRY_ID_INDEX

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        QueryInputTypeDef,
        TransactWriteItemTypeDef,
        WriteRequestTypeDef,
    )

    from carbontrack.store.dynamodb.codec import Item

BACKEND = "dynamodb"
MAX_LIMIT = 500
# Sort-key bounds below / above every "<time>#<id>" key (times start with a digit).
# DynamoDB refuses empty strings in key conditions, hence "0" rather than "".
_EARLIEST = "0"
_LATEST = "~"
# With a category filter a Query may return fewer matches than it read; each further
# Query of the same page reads twice as many items, up to this many.
_MAX_READ = 1000
_TS = {"#ts": "timestamp"}  # a reserved word in expressions
_ATTEMPTS = 3  # reads of an entry that another write keeps changing
# Attributes an update never writes: the key, the id and when the entry was first logged.
_FIXED = ("userId", "timestamp", "entryId", "createdAt")


class DynamoEntries:
    """`EntryRepository` over the entries table; every write also updates the rollups table."""

    def __init__(self, client: DynamoDBClient, *, table: str, rollups_table: str) -> None:
        self._client = client
        self._table = table
        self._rollups = rollups_table

    @translated
    def add(self, entry: Entry) -> None:
        """Insert one entry and its id guard and add it to its user's totals: one transaction.

        `AlreadyExists` if its key is taken or its user already has its id.
        """
        deltas = rollups.Deltas(added=rollups.contribution(entry))
        actions = [
            writes.put(self._table, codec.entry_item(entry), writes.NEW),
            self._put_guard(entry),
            *self._totals(entry, deltas),
        ]
        codes = transact_write(self._client, actions)
        if codes is None or (CONDITION_FAILED in codes[:2] and self._is_stored(entry)):
            # A repeat of a transaction that committed but whose answer was lost fails its
            # own conditions (moto ignores ClientRequestToken; DynamoDB honours it for 10
            # minutes): the entry there, to the microsecond, is this very write.
            return
        if CONDITION_FAILED in codes[:2]:
            raise AlreadyExists("entry already exists", field="entry_id")
        raise DynamoStoreError(f"entry write was cancelled: {codes}")

    def _is_stored(self, entry: Entry) -> bool:
        """Whether exactly this entry (same id, values and creation time) is stored."""
        item = self._find(entry.user_id, entry.entry_id)
        return item is not None and codec.entry_from(item) == entry

    @translated
    def add_many(self, entries: Sequence[Entry]) -> None:
        """Insert all entries of one user, or none (see `docs/storage.md`).

        Transactions of up to 100 actions: entries and their id guards plus one ADD per
        month they touch and one on the count. If a later one fails, the ones already
        written are deleted and subtracted again before the error is raised: all-or-nothing
        to the caller, but not isolated (a concurrent reader may briefly see the first chunks).
        """
        if not entries:
            return
        if len({entry.user_id for entry in entries}) > 1:
            raise InvalidInput("add_many takes the entries of one user", field="entries")
        if len({entry.entry_id for entry in entries}) < len(entries):
            raise AlreadyExists("entry already exists", field="entry_id")
        items = [codec.entry_item(entry) for entry in entries]  # every check before any write
        written: list[Sequence[int]] = []
        try:
            for chunk in writes.chunks(entries):
                deltas = rollups.Deltas(added=_parts(entries, chunk))
                actions = [writes.put(self._table, items[i], writes.NEW) for i in chunk]
                actions += [self._put_guard(entries[i]) for i in chunk]
                codes = transact_write(self._client, [*actions, *self._totals(entries[0], deltas)])
                if codes is not None and CONDITION_FAILED in codes[: len(actions)]:
                    # As in `add`: a repeat of this chunk's transaction, which committed but
                    # whose answer was lost, fails its own conditions; then every entry of the
                    # chunk is stored exactly as written here (creation time included).
                    if not all(self._is_stored(entries[i]) for i in chunk):
                        raise AlreadyExists("entry already exists", field="entry_id")
                elif codes is not None:
                    raise DynamoStoreError(f"import was cancelled: {codes}")
                written.append(chunk)
        except Exception:
            self._undo(entries, items, written)  # compensation: leave nothing behind
            raise

    @translated
    def put_many(self, entries: Sequence[Entry]) -> None:
        """Write entries and their id guards as given, replacing same keys (restore).

        BatchWriteItem, retried; not atomic, but repeating it converges. An entry is
        replaced when its user, timestamp and id match; restore into an empty table. Totals
        are not touched: the restore rebuilds them (`rollups.rebuild`) afterwards.
        """
        items = {}
        for entry in entries:  # one batch may not name a key twice: the last one wins
            items[(entry.user_id, codec.entry_sort_key(entry))] = codec.entry_item(entry)
            guard = codec.entry_guard(entry.user_id, entry.entry_id)
            items[(entry.user_id, codec.ENTRY_GUARD_PREFIX + entry.entry_id)] = guard
        puts: list[WriteRequestTypeDef] = [{"PutRequest": {"Item": i}} for i in items.values()]
        batch_write(self._client, self._table, puts)

    @translated
    def get(self, user_id: str, entry_id: str) -> Entry | None:
        """One entry of one user (one LSI Query); another user's id gives None."""
        item = self._find(user_id, entry_id)
        return None if item is None else codec.entry_from(item)

    @translated
    def update(self, read: Entry, changed: Entry) -> Entry:
        """Write what changed since `read`, if the entry is still at `read.version`.

        Same time: one UpdateItem of the changed attributes, or a transaction of it and the
        totals' difference (ADD). A new time is a new key: Delete the old item and Put the
        new one, with the difference, in one transaction (the id guard stays as it is).
        `Conflict` if the entry changed since it was read, `NotFound` if it is gone.
        """
        new = replace(changed, version=read.version + 1, created_at=read.created_at)
        old_item, item = codec.entry_item(read), codec.entry_item(new)
        deltas = rollups.Deltas(added=rollups.contribution(new), removed=rollups.contribution(read))
        totals = self._totals(new, deltas)
        condition = updates.at_version("userId", read.version)
        key = {"userId": old_item["userId"], "timestamp": old_item["timestamp"]}
        moved = item["timestamp"] != old_item["timestamp"]
        if moved:
            actions = [
                writes.delete_if(self._table, key, condition),
                writes.put(self._table, item, writes.NEW),
            ]
        else:
            change = updates.changed(old_item, item, fixed=_FIXED)
            actions = [{"Update": updates.update(self._table, key, change, condition)}]
        codes = self._write(actions, totals)
        if codes is None:
            return new
        if moved and codes[0] != CONDITION_FAILED and codes[1] == CONDITION_FAILED:
            raise AlreadyExists("entry already exists", field="entry_id")
        if self._find(read.user_id, read.entry_id) is None:
            raise NotFound("entry not found", field="entry_id")
        raise Conflict("the entry was changed by another request meanwhile", field="entry_id")

    def _write(
        self, actions: list[TransactWriteItemTypeDef], totals: list[TransactWriteItemTypeDef]
    ) -> list[str] | None:
        """One UpdateItem when that is all there is to write, else one transaction."""
        if totals or len(actions) > 1 or "Update" not in actions[0]:
            return transact_write(self._client, [*actions, *totals])
        try:
            self._client.update_item(**actions[0]["Update"], ReturnConsumedCapacity="TOTAL")
        except ClientError as exc:
            if is_condition_failed(exc):
                return [CONDITION_FAILED]
            raise
        return None

    @translated
    def delete(self, user_id: str, entry_id: str) -> None:
        """Delete one entry and its id guard, subtract it from the totals; `NotFound` if absent.

        LSI Query, then one transaction, conditional on the entry being as read.
        """
        for _ in range(_ATTEMPTS):
            current = self._find(user_id, entry_id)
            if current is None:
                raise NotFound("entry not found", field="entry_id")
            deltas = rollups.Deltas(removed=rollups.item_contribution(current))
            totals = rollups.update_actions(self._rollups, user_id, deltas)
            guard = writes.delete_guard(self._table, user_id, entry_id)
            actions = [writes.delete(self._table, current), guard, *totals]
            codes = transact_write(self._client, actions)
            if codes is None:
                return
            if codes[0] != CONDITION_FAILED:
                raise DynamoStoreError(f"entry delete was cancelled: {codes}")
        raise Conflict("the entry kept changing while it was being deleted; try again")

    @translated
    def list_for_user(
        self,
        user_id: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        category: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[Entry]:
        """A user's entries newest first, `since <= timestamp < until`, `limit` per page.

        One Query reading `limit + 1` items: the extra one says whether another page
        exists, so no cursor ever leads to an empty page. A category filter may need
        more Queries (a filter drops items after they are read).
        """
        _check_limit(limit)
        low = _EARLIEST if since is None else codec.iso_time(since, field="since")
        # `until` is exclusive: "<until>" sorts below every "<until>#<id>".
        high = _LATEST if until is None else codec.iso_time(until, field="until")
        start = None if cursor is None else _position(cursor)
        if start is not None and start > high:
            start = None  # a cursor past the range starts the range from its top
        if low >= high or (start is not None and start <= low):
            return Page()  # nothing left in range (DynamoDB refuses BETWEEN high AND low)
        request = _list_request(self._table, user_id, low, high, category)
        items: list[Item] = []
        read = limit + 1
        while True:
            if start is not None:
                request["ExclusiveStartKey"] = codec.entry_key(user_id, start)
            request["Limit"] = read
            page = self._client.query(**request)
            items += page["Items"]
            last = page.get("LastEvaluatedKey")
            if len(items) > limit or last is None:
                break
            start = codec.from_item(last)["timestamp"]
            read = min(_MAX_READ, read * 2)
        next_cursor = None
        if len(items) > limit:
            position = codec.from_item(items[limit - 1])["timestamp"]
            next_cursor = encode_cursor(BACKEND, {"k": position})
        return Page(
            items=[codec.entry_from(item) for item in items[:limit]], next_cursor=next_cursor
        )

    def _find(self, user_id: str, entry_id: str) -> Item | None:
        """The item of one entry, found through the LSI (strongly consistent)."""
        response = self._client.query(
            TableName=self._table,
            IndexName=ENTRY_ID_INDEX,
            KeyConditionExpression="userId = :user AND entryId = :entry",
            ExpressionAttributeValues={
                ":user": codec.value(user_id),
                ":entry": codec.value(entry_id),
            },
            ConsistentRead=True,
            ReturnConsumedCapacity="TOTAL",
        )
        items = response["Items"]
        return items[0] if items else None

    def _put_guard(self, entry: Entry) -> TransactWriteItemTypeDef:
        return writes.put_guard(self._table, entry.user_id, entry.entry_id)

    def _delete_guard(self, entry: Entry) -> TransactWriteItemTypeDef:
        return writes.delete_guard(self._table, entry.user_id, entry.entry_id)

    def _totals(self, entry: Entry, deltas: rollups.Deltas) -> list[TransactWriteItemTypeDef]:
        return rollups.update_actions(self._rollups, entry.user_id, deltas)

    def _undo(
        self, entries: Sequence[Entry], items: Sequence[Item], written: Sequence[Sequence[int]]
    ) -> None:
        """Delete the chunks an import wrote (with their guards) and subtract their totals."""
        for chunk in written:
            deltas = rollups.Deltas(removed=_parts(entries, chunk))
            deletes = [writes.delete(self._table, items[i], check=False) for i in chunk]
            deletes += [self._delete_guard(entries[i]) for i in chunk]
            codes = transact_write(self._client, [*deletes, *self._totals(entries[0], deltas)])
            if codes is not None:
                raise DynamoStoreError(f"the import failed and undoing it failed too: {codes}")


def _parts(entries: Sequence[Entry], chunk: Sequence[int]) -> list[rollups.Contribution]:
    return [part for i in chunk for part in rollups.contribution(entries[i])]


def _list_request(
    table: str, user_id: str, low: str, high: str, category: str | None
) -> QueryInputTypeDef:
    values: dict[str, Any] = {
        ":user": codec.value(user_id),
        ":low": codec.value(low),
        ":high": codec.value(high),
    }
    request: QueryInputTypeDef = {
        "TableName": table,
        "KeyConditionExpression": "userId = :user AND #ts BETWEEN :low AND :high",
        "ExpressionAttributeNames": _TS,
        "ScanIndexForward": False,
        "ConsistentRead": True,
        "ReturnConsumedCapacity": "TOTAL",
    }
    if category is not None:
        request["FilterExpression"] = "category = :category"
        values[":category"] = codec.value(category)
    request["ExpressionAttributeValues"] = values
    return request


def _check_limit(limit: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}", field="limit")


def _position(cursor: str) -> str:
    """The sort key a cursor points after; `InvalidInput` unless it is one we wrote."""
    position = decode_cursor(cursor, backend=BACKEND)
    if position.keys() != {"k"}:
        raise _invalid()
    time_text, _, entry_id = position["k"].partition("#")
    if not entry_id:
        raise _invalid()
    try:
        parsed = codec.parse_time(time_text)
    except ValueError:
        raise _invalid() from None
    if parsed.utcoffset() is None or codec.iso_time(parsed) != time_text:
        raise _invalid()
    return position["k"]


def _invalid() -> InvalidInput:
    return InvalidInput("invalid cursor", field="cursor")
