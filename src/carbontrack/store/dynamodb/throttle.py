"""Attempt windows in DynamoDB: items `userId = "LOGIN#<key>"` in the users table.

Each item holds `failures` (N: the attempts counted), `windowEnd` (the fixed-width UTC text
of `iso_time`) and `ttl` (epoch seconds: the window's end plus a margin), so DynamoDB's TTL
sweeps windows nobody reads again. Reads never rely on TTL having run: they compare
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
    def attempts(self, key: str, *, now: datetime) -> tuple[int, datetime | None]:
        """Attempts in the current window and when it ends (one GetItem)."""
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
    def record_attempt(self, key: str, *, now: datetime, window_s: int) -> tuple[int, datetime]:
        """Count one attempt; the count in the current window and when that window ends.

        One UpdateItem when there is no item or its window is open (`ADD failures :one`,
        `windowEnd` set only if absent, on condition that no window has ended). An ended
        window that TTL has not swept yet fails that condition, and a conditional PutItem
        starts a new one at 1; if another request started it first, the update runs again.
        Each call is atomic, so concurrent attempts each get their own count.
        """
        if window_s <= 0:
            raise InvalidInput("window_s must be positive", field="window_s")
        now_text = codec.iso_time(now, field="now")
        end = now + timedelta(seconds=window_s)
        for _ in range(_ATTEMPTS):
            counted = self._count_in_window(key, now_text, end)
            if counted is not None:
                return counted
            if self._start_window(key, now_text, end):
                return 1, codec.parse_time(codec.iso_time(end, field="now"))
        raise DynamoStoreError("the attempt window kept changing while counting an attempt")

    @translated
    def withdraw_attempt(self, key: str, *, window_end: datetime) -> None:
        """Take back one attempt of the window ending at `window_end` (one UpdateItem)."""
        try:
            self._client.update_item(
                TableName=self._table,
                Key=_key(key),
                UpdateExpression="ADD failures :minus_one",
                ConditionExpression="windowEnd = :end AND failures > :zero",
                ExpressionAttributeValues={
                    ":minus_one": codec.value(-1),
                    ":zero": codec.value(0),
                    ":end": codec.value(codec.iso_time(window_end, field="window_end")),
                },
                ReturnConsumedCapacity="TOTAL",
            )
        except ClientError as exc:
            if not is_condition_failed(exc):
                raise

    @translated
    def reset(self, key: str) -> None:
        """Forget every attempt recorded for `key` (one DeleteItem)."""
        self._client.delete_item(
            TableName=self._table, Key=_key(key), ReturnConsumedCapacity="TOTAL"
        )

    def _count_in_window(
        self, key: str, now_text: str, end: datetime
    ) -> tuple[int, datetime] | None:
        """Count one in an open or new window: the count and the window's end; None if ended."""
        try:
            response = self._client.update_item(
                TableName=self._table,
                Key=_key(key),
                UpdateExpression=(
                    "SET windowEnd = if_not_exists(windowEnd, :end), "
                    "#ttl = if_not_exists(#ttl, :ttl) ADD failures :one"
                ),
                ConditionExpression="attribute_not_exists(windowEnd) OR windowEnd > :now",
                ExpressionAttributeNames={"#ttl": "ttl"},
                ExpressionAttributeValues={
                    ":one": codec.value(1),
                    ":now": codec.value(now_text),
                    ":end": codec.value(codec.iso_time(end, field="now")),
                    ":ttl": codec.value(_ttl(end)),
                },
                ReturnValues="ALL_NEW",
                ReturnConsumedCapacity="TOTAL",
            )
        except ClientError as exc:
            if is_condition_failed(exc):
                return None
            raise
        window = codec.from_item(response["Attributes"])
        return int(window["failures"]), codec.parse_time(window["windowEnd"])

    def _start_window(self, key: str, now_text: str, end: datetime) -> bool:
        """Replace an ended window with one at one attempt, unless another request just did."""
        item = codec.to_item(
            {
                "userId": codec.LOGIN_PREFIX + key,
                "failures": 1,
                "windowEnd": codec.iso_time(end, field="now"),
                "ttl": _ttl(end),
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


def _ttl(end: datetime) -> int:
    return math.ceil(end.timestamp()) + TTL_MARGIN_S


def _key(key: str) -> Item:
    return {"userId": codec.value(codec.LOGIN_PREFIX + key)}
