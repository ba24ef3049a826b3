"""The collectors and find() together on a small moto scene (in-process)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import boto3
import pytest

from carbontrack.ops.collectors import service_named
from carbontrack.ops.findings import find
from carbontrack.ops.model import Resource, Scope

# Regions and a deployment prefix of this test's own: the worker's moto is shared.
PRIMARY, LEGACY = "eu-west-3", "us-west-2"
ACCOUNT = "123456789012"  # moto's default account


@pytest.fixture
def prefix(aws_moto: None) -> str:
    return f"ct{uuid.uuid4().hex[:8]}-"


def _table(region: str, name: str, items: int = 0) -> str:
    api = boto3.client("dynamodb", region_name=region)
    arn = api.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        DeletionProtectionEnabled=True,
    )["TableDescription"]["TableArn"]
    api.update_continuous_backups(
        TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    for index in range(items):
        api.put_item(TableName=name, Item={"pk": {"S": str(index)}})
    return str(arn)


def _function(region: str, name: str, role: str, cors: str) -> str:
    return str(
        boto3.client("lambda", region_name=region).create_function(
            FunctionName=name,
            Runtime="python3.12",
            Role=role,
            Handler="app.handler",
            Code={"ZipFile": b"zip"},
            Environment={
                "Variables": {
                    "CARBONTRACK_ENVIRONMENT": "production",
                    "CARBONTRACK_CORS_ORIGINS": cors,
                }
            },
        )["FunctionArn"]
    )


def _collect(session: boto3.Session, services: tuple[str, ...]) -> list[Resource]:
    now = datetime.now(UTC)
    return [
        Resource(Scope(name, ACCOUNT, region), resource_id, data, now)
        for name in services
        for region in (PRIMARY, LEGACY)
        for resource_id, data in service_named(name).collect(session, region)
    ]


def test_collected_scene_yields_each_kind(prefix: str) -> None:
    role = boto3.client("iam").create_role(RoleName=f"{prefix}role", AssumeRolePolicyDocument="{}")[
        "Role"
    ]["Arn"]
    used = _table(PRIMARY, f"{prefix}users")
    _table(PRIMARY, f"{prefix}entries")
    copy = _table(LEGACY, f"{prefix}users", items=2)
    legacy = _table(LEGACY, f"{prefix}users-production", items=3)
    api = _function(PRIMARY, f"{prefix}api", role, cors="*")
    drifted = _function(LEGACY, f"{prefix}api", role, cors="https://carbon.example.org")

    found = find(
        resources=_collect(boto3.Session(), ("dynamodb", "lambda")),
        primary_region=PRIMARY,
        table_names=(f"{prefix}users", f"{prefix}entries"),
        deployment_prefix=prefix,
    )
    by_resource = {
        (f.kind, f.resource_id): f for f in found if not f.finding_id.startswith("checklist:")
    }

    assert set(by_resource) == {
        ("duplicate-table", copy),
        ("legacy-table", legacy),
        ("region-drift", drifted),
    }
    assert used in by_resource["duplicate-table", copy].reason
    assert "3 items" in by_resource["legacy-table", legacy].reason
    checks = {f.finding_id.split(":")[1] for f in found if f.kind == "checklist"}
    # PITR and deletion protection are on; what the scene lacks is reported, no more.
    assert checks == {"cors", "daily-backup", "alarms", "custom-domain"}
    assert all(f.resource_id != used for f in found)
    assert any(f.resource_id == api for f in found if f.kind == "checklist")
