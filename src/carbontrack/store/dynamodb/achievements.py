"""Awards and action commitments in DynamoDB: tables `achievements` and `actions`.

achievements - key: `userId` + `achievementId`; attribute `earnedAt`. An award is one
PutItem with `attribute_not_exists(achievementId)`, so DynamoDB itself makes it happen at
most once, whatever the number of concurrent writers.
actions - key: `userId` + `actionId`; attributes `committedAt`, `completedAt`?.
A user's items are one partition: listing them is one Query (paged past 1 MB).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from carbontrack.domain.models import ActionCommitment, Award
from carbontrack.store.dynamodb import codec
from carbontrack.store.dynamodb.batch import batch_write
from carbontrack.store.dynamodb.errors import is_condition_failed, translated

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import QueryInputTypeDef, WriteRequestTypeDef

    from carbontrack.store.dynamodb.codec import Item


class DynamoAchievements:
    """`AchievementRepository` over the achievements table."""

    def __init__(self, client: DynamoDBClient, *, table: str) -> None:
        self._client = client
        self._table = table

    @translated
    def award(self, award: Award) -> bool:
        """Record an award (one conditional PutItem); False if the user has it already."""
        item = codec.to_item(
            {
                "userId": award.user_id,
                "achievementId": award.achievement_id,
                "earnedAt": codec.iso_time(award.earned_at, field="earned_at"),
            }
        )
        try:
            self._client.put_item(
                TableName=self._table,
                Item=item,
                ConditionExpression="attribute_not_exists(achievementId)",
                ReturnConsumedCapacity="TOTAL",
            )
        except ClientError as exc:
            if is_condition_failed(exc):
                return False
            raise
        return True

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


class DynamoActions:
    """`ActionRepository` over the actions table."""

    def __init__(self, client: DynamoDBClient, *, table: str) -> None:
        self._client = client
        self._table = table

    @translated
    def put(self, commitment: ActionCommitment) -> None:
        """Create or replace the user's commitment to one action (one PutItem)."""
        completed = commitment.completed_at
        item = codec.to_item(
            {
                "userId": commitment.user_id,
                "actionId": commitment.action_id,
                "committedAt": codec.iso_time(commitment.committed_at, field="committed_at"),
                "completedAt": None
                if completed is None
                else codec.iso_time(completed, field="completed_at"),
            }
        )
        self._client.put_item(TableName=self._table, Item=item, ReturnConsumedCapacity="TOTAL")

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


def _commitment(item: Item) -> ActionCommitment:
    v = codec.from_item(item)
    completed = v.get("completedAt")
    return ActionCommitment(
        user_id=v["userId"],
        action_id=v["actionId"],
        committed_at=codec.parse_time(v["committedAt"]),
        completed_at=None if completed is None else codec.parse_time(completed),
    )
