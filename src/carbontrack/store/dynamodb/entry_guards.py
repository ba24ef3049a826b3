"""Id guards for entries stored before guards existed: a one-off backfill, safe to repeat.

Every entry write puts or deletes its id's guard (`codec.entry_guard`) in the entry's own
transaction. Entries written before that have none, so until this has run once their ids
could be taken again at another time (`carbontrack db guard-entry-ids`, docs/storage.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from carbontrack.store.dynamodb import codec
from carbontrack.store.dynamodb.batch import MAX_TRANSACTION, chunks, transact_write
from carbontrack.store.dynamodb.errors import CONDITION_FAILED, DynamoStoreError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import QueryInputTypeDef, TransactWriteItemTypeDef

_PER_TRANSACTION = MAX_TRANSACTION // 2  # a ConditionCheck and a Put per entry


@dataclass(frozen=True, slots=True)
class GuardReport:
    """What a backfill did: entries read, and ids that more than one entry of a user holds."""

    entries: int
    duplicates: tuple[tuple[str, str], ...]  # (user id, entry id), for the operator to fix


def guard_existing(client: DynamoDBClient, *, table: str, user_ids: Iterable[str]) -> GuardReport:
    """Put the id guard of every entry of these users (an existing guard is rewritten as is)."""
    read = 0
    duplicates: list[tuple[str, str]] = []
    for user_id in user_ids:
        keys: dict[str, str] = {}  # entry id -> the sort key of its first entry
        for sort_key, entry_id in _entry_keys(client, table, user_id):
            read += 1
            if entry_id in keys:
                duplicates.append((user_id, entry_id))
            keys.setdefault(entry_id, sort_key)
        for chunk in chunks(list(keys.items()), _PER_TRANSACTION):
            _guard(client, table, user_id, chunk)
    return GuardReport(entries=read, duplicates=tuple(dict.fromkeys(duplicates)))


def _guard(
    client: DynamoDBClient, table: str, user_id: str, pairs: Sequence[tuple[str, str]]
) -> None:
    """Guard each (entry id, sort key) whose entry still exists: one transaction per try.

    The ConditionCheck keeps a guard from outliving an entry deleted meanwhile; each retry
    drops the entries found gone, so the loop ends.
    """
    pending = list(pairs)
    while pending:
        actions: list[TransactWriteItemTypeDef] = []
        for entry_id, sort_key in pending:
            actions.append(_entry_exists(table, user_id, sort_key))
            actions.append(
                {"Put": {"TableName": table, "Item": codec.entry_guard(user_id, entry_id)}}
            )
        codes = transact_write(client, actions)
        if codes is None:
            return
        gone = {i for i in range(len(pending)) if codes[2 * i] == CONDITION_FAILED}
        if not gone:
            raise DynamoStoreError(f"guarding entry ids was cancelled: {codes}")
        pending = [pair for i, pair in enumerate(pending) if i not in gone]


def _entry_exists(table: str, user_id: str, sort_key: str) -> TransactWriteItemTypeDef:
    return {
        "ConditionCheck": {
            "TableName": table,
            "Key": codec.entry_key(user_id, sort_key),
            "ConditionExpression": "attribute_exists(userId)",
        }
    }


def _entry_keys(client: DynamoDBClient, table: str, user_id: str) -> Iterator[tuple[str, str]]:
    """(sort key, entry id) of each entry of a user: keys-only Query pages, guards left out."""
    request: QueryInputTypeDef = {
        "TableName": table,
        "KeyConditionExpression": "userId = :user AND #ts BETWEEN :first AND :last",
        "ExpressionAttributeValues": {
            ":user": codec.value(user_id),
            ":first": codec.value(codec.FIRST_ENTRY_KEY),
            ":last": codec.value(codec.LAST_ENTRY_KEY),
        },
        "ProjectionExpression": "#ts, entryId",
        "ExpressionAttributeNames": {"#ts": "timestamp"},
        "ConsistentRead": True,
        "ReturnConsumedCapacity": "TOTAL",
    }
    while True:
        page = client.query(**request)
        for item in page["Items"]:
            yield str(item["timestamp"]["S"]), str(item["entryId"]["S"])
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]
