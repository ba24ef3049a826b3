"""Failed-login windows in DynamoDB: items `userId = "LOGIN#<key>"` in the users table.

Each item holds `failures` (N), `windowEnd` (the fixed-width UTC text of `iso_time`)
and `ttl` (epoch seconds: the window's end plus a margin), so DynamoDB's TTL sweeps
windows nobody reads again. Reads never rely on TTL having run: they compare
`windowEnd` with the caller's `now`.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from carbontrack.domain.errors import InvalidInput
from carbontrack.store.dynamodb import codec
from carbontrack.store.dynamodb.errors import DynamoStoreError, is_condition_failed, translated

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from carbontrack.store.dynamodb.codec import Item

TTL_MARGIN_S = 3600  # TTL deletes lazily anyway; the margin only keeps it off live windows
_ATTEMPTS = 3


class DynamoLoginThrottle:
    """`LoginThrottle` over LOGIN# items of the users table."""

    def __init__(self, client: DynamoDBClient, *, table: str) -> None:
        self._client = client
        self._table = table

    @translated
    def failures(self, key: str, *, now: datetime) -> tuple[int, datetime | None]:
        """Failures in the current window and when it ends (one GetItem)."""
        response = self._client.get_item(
            TableName=self._table,
            Key=_key(key),
            ConsistentRead=True,
            ReturnConsumedCapacity="TOTAL",
        )
        item = response.get("Item")
        if item is None:
            return 0, None
        window = codec.from_item(item)
        if window["windowEnd"] <= codec.iso_time(now, field="now"):
            return 0, None
        return int(window["failures"]), codec.parse_time(window["windowEnd"])

    @translated
    def record_failure(self, key: str, *, now: datetime, window_s: int) -> int:
        """Count one failure; returns the count in the current window.

        Inside an open window: one UpdateItem (`ADD failures :one` if `windowEnd > :now`).
        Otherwise a conditional PutItem starts a window at 1; if another request started
        one first, the Update is tried again.
        """
        if window_s <= 0:
            raise InvalidInput("window_s must be positive", field="window_s")
        now_text = codec.iso_time(now, field="now")
        end = now + timedelta(seconds=window_s)
        for _ in range(_ATTEMPTS):
            count = self._count_in_window(key, now_text)
            if count is not None:
                return count
            if self._start_window(key, now_text, end):
                return 1
        raise DynamoStoreError("the login window kept changing while counting a failure")

    @translated
    def reset(self, key: str) -> None:
        """Forget every failure recorded for `key` (one DeleteItem)."""
        self._client.delete_item(
            TableName=self._table, Key=_key(key), ReturnConsumedCapacity="TOTAL"
        )

    def _count_in_window(self, key: str, now_text: str) -> int | None:
        """Add one to an open window and return the new count; None if none is open."""
        try:
            response = self._client.update_item(
                TableName=self._table,
                Key=_key(key),
                UpdateExpression="ADD failures :one",
                ConditionExpression="windowEnd > :now",
                ExpressionAttributeValues={":one": codec.value(1), ":now": codec.value(now_text)},
                ReturnValues="UPDATED_NEW",
                ReturnConsumedCapacity="TOTAL",
            )
        except ClientError as exc:
            if is_condition_failed(exc):
                return None
            raise
        return int(codec.from_item(response["Attributes"])["failures"])

    def _start_window(self, key: str, now_text: str, end: datetime) -> bool:
        """Start a window at one failure unless another request has just opened one."""
        item = codec.to_item(
            {
                "userId": codec.LOGIN_PREFIX + key,
                "failures": 1,
                "windowEnd": codec.iso_time(end, field="now"),
                "ttl": math.ceil(end.timestamp()) + TTL_MARGIN_S,
            }
        )
        try:
            self._client.put_item(
                TableName=self._table,
                Item=item,
                ConditionExpression="attribute_not_exists(userId) OR windowEnd <= :now",
                ExpressionAttributeValues={":now": codec.value(now_text)},
                ReturnConsumedCapacity="TOTAL",
            )
        except ClientError as exc:
            if is_condition_failed(exc):
                return False
            raise
        return True


def _key(key: str) -> Item:
    return {"userId": codec.value(codec.LOGIN_PREFIX + key)}
