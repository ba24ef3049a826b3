"""Awards and action commitments in DynamoDB: tables `achievements` and `actions`.

achievements - key: `userId` + `achievementId`; attribute `earnedAt`. An award is one
TransactWriteItems: a Put with `attribute_not_exists(achievementId)`, so DynamoDB itself
makes it happen at most once whatever the number of concurrent writers, and an ADD of the id
to the user's `awarded` set in the rollups table, which `rollups.tally` reads.
actions - key: `userId` + `actionId`; attributes `committedAt`, `completedAt`?.
A user's items are one partition: listing them is one Query (paged past 1 MB).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from carbontrack.domain.models import ActionCommitment, Award
from carbontrack.store.dynamodb import codec, rollups
from carbontrack.store.dynamodb.batch import batch_write, transact_write
from carbontrack.store.dynamodb.errors import CONDITION_FAILED, DynamoStoreError, translated

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        QueryInputTypeDef,
        TransactWriteItemTypeDef,
        WriteRequestTypeDef,
    )

    from carbontrack.store.dynamodb.codec import Item


class DynamoAchievements:
    """`AchievementRepository` over the achievements table."""

    def __init__(self, client: DynamoDBClient, *, table: str, rollups_table: str) -> None:
        self._client = client
        self._table = table
        self._rollups_table = rollups_table

    @translated
    def award(self, award: Award) -> bool:
        """Record an award and its id on the totals (one transaction); False if held already.

        An award held but missing from the `awarded` set (written before the set existed)
        is added to the set then, so the next tally sees it.
        """
        user_id, achievement_id = award.user_id, award.achievement_id
        put: TransactWriteItemTypeDef = {
            "Put": {
                "TableName": self._table,
                "Item": _award_item(award),
                "ConditionExpression": "attribute_not_exists(achievementId)",
            }
        }
        marked = rollups.award_action(self._rollups_table, user_id, achievement_id)
        codes = transact_write(self._client, [put, marked])
        if codes is None:
            return True
        if CONDITION_FAILED in codes:
            update = rollups.award_update(self._rollups_table, user_id, achievement_id)
            self._client.update_item(**update, ReturnConsumedCapacity="TOTAL")
            return False
        raise DynamoStoreError(f"the award was cancelled: {codes}")

    @translated
    def list_for_user(self, user_id: str) -> list[Award]:
        """The user's awards, by achievement id (one Query)."""
        return [
            Award(
                user_id=v["userId"],
                achievement_id=v["achievementId"],
                earned_at=codec.parse_time(v["earnedAt"]),
            )
            for v in map(codec.from_item, _partition(self._client, self._table, user_id))
        ]

    @translated
    def put_many(self, awards: Sequence[Award]) -> None:
        """Write awards as given (BatchWriteItem); `rollups.rebuild` then updates the sets."""
        puts: list[WriteRequestTypeDef] = [
            {"PutRequest": {"Item": _award_item(award)}} for award in awards
        ]
        batch_write(self._client, self._table, puts)


class DynamoActions:
    """`ActionRepository` over the actions table."""

    def __init__(self, client: DynamoDBClient, *, table: str) -> None:
        self._client = client
        self._table = table

    @translated
    def put(self, commitment: ActionCommitment) -> None:
        """Create or replace the user's commitment to one action (one PutItem)."""
        self._client.put_item(
            TableName=self._table, Item=_action_item(commitment), ReturnConsumedCapacity="TOTAL"
        )

    @translated
    def put_many(self, commitments: Sequence[ActionCommitment]) -> None:
        """Create or replace commitments (BatchWriteItem)."""
        puts: list[WriteRequestTypeDef] = [
            {"PutRequest": {"Item": _action_item(c)}} for c in commitments
        ]
        batch_write(self._client, self._table, puts)

    @translated
    def get(self, user_id: str, action_id: str) -> ActionCommitment | None:
        """The user's commitment to one action, or None (one GetItem)."""
        response = self._client.get_item(
            TableName=self._table,
            Key={"userId": codec.value(user_id), "actionId": codec.value(action_id)},
            ConsistentRead=True,
            ReturnConsumedCapacity="TOTAL",
        )
        item = response.get("Item")
        return None if item is None else _commitment(item)

    @translated
    def list_for_user(self, user_id: str) -> list[ActionCommitment]:
        """The user's commitments, by action id (one Query)."""
        return [_commitment(item) for item in _partition(self._client, self._table, user_id)]


def purge(
    client: DynamoDBClient, user_id: str, *, achievements_table: str, actions_table: str
) -> None:
    """Delete one user's awards and commitments (account deletion): keys-only Queries, batches."""
    for table, sort_key in ((achievements_table, "achievementId"), (actions_table, "actionId")):
        keys = _partition(client, table, user_id, keys_only=sort_key)
        deletes: list[WriteRequestTypeDef] = [{"DeleteRequest": {"Key": key}} for key in keys]
        batch_write(client, table, deletes)


def _partition(
    client: DynamoDBClient, table: str, user_id: str, *, keys_only: str | None = None
) -> Iterator[Item]:
    """Every item (or only the key, given the sort key's name) of one user: Query pages."""
    request: QueryInputTypeDef = {
        "TableName": table,
        "KeyConditionExpression": "userId = :user",
        "ExpressionAttributeValues": {":user": codec.value(user_id)},
        "ConsistentRead": True,
        "ReturnConsumedCapacity": "TOTAL",
    }
    if keys_only is not None:
        request["ProjectionExpression"] = f"userId, {keys_only}"
    while True:
        page = client.query(**request)
        yield from page["Items"]
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _award_item(award: Award) -> Item:
    return codec.to_item(
        {
            "userId": award.user_id,
            "achievementId": award.achievement_id,
            "earnedAt": codec.iso_time(award.earned_at, field="earned_at"),
        }
    )


def _action_item(commitment: ActionCommitment) -> Item:
    completed = commitment.completed_at
    return codec.to_item(
        {
            "userId": commitment.user_id,
            "actionId": commitment.action_id,
            "committedAt": codec.iso_time(commitment.committed_at, field="committed_at"),
            "completedAt": None
            if completed is None
            else codec.iso_time(completed, field="completed_at"),
        }
    )


def _commitment(item: Item) -> ActionCommitment:
    v = codec.from_item(item)
    completed = v.get("completedAt")
    return ActionCommitment(
        user_id=v["userId"],
        action_id=v["actionId"],
        committed_at=codec.parse_time(v["committedAt"]),
        completed_at=None if completed is None else codec.parse_time(completed),
    )
