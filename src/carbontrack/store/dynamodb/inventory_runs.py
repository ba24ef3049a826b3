"""The latest inventory refresh in DynamoDB: one item of `aws-inventory-metadata`.

Key: `service` = "#refresh" (no collector service starts with "#", so no listing of the
services' scopes reads it), `sk` = "latest". Attributes: `runId`, `runService` (absent: every
service), `startedAt` and `finishedAt` (fixed-width ISO 8601 UTC, so string order is time
order), `done`, `total`, `state` and `failed`. Every write is one conditional call: `start` a
PutItem that holds unless another run is running and started at or after the stale bound (or
exactly this run is already stored: a repeat whose first answer was lost),
`progress` and `finish` UpdateItems that hold only for the latest run's id.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from carbontrack.ops.model import RefreshRun, RunState
from carbontrack.store.dynamodb import codec
from carbontrack.store.dynamodb.errors import is_condition_failed, translated

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import UpdateItemInputTypeDef

    from carbontrack.store.dynamodb.codec import Item

PARTITION = "#refresh"
SORT_KEY = "latest"
_FREE = "attribute_not_exists(service) OR #state <> :running OR startedAt < :stale"


class DynamoInventoryRuns:
    """`InventoryRuns` over one item of the inventory metadata table."""

    def __init__(self, client: DynamoDBClient, *, metadata_table: str) -> None:
        self._client = client
        self._table = metadata_table

    @translated
    def start(self, run: RefreshRun, *, stale_before: datetime) -> bool:
        """One PutItem, conditional on no fresh running run; False when the condition fails.

        A PutItem has no idempotency token: when its answer is lost botocore sends it again,
        and the repeat fails its own condition against the run it stored. So a failed
        condition with exactly this run as the latest, its start to the microsecond, is this
        claim's success. The id alone would not do: a scheduled run's id is its event's, and a
        second delivery of that event must still find the first one going.
        """
        try:
            self._client.put_item(
                TableName=self._table,
                Item=_item(run),
                ConditionExpression=_FREE,
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={
                    ":running": codec.value("running"),
                    ":stale": codec.value(codec.iso_time(stale_before, field="stale_before")),
                },
                ReturnConsumedCapacity="TOTAL",
            )
        except ClientError as exc:
            if is_condition_failed(exc):
                return self.latest() == run
            raise
        return True

    def progress(self, run_id: str, *, done: int, total: int) -> None:
        """One UpdateItem of the counts, conditional on the run id."""
        self._update(run_id, {"done": done, "total": total})

    def finish(self, run_id: str, *, state: RunState, failed: int, finished_at: datetime) -> None:
        """One UpdateItem of the outcome, conditional on the run id."""
        finished = codec.iso_time(finished_at, field="finished_at")
        self._update(run_id, {"state": state, "failed": failed, "finishedAt": finished})

    @translated
    def latest(self) -> RefreshRun | None:
        """One consistent GetItem."""
        found = self._client.get_item(
            TableName=self._table, Key=_key(), ConsistentRead=True, ReturnConsumedCapacity="TOTAL"
        )
        return _run(found["Item"]) if "Item" in found else None

    @translated
    def _update(self, run_id: str, values: dict[str, object]) -> None:
        # Every attribute by placeholder: several (state, total) are DynamoDB reserved words.
        request: UpdateItemInputTypeDef = {
            "TableName": self._table,
            "Key": _key(),
            "UpdateExpression": "SET " + ", ".join(f"#{n} = :{n}" for n in values),
            "ConditionExpression": "runId = :run",
            "ExpressionAttributeNames": {f"#{name}": name for name in values},
            "ExpressionAttributeValues": {
                ":run": codec.value(run_id),
                **{f":{name}": codec.value(value) for name, value in values.items()},
            },
            "ReturnConsumedCapacity": "TOTAL",
        }
        try:
            self._client.update_item(**request)
        except ClientError as exc:
            if not is_condition_failed(exc):  # failed: a newer run replaced this one
                raise


def _key() -> Item:
    return {"service": codec.value(PARTITION), "sk": codec.value(SORT_KEY)}


def _item(run: RefreshRun) -> Item:
    finished = None if run.finished_at is None else codec.iso_time(run.finished_at)
    return codec.to_item(
        {
            "service": PARTITION,
            "sk": SORT_KEY,
            "runId": run.run_id,
            "runService": run.service,
            "startedAt": codec.iso_time(run.started_at, field="started_at"),
            "finishedAt": finished,
            "done": run.done,
            "total": run.total,
            "state": run.state,
            "failed": run.failed,
        }
    )


def _run(item: Item) -> RefreshRun:
    v = codec.from_item(item)
    return RefreshRun(
        run_id=v["runId"],
        service=v.get("runService"),
        started_at=codec.parse_time(v["startedAt"]),
        finished_at=codec.parse_time(v["finishedAt"]) if "finishedAt" in v else None,
        done=int(v["done"]),
        total=int(v["total"]),
        state=v["state"],
        failed=int(v["failed"]),
    )
