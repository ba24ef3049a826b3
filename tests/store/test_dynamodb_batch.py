"""Batch retries, which moto never triggers: scripted with botocore's Stubber."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.stub import Stubber

from carbontrack.store.dynamodb import batch
from carbontrack.store.dynamodb.errors import UnprocessedItemsError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

TABLE = "t-entries"


@pytest.fixture
def client() -> DynamoDBClient:
    """A real client that never reaches a network: every response is stubbed."""
    made: DynamoDBClient = boto3.client(
        "dynamodb",
        region_name="eu-central-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return made


@pytest.fixture
def stub(client: DynamoDBClient) -> Iterator[Stubber]:
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


class Sleeps(list[float]):
    """A fake `sleep` that records the delays asked for."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _put(n: int) -> dict[str, Any]:
    return {"PutRequest": {"Item": {"userId": {"S": "u"}, "timestamp": {"S": f"t{n:03d}"}}}}


def _write_call(requests: list[dict[str, Any]]) -> dict[str, Any]:
    return {"RequestItems": {TABLE: requests}, "ReturnConsumedCapacity": "TOTAL"}


def test_unprocessed_items_are_retried_alone(client: DynamoDBClient, stub: Stubber) -> None:
    requests = [_put(n) for n in range(5)]
    left = [requests[1], requests[4]]
    stub.add_response(
        "batch_write_item", {"UnprocessedItems": {TABLE: left}}, _write_call(requests)
    )
    stub.add_response("batch_write_item", {"UnprocessedItems": {}}, _write_call(left))
    sleeps = Sleeps()
    batch.batch_write(client, TABLE, requests, sleep=sleeps)  # type: ignore[arg-type]
    assert len(sleeps) == 1
    assert 0 <= sleeps[0] <= batch.BASE_DELAY_S * 2


def test_gives_up_after_the_last_attempt(client: DynamoDBClient, stub: Stubber) -> None:
    requests = [_put(n) for n in range(3)]
    for sent, left in ((requests, requests[1:]), (requests[1:], requests[2:])):
        stub.add_response(
            "batch_write_item", {"UnprocessedItems": {TABLE: left}}, _write_call(sent)
        )
    stub.add_response(
        "batch_write_item", {"UnprocessedItems": {TABLE: requests[2:]}}, _write_call(requests[2:])
    )
    sleeps = Sleeps()
    with pytest.raises(UnprocessedItemsError, match=r"1 write\(s\) to t-entries .* 3 attempts"):
        batch.batch_write(client, TABLE, requests, max_attempts=3, sleep=sleeps)  # type: ignore[arg-type]
    assert len(sleeps) == 2


def test_writes_go_in_batches_of_25(client: DynamoDBClient, stub: Stubber) -> None:
    requests = [_put(n) for n in range(60)]
    for start, end in ((0, 25), (25, 50), (50, 60)):
        stub.add_response("batch_write_item", {}, _write_call(requests[start:end]))
    batch.batch_write(client, TABLE, requests)  # type: ignore[arg-type]


def test_nothing_to_write_makes_no_call(client: DynamoDBClient, stub: Stubber) -> None:
    batch.batch_write(client, TABLE, [])


def test_unprocessed_keys_are_read_again(client: DynamoDBClient, stub: Stubber) -> None:
    keys = [{"factorId": {"S": f"f{n}"}} for n in range(3)]
    found = [{"factorId": {"S": "f0"}}, {"factorId": {"S": "f2"}}]
    stub.add_response(
        "batch_get_item",
        {
            "Responses": {TABLE: found[:1]},
            "UnprocessedKeys": {TABLE: {"Keys": keys[1:], "ConsistentRead": True}},
        },
        {
            "RequestItems": {TABLE: {"Keys": keys, "ConsistentRead": True}},
            "ReturnConsumedCapacity": "TOTAL",
        },
    )
    stub.add_response(
        "batch_get_item",
        {"Responses": {TABLE: found[1:]}, "UnprocessedKeys": {}},
        {
            "RequestItems": {TABLE: {"Keys": keys[1:], "ConsistentRead": True}},
            "ReturnConsumedCapacity": "TOTAL",
        },
    )
    sleeps = Sleeps()
    assert batch.batch_get(client, TABLE, keys, sleep=sleeps) == found  # type: ignore[arg-type]
    assert len(sleeps) == 1


def _cancelled(stub: Stubber, *codes: str) -> None:
    stub.add_client_error(
        "transact_write_items",
        service_error_code="TransactionCanceledException",
        service_message="Transaction cancelled",
        modeled_fields={"CancellationReasons": [{"Code": code} for code in codes]},
    )


def test_a_transaction_conflict_is_retried(client: DynamoDBClient, stub: Stubber) -> None:
    action = {"Put": {"TableName": TABLE, "Item": {"userId": {"S": "u"}}}}
    _cancelled(stub, "None", "TransactionConflict")
    stub.add_response("transact_write_items", {})
    sleeps = Sleeps()
    assert batch.transact_write(client, [action], sleep=sleeps) is None  # type: ignore[list-item]
    assert len(sleeps) == 1


def test_a_failed_condition_is_reported_not_retried(client: DynamoDBClient, stub: Stubber) -> None:
    action = {"Put": {"TableName": TABLE, "Item": {"userId": {"S": "u"}}}}
    _cancelled(stub, "ConditionalCheckFailed", "TransactionConflict")
    codes = batch.transact_write(client, [action])  # type: ignore[list-item]
    assert codes == ["ConditionalCheckFailed", "TransactionConflict"]


def test_backoff_is_jittered_and_capped() -> None:
    for attempt in range(1, 30):
        ceiling = min(batch.MAX_DELAY_S, batch.BASE_DELAY_S * 2**attempt)
        delays = [batch.backoff_s(attempt) for _ in range(50)]
        assert all(0 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1
