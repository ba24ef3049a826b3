"""`create_tables` builds exactly what `tables.py` declares, and is safe to repeat."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
import pytest

from carbontrack.store.dynamodb.tables import (
    EMISSION_FACTORS,
    ENTRIES,
    INVENTORY_DATA,
    INVENTORY_METADATA,
    TABLES,
    USERS,
    TableStatus,
    create_tables,
)
from tests.backends import AWS_REGION

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

pytestmark = pytest.mark.usefixtures("aws_moto")
PREFIX = "tables-test-"


@pytest.fixture
def client(aws_moto: None) -> DynamoDBClient:
    """A client and freshly created tables (moto is emptied after every test)."""
    made: DynamoDBClient = boto3.client("dynamodb", region_name=AWS_REGION)
    create_tables(made, PREFIX)
    return made


def _table(client: DynamoDBClient, suffix: str) -> dict[str, Any]:
    [name] = [spec.name(PREFIX) for spec in TABLES if spec.suffix == suffix]
    return dict(client.describe_table(TableName=name)["Table"])


def _keys(schema: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(key["AttributeName"], key["KeyType"]) for key in schema]


def test_first_run_creates_every_table_and_second_finds_them() -> None:
    client = boto3.client("dynamodb", region_name=AWS_REGION)
    names = [spec.name("idem-") for spec in TABLES]
    assert create_tables(client, "idem-") == [TableStatus(n, created=True) for n in names]
    assert create_tables(client, "idem-") == [TableStatus(n, created=False) for n in names]
    pages = client.get_paginator("list_tables").paginate()
    listed = [name for page in pages for name in page["TableNames"]]
    assert sorted(n for n in listed if n.startswith(("idem-", "aws-"))) == sorted(names)


def test_every_declared_table_exists_with_its_keys(client: DynamoDBClient) -> None:
    expected = {
        "users": [("userId", "HASH")],
        "entries": [("userId", "HASH"), ("timestamp", "RANGE")],
        "rollups": [("userId", "HASH"), ("month", "RANGE")],
        "goals": [("userId", "HASH"), ("goalId", "RANGE")],
        "achievements": [("userId", "HASH"), ("achievementId", "RANGE")],
        "actions": [("userId", "HASH"), ("actionId", "RANGE")],
        "baselines": [("userId", "HASH")],
        "teams": [("teamId", "HASH")],
        "team-members": [("teamId", "HASH"), ("userId", "RANGE")],
        "reasoning-cache": [("cacheKey", "HASH")],
        "emission-factors": [("factorId", "HASH")],
        "aws-inventory-data": [("pk", "HASH"), ("sk", "RANGE")],
        "aws-inventory-metadata": [("service", "HASH"), ("sk", "RANGE")],
    }
    assert [spec.suffix for spec in TABLES] == list(expected)
    for suffix, keys in expected.items():
        table = _table(client, suffix)
        assert table["TableStatus"] == "ACTIVE"
        assert _keys(table["KeySchema"]) == keys
        definitions = {
            (d["AttributeName"], d["AttributeType"]) for d in table["AttributeDefinitions"]
        }
        assert definitions == {(name, "S") for name, _ in keys} | _index_key_types(suffix)


def _index_key_types(suffix: str) -> set[tuple[str, str]]:
    return {"entries": {("entryId", "S")}, "emission-factors": {("category", "S")}}.get(
        suffix, set()
    )


def test_billing_and_encryption(client: DynamoDBClient) -> None:
    for spec in TABLES:
        table = _table(client, spec.suffix)
        assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
        assert table["SSEDescription"]["Status"] == "ENABLED"


def test_entries_lsi_finds_entries_by_id(client: DynamoDBClient) -> None:
    table = _table(client, ENTRIES.suffix)
    [lsi] = table["LocalSecondaryIndexes"]
    assert lsi["IndexName"] == "entryId-index"
    assert _keys(lsi["KeySchema"]) == [("userId", "HASH"), ("entryId", "RANGE")]
    assert lsi["Projection"] == {"ProjectionType": "ALL"}
    assert table.get("GlobalSecondaryIndexes", []) == []


def test_factors_gsi_lists_a_category(client: DynamoDBClient) -> None:
    table = _table(client, EMISSION_FACTORS.suffix)
    [gsi] = table["GlobalSecondaryIndexes"]
    assert gsi["IndexName"] == "category-index"
    assert _keys(gsi["KeySchema"]) == [("category", "HASH"), ("factorId", "RANGE")]
    assert gsi["Projection"] == {"ProjectionType": "ALL"}
    assert table.get("LocalSecondaryIndexes", []) == []


def test_point_in_time_recovery_is_on_everywhere(client: DynamoDBClient) -> None:
    for spec in TABLES:
        backups = client.describe_continuous_backups(TableName=spec.name(PREFIX))
        pitr = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
        assert pitr["PointInTimeRecoveryStatus"] == "ENABLED", spec.suffix


def test_ttl_is_on_exactly_where_declared(client: DynamoDBClient) -> None:
    with_ttl = {spec.suffix for spec in TABLES if spec.ttl_attribute is not None}
    assert with_ttl == {USERS.suffix, "reasoning-cache", INVENTORY_DATA.suffix}
    for spec in TABLES:
        ttl = client.describe_time_to_live(TableName=spec.name(PREFIX))["TimeToLiveDescription"]
        if spec.ttl_attribute is None:
            assert ttl["TimeToLiveStatus"] == "DISABLED", spec.suffix
        else:
            assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "ttl")


def test_a_second_run_repairs_settings_of_an_existing_table(client: DynamoDBClient) -> None:
    name = PREFIX + USERS.suffix
    client.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )
    statuses = create_tables(client, PREFIX)
    assert not any(status.created for status in statuses)
    pitr = client.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    assert pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"


def test_create_request_is_declarative() -> None:
    request = ENTRIES.create_request("p-")
    assert request["TableName"] == "p-entries"
    assert request["BillingMode"] == "PAY_PER_REQUEST"
    assert request["SSESpecification"] == {"Enabled": True}
    assert [d["AttributeName"] for d in request["AttributeDefinitions"]] == [
        "userId",
        "timestamp",
        "entryId",
    ]


def test_the_inventory_tables_keep_their_inherited_names() -> None:
    assert INVENTORY_DATA.name("carbontrack-prod-") == "aws-inventory-data"
    assert INVENTORY_METADATA.name("carbontrack-prod-") == "aws-inventory-metadata"
    assert ENTRIES.name("carbontrack-prod-") == "carbontrack-prod-entries"
    # Tests isolate each store by its prefix, inherited tables included.
    assert INVENTORY_DATA.name("t1-", inherited_names=False) == "t1-aws-inventory-data"
    assert INVENTORY_DATA.create_request("p-")["TableName"] == "aws-inventory-data"
