"""Baselines in DynamoDB: table `baselines`, partition key `userId` (see `tables.BASELINES`).

One item per user: `questionnaireVersion` (N), `answers`, `lines`, `notes` (JSON text, see
store/baseline_codec.py), `createdAt`, `updatedAt`, `version` (N). A table of its own rather
than attributes on the user item, so a baseline write never races a profile update and the
users table's items stay small. A put is one transaction: a condition check that the user
exists and the put conditional on the version read; `users.delete` purges the item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from carbontrack.domain.baseline_model import Baseline
from carbontrack.domain.errors import AlreadyExists, Conflict, NotFound
from carbontrack.store.baseline_codec import (
    answers_json,
    lines_from_json,
    lines_json,
    notes_json,
    strings_from_json,
)
from carbontrack.store.dynamodb import codec
from carbontrack.store.dynamodb.batch import batch_write, transact_write
from carbontrack.store.dynamodb.errors import CONDITION_FAILED, DynamoStoreError, translated

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        AttributeValueTypeDef,
        TransactWriteItemTypeDef,
        WriteRequestTypeDef,
    )

    from carbontrack.store.dynamodb.codec import Item


class DynamoBaselines:
    """`BaselineRepository` over the baselines table."""

    def __init__(self, client: DynamoDBClient, *, table: str, users_table: str) -> None:
        self._client = client
        self._table = table
        self._users_table = users_table

    @translated
    def get(self, user_id: str) -> Baseline | None:
        """The user's baseline, or None (one strongly consistent GetItem)."""
        response = self._client.get_item(
            TableName=self._table,
            Key={"userId": codec.value(user_id)},
            ConsistentRead=True,
            ReturnConsumedCapacity="TOTAL",
        )
        item = response.get("Item")
        return None if item is None else _from_item(item)

    @translated
    def put(self, baseline: Baseline, *, expected_version: int | None) -> Baseline:
        """Write the baseline if the stored one has `expected_version` (None: no baseline)."""
        if codec.is_reserved(baseline.user_id):
            raise NotFound("user not found", field="user_id")
        stored = replace(baseline, version=(expected_version or 0) + 1)
        codes = transact_write(self._client, self._actions(stored, expected_version))
        if codes is None:
            return stored
        if codes[0] == CONDITION_FAILED:
            raise NotFound("user not found", field="user_id")
        if codes[1] != CONDITION_FAILED:
            raise DynamoStoreError(f"the baseline write was cancelled: {codes}")
        if expected_version is None:
            raise AlreadyExists("the user already has a baseline")
        raise Conflict("the baseline changed since it was read; reload and retry")

    def _actions(
        self, stored: Baseline, expected_version: int | None
    ) -> list[TransactWriteItemTypeDef]:
        """The user check and the conditional put, in that order."""
        user = codec.value(stored.user_id)
        check: TransactWriteItemTypeDef = {
            "ConditionCheck": {
                "TableName": self._users_table,
                "Key": {"userId": user},
                "ConditionExpression": "attribute_exists(userId)",
            }
        }
        put: TransactWriteItemTypeDef = {
            "Put": {"TableName": self._table, "Item": _to_item(stored)}
        }
        if expected_version is None:
            put["Put"]["ConditionExpression"] = "attribute_not_exists(userId)"
        else:
            put["Put"]["ConditionExpression"] = "version = :expected"
            put["Put"]["ExpressionAttributeValues"] = {":expected": codec.value(expected_version)}
        return [check, put]

    @translated
    def put_many(self, baselines: Sequence[Baseline]) -> None:
        """Write baselines as given (a restore): batched puts, no conditions."""
        requests: list[WriteRequestTypeDef] = [
            {"PutRequest": {"Item": _to_item(b)}} for b in baselines
        ]
        batch_write(self._client, self._table, requests)


def purge_baseline(client: DynamoDBClient, table: str, user_id: str) -> None:
    """Delete the user's baseline, if any (one DeleteItem; deleting nothing is fine)."""
    client.delete_item(
        TableName=table, Key={"userId": codec.value(user_id)}, ReturnConsumedCapacity="TOTAL"
    )


def _to_item(baseline: Baseline) -> Item:
    return codec.to_item(
        {
            "userId": baseline.user_id,
            "questionnaireVersion": baseline.questionnaire_version,
            "answers": answers_json(dict(baseline.answers)),
            "lines": lines_json(baseline.lines),
            "notes": notes_json(baseline.notes),
            "createdAt": codec.iso_time(baseline.created_at),
            "updatedAt": codec.iso_time(baseline.updated_at),
            "version": baseline.version,
        }
    )


def _from_item(item: Mapping[str, AttributeValueTypeDef]) -> Baseline:
    values = codec.from_item(item)
    return Baseline(
        user_id=str(values["userId"]),
        questionnaire_version=int(values["questionnaireVersion"]),
        answers=dict(strings_from_json(str(values["answers"]))),
        lines=lines_from_json(str(values["lines"])),
        notes=tuple(strings_from_json(str(values["notes"]))),
        created_at=codec.parse_time(str(values["createdAt"])),
        updated_at=codec.parse_time(str(values["updatedAt"])),
        version=int(values["version"]),
    )
