"""The DynamoDB inventory stores the inherited dashboard's exact items, and never scans."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import boto3
import pytest

from carbontrack.ops.model import RESOURCE_TTL_DAYS, Scope, ScopeStatus
from carbontrack.store.dynamodb import DynamoStore
from carbontrack.store.dynamodb.metrics import CallCounter
from carbontrack.store.dynamodb.tables import create_tables
from tests.backends import AWS_REGION, dynamodb_store
from tests.store.test_contract_inventory import NOW, make_resource, ok

EC2 = Scope("ec2", "123456789012", "us-east-1")


@pytest.fixture
def dynamo(aws_moto: None, tmp_path: Path) -> Iterator[DynamoStore]:
    store = dynamodb_store(tmp_path)
    yield store
    store.close()


def test_the_items_have_the_inherited_attributes(dynamo: DynamoStore) -> None:
    resource = make_resource(EC2, "i-0abc", InstanceType="t3.micro", State="running")
    dynamo.inventory.replace_scope(ok(EC2, 1), [resource])
    data = dynamo.client.get_item(
        TableName=f"{dynamo.prefix}aws-inventory-data",
        Key={"pk": {"S": "ec2#123456789012#us-east-1"}, "sk": {"S": "i-0abc"}},
    )["Item"]
    ttl = int((NOW + timedelta(days=RESOURCE_TTL_DAYS)).timestamp())
    assert data == {
        "pk": {"S": "ec2#123456789012#us-east-1"},
        "sk": {"S": "i-0abc"},
        "service": {"S": "ec2"},
        "accountId": {"S": "123456789012"},
        "region": {"S": "us-east-1"},
        "resourceId": {"S": "i-0abc"},
        "data": {
            "S": json.dumps({"InstanceType": "t3.micro", "State": "running"}, separators=(",", ":"))
        },
        "updatedAt": {"S": NOW.strftime("%Y-%m-%dT%H:%M:%S.%fZ")},
        "ttl": {"N": str(ttl)},
    }
    meta = dynamo.client.get_item(
        TableName=f"{dynamo.prefix}aws-inventory-metadata",
        Key={"service": {"S": "ec2"}, "sk": {"S": "123456789012#us-east-1"}},
    )["Item"]
    assert meta["resourceCount"] == {"N": "1"}
    assert meta["updatedAt"] == data["updatedAt"]
    assert meta["state"] == {"S": "ok"}
    assert "error" not in meta


def test_calls_are_queries_and_batches_never_a_scan(dynamo: DynamoStore) -> None:
    dynamo.inventory.replace_scope(ok(EC2, 1), [make_resource(EC2, "i-1")])
    with CallCounter(dynamo.client) as calls:
        dynamo.inventory.replace_scope(
            ok(EC2, 2), [make_resource(EC2, "i-2"), make_resource(EC2, "i-3")]
        )
    assert calls.counts() == {"Query": 1, "BatchWriteItem": 1, "PutItem": 1}
    with CallCounter(dynamo.client) as calls:
        page = dynamo.inventory.list_resources(services=["ec2", "rds"], limit=10)
    assert [r.resource_id for r in page.items] == ["i-2", "i-3"]
    # One Query of each service's metadata, then one of the one scope found.
    assert calls.counts() == {"Query": 3}
    failed = ScopeStatus(EC2, NOW, 2, state="failed", error="Throttling")
    with CallCounter(dynamo.client) as calls:
        dynamo.inventory.record_failure(failed)
    assert calls.counts() == {"PutItem": 1}


def test_a_deployment_store_uses_the_exact_table_names(aws_moto: None) -> None:
    client = boto3.client("dynamodb", region_name=AWS_REGION)
    create_tables(client, "carbontrack-prod-")
    store = DynamoStore(client=client, region=AWS_REGION, prefix="carbontrack-prod-")
    store.inventory.replace_scope(ok(EC2, 1), [make_resource(EC2, "i-9")])
    items = client.query(
        TableName="aws-inventory-data",
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": EC2.pk}},
    )["Items"]
    assert [item["sk"]["S"] for item in items] == ["i-9"]
    meta = client.get_item(
        TableName="aws-inventory-metadata",
        Key={"service": {"S": "ec2"}, "sk": {"S": EC2.meta_sk}},
    )
    assert meta["Item"]["resourceCount"] == {"N": "1"}
