"""DynamoDB tables: billing, size, PITR and deletion protection."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from carbontrack.ops.clients import client
from carbontrack.ops.collectors._common import jsonable, pages, tag_map

if TYPE_CHECKING:
    import boto3

    from carbontrack.ops.catalogue import Collected


def collect(session: boto3.Session, region: str) -> Collected:
    """Every table in the region, one DescribeTable and one DescribeContinuousBackups each."""
    api = client(session, "dynamodb", region)
    return [_table(api, name) for name in pages(api, "list_tables", "TableNames")]


def _table(api: Any, name: str) -> tuple[str, dict[str, Any]]:
    table = api.describe_table(TableName=name)["Table"]
    backups = api.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    pitr = backups.get("PointInTimeRecoveryDescription", {})
    arn = table["TableArn"]
    data = {
        "name": name,
        "status": table.get("TableStatus"),
        "billing_mode": table.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED"),
        "item_count": table.get("ItemCount", 0),
        "size_bytes": table.get("TableSizeBytes", 0),
        "pitr": pitr.get("PointInTimeRecoveryStatus") == "ENABLED",
        "deletion_protection": bool(table.get("DeletionProtectionEnabled", False)),
        "created": table.get("CreationDateTime"),
        # One call per table, tags rarely fill a page: the stack tag marks CarbonTrack's.
        "tags": tag_map(api.list_tags_of_resource(ResourceArn=arn).get("Tags")),
    }
    return arn, jsonable(data)
