"""Goals in DynamoDB: table `goals`, key `userId` + `goalId` (see `tables.GOALS`).

`userId` holds the owner: a user id, or "TEAM#<teamId>" for a team's goals. An owner's
goals are one partition, so listing them is one Query (in goal-id order) and every other
method is one single-item call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from carbontrack.domain.errors import AlreadyExists, Conflict, NotFound
from carbontrack.domain.models import Goal
from carbontrack.store.dynamodb import codec, updates
from carbontrack.store.dynamodb.batch import batch_write
from carbontrack.store.dynamodb.errors import is_condition_failed, translated

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        AttributeValueTypeDef,
        QueryInputTypeDef,
        WriteRequestTypeDef,
    )

    from carbontrack.store.dynamodb.codec import Item

_NEW = "attribute_not_exists(userId)"
_EXISTS = "attribute_exists(userId)"


class DynamoGoals:
    """`GoalRepository` over the goals table."""

    def __init__(self, client: DynamoDBClient, *, table: str) -> None:
        self._client = client
        self._table = table

    @translated
    def add(self, goal: Goal) -> None:
        """Insert a goal (one conditional PutItem); `AlreadyExists` if its key is taken.

        A PutItem has no idempotency token: when its answer is lost (a reply slower than the
        client's `read_timeout`) botocore sends it again, and the repeat fails its own
        condition. So a failed condition with exactly this goal stored, creation time
        included, is this very write.
        """
        if not self._put(goal, _NEW) and self.get(goal.owner_id, goal.goal_id) != goal:
            raise AlreadyExists("goal already exists", field="goal_id")

    @translated
    def get(self, owner_id: str, goal_id: str) -> Goal | None:
        """The owner's goal with this id, or None (one consistent GetItem)."""
        response = self._client.get_item(
            TableName=self._table,
            Key=_key(owner_id, goal_id),
            ConsistentRead=True,
            ReturnConsumedCapacity="TOTAL",
        )
        item = response.get("Item")
        return None if item is None else _goal(item)

    @translated
    def list_for_owner(self, owner_id: str) -> list[Goal]:
        """Every goal of one owner in goal-id order: one consistent Query (and its pages)."""
        request: QueryInputTypeDef = {
            "TableName": self._table,
            "KeyConditionExpression": "userId = :owner",
            "ExpressionAttributeValues": {":owner": codec.value(owner_id)},
            "ConsistentRead": True,
            "ReturnConsumedCapacity": "TOTAL",
        }
        goals: list[Goal] = []
        while True:
            page = self._client.query(**request)
            goals += (_goal(item) for item in page["Items"])
            if "LastEvaluatedKey" not in page:
                return goals
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    @translated
    def update(self, read: Goal, changed: Goal) -> Goal:
        """One UpdateItem of the changed attributes, if the goal is still at `read.version`.

        `Conflict` if it changed since it was read, `NotFound` if it is gone (a GetItem
        after a failed condition tells which).
        """
        new = replace(changed, version=read.version + 1)
        key = _key(read.owner_id, read.goal_id)
        change = updates.changed(_item(read), _item(new), fixed=("userId", "goalId"))
        condition = updates.at_version("userId", read.version)
        try:
            self._client.update_item(
                **updates.update(self._table, key, change, condition),
                ReturnConsumedCapacity="TOTAL",
            )
        except ClientError as exc:
            if not is_condition_failed(exc):
                raise
            if self.get(read.owner_id, read.goal_id) is None:
                raise NotFound("goal not found", field="goal_id") from None
            raise Conflict(
                "the goal was changed by another request meanwhile", field="goal_id"
            ) from None
        return new

    @translated
    def delete(self, owner_id: str, goal_id: str) -> None:
        """Remove one goal (one conditional DeleteItem); `NotFound` if absent."""
        try:
            self._client.delete_item(
                TableName=self._table,
                Key=_key(owner_id, goal_id),
                ConditionExpression=_EXISTS,
                ReturnConsumedCapacity="TOTAL",
            )
        except ClientError as exc:
            if is_condition_failed(exc):
                raise NotFound("goal not found", field="goal_id") from None
            raise

    @translated
    def put_many(self, goals: Sequence[Goal]) -> None:
        """Write goals as given, replacing same keys (BatchWriteItem; restore)."""
        puts: list[WriteRequestTypeDef] = [{"PutRequest": {"Item": _item(g)}} for g in goals]
        batch_write(self._client, self._table, puts)

    def _put(self, goal: Goal, condition: str) -> bool:
        """Write the goal if `condition` holds; False if it did not."""
        try:
            self._client.put_item(
                TableName=self._table,
                Item=_item(goal),
                ConditionExpression=condition,
                ReturnConsumedCapacity="TOTAL",
            )
        except ClientError as exc:
            if is_condition_failed(exc):
                return False
            raise
        return True


def purge_goals(client: DynamoDBClient, table: str, owner_id: str) -> None:
    """Delete every goal of one owner: keys-only Query pages, batch deletes."""
    request: QueryInputTypeDef = {
        "TableName": table,
        "KeyConditionExpression": "userId = :owner",
        "ExpressionAttributeValues": {":owner": codec.value(owner_id)},
        "ProjectionExpression": "userId, goalId",
        "ConsistentRead": True,
        "ReturnConsumedCapacity": "TOTAL",
    }
    while True:
        page = client.query(**request)
        deletes: list[WriteRequestTypeDef] = [
            {"DeleteRequest": {"Key": key}} for key in page["Items"]
        ]
        batch_write(client, table, deletes)
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _key(owner_id: str, goal_id: str) -> Item:
    return {"userId": codec.value(owner_id), "goalId": codec.value(goal_id)}


def _item(goal: Goal) -> Item:
    achieved_at = goal.achieved_at
    return codec.to_item(
        {
            "userId": goal.owner_id,
            "goalId": goal.goal_id,
            "kind": goal.kind,
            "period": goal.period,
            "startDate": goal.start_date.isoformat(),
            "createdAt": codec.iso_time(goal.created_at, field="created_at"),
            "category": goal.category,
            "targetReductionPercent": goal.target_reduction_percent,
            "targetCo2eKg": goal.target_co2e_kg,
            "baselineCo2eKg": goal.baseline_co2e_kg,
            "teamScope": goal.team_scope,
            "achievedAt": None
            if achieved_at is None
            else codec.iso_time(achieved_at, field="achieved_at"),
            "version": goal.version,
        }
    )


def _goal(item: Mapping[str, AttributeValueTypeDef]) -> Goal:
    v = codec.from_item(item)
    return Goal(
        owner_id=v["userId"],
        goal_id=v["goalId"],
        kind=v["kind"],
        period=v["period"],
        start_date=date.fromisoformat(v["startDate"]),
        created_at=codec.parse_time(v["createdAt"]),
        category=v.get("category"),
        target_reduction_percent=_float(v.get("targetReductionPercent")),
        target_co2e_kg=_float(v.get("targetCo2eKg")),
        baseline_co2e_kg=_float(v.get("baselineCo2eKg")),
        team_scope=v.get("teamScope"),
        achieved_at=None if "achievedAt" not in v else codec.parse_time(v["achievedAt"]),
        version=int(v.get("version", 0)),  # items from before versions: 0
    )


def _float(number: Decimal | None) -> float | None:
    return None if number is None else float(number)
