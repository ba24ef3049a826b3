"""Batch reads and writes that retry what DynamoDB leaves unprocessed.

BatchWriteItem takes at most 25 requests and BatchGetItem 100 keys; under load either
may hand some back (`UnprocessedItems` / `UnprocessedKeys`). Those are retried with
capped exponential backoff and full jitter, for a bounded number of attempts, then
`UnprocessedItemsError`. A batch is not atomic: callers document what that means.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from botocore.exceptions import ClientError

from carbontrack.store.dynamodb.errors import (
    CONDITION_FAILED,
    UnprocessedItemsError,
    cancellation_codes,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        AttributeValueTypeDef,
        KeysAndAttributesTypeDef,
        TransactWriteItemTypeDef,
        WriteRequestTypeDef,
    )

    Item = dict[str, AttributeValueTypeDef]

T = TypeVar("T")

MAX_WRITE_BATCH = 25
MAX_GET_BATCH = 100
MAX_ATTEMPTS = 8
MAX_TRANSACTION = 100  # actions in one TransactWriteItems
TRANSACTION_ATTEMPTS = 3
_CONFLICT = "TransactionConflict"  # another transaction held one of the items
BASE_DELAY_S = 0.05
MAX_DELAY_S = 2.0


def batch_write(
    client: DynamoDBClient,
    table: str,
    requests: Sequence[WriteRequestTypeDef],
    *,
    max_attempts: int = MAX_ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Apply put/delete requests in batches of 25, retrying unprocessed ones.

    Requests in one call must not name the same key twice (DynamoDB refuses that).
    """
    for chunk in chunks(requests, MAX_WRITE_BATCH):
        pending: Sequence[WriteRequestTypeDef] = chunk
        for attempt in range(max_attempts):
            if attempt:
                sleep(backoff_s(attempt))
            response = client.batch_write_item(
                RequestItems={table: pending}, ReturnConsumedCapacity="TOTAL"
            )
            # The stubs type the returned requests as output shapes; they are valid input.
            pending = response.get("UnprocessedItems", {}).get(table, [])  # type: ignore[assignment]
            if not pending:
                break
        else:
            raise UnprocessedItemsError(
                f"{len(pending)} write(s) to {table} still unprocessed after "
                f"{max_attempts} attempts"
            )


def batch_get(
    client: DynamoDBClient,
    table: str,
    keys: Sequence[Item],
    *,
    projection: str | None = None,
    names: dict[str, str] | None = None,
    max_attempts: int = MAX_ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Item]:
    """Read items by key, 100 per call, strongly consistent; missing keys are skipped."""
    found: list[Item] = []
    for chunk in chunks(keys, MAX_GET_BATCH):
        request: KeysAndAttributesTypeDef = {"Keys": chunk, "ConsistentRead": True}
        if projection is not None:
            request["ProjectionExpression"] = projection
        if names:
            request["ExpressionAttributeNames"] = names
        for attempt in range(max_attempts):
            if attempt:
                sleep(backoff_s(attempt))
            response = client.batch_get_item(
                RequestItems={table: request}, ReturnConsumedCapacity="TOTAL"
            )
            found += response.get("Responses", {}).get(table, [])
            unprocessed = response.get("UnprocessedKeys", {}).get(table)
            if not unprocessed or not unprocessed.get("Keys"):
                break
            request = {**request, "Keys": unprocessed["Keys"]}
        else:
            raise UnprocessedItemsError(
                f"{len(request['Keys'])} read(s) from {table} still unprocessed after "
                f"{max_attempts} attempts"
            )
    return found


def transact_write(
    client: DynamoDBClient,
    actions: Sequence[TransactWriteItemTypeDef],
    *,
    max_attempts: int = TRANSACTION_ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> list[str] | None:
    """Run one transaction: None if it committed, else its per-action cancellation codes.

    A cancellation caused only by a concurrent transaction on the same items is retried
    (the retry then sees the other transaction's outcome in its conditions).
    """
    codes: list[str] | None = None
    for attempt in range(max_attempts):
        if attempt:
            sleep(backoff_s(attempt))
        try:
            client.transact_write_items(TransactItems=actions, ReturnConsumedCapacity="TOTAL")
            return None
        except ClientError as exc:
            codes = cancellation_codes(exc)
            if codes is None:
                raise
            if CONDITION_FAILED in codes or _CONFLICT not in codes:
                return codes
    return codes


def backoff_s(attempt: int) -> float:
    """Full-jitter delay before retry number `attempt` (1-based): 0..min(cap, base*2^n)."""
    return random.uniform(0, min(MAX_DELAY_S, BASE_DELAY_S * 2**attempt))  # noqa: S311


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
