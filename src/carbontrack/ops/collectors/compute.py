"""Lambda functions, EC2 instances and RDS instances."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from carbontrack.ops.clients import client
from carbontrack.ops.collectors._common import jsonable, pages, tag_map

if TYPE_CHECKING:
    import boto3

    from carbontrack.ops.catalogue import Collected

# Environment values are never stored (they hold table names at best, keys at worst), except
# these, which are settings rather than secrets and which the checklist reads: the CORS
# origins (none may be `*` in production) and the environment name.
_VISIBLE_VARIABLES = frozenset(
    {"CARBONTRACK_CORS_ORIGINS", "CARBONTRACK_ALLOWED_ORIGINS", "CARBONTRACK_ENVIRONMENT"}
)


def collect_lambda(session: boto3.Session, region: str) -> Collected:
    """Every function: runtime, memory, architecture, environment variable names."""
    api = client(session, "lambda", region)
    return [_function(item) for item in pages(api, "list_functions", "Functions")]


def _function(item: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    variables: dict[str, str] = item.get("Environment", {}).get("Variables", {})
    data = {
        "name": item["FunctionName"],
        "runtime": item.get("Runtime"),  # None for container images
        "package_type": item.get("PackageType", "Zip"),
        "memory_mb": item.get("MemorySize"),
        "timeout_s": item.get("Timeout"),
        "architectures": item.get("Architectures", ["x86_64"]),
        "last_modified": item.get("LastModified"),
        "role": item.get("Role"),
        "environment": sorted(variables),
        "settings": {k: v for k, v in variables.items() if k in _VISIBLE_VARIABLES},
    }
    return item["FunctionArn"], jsonable(data)


def collect_ec2(session: boto3.Session, region: str) -> Collected:
    """Every instance: type, state, launch time, tags."""
    api = client(session, "ec2", region)
    found: Collected = []
    for reservation in pages(api, "describe_instances", "Reservations"):
        for item in reservation.get("Instances", []):
            data = {
                "instance_id": item["InstanceId"],
                "type": item.get("InstanceType"),
                "state": item.get("State", {}).get("Name"),
                "launched": item.get("LaunchTime"),
                "availability_zone": item.get("Placement", {}).get("AvailabilityZone"),
                "tags": tag_map(item.get("Tags")),
            }
            found.append((item["InstanceId"], jsonable(data)))
    return found


def collect_rds(session: boto3.Session, region: str) -> Collected:
    """Every DB instance: engine, class, status and its protection settings."""
    api = client(session, "rds", region)
    found: Collected = []
    for item in pages(api, "describe_db_instances", "DBInstances"):
        data = {
            "identifier": item["DBInstanceIdentifier"],
            "engine": item.get("Engine"),
            "engine_version": item.get("EngineVersion"),
            "class": item.get("DBInstanceClass"),
            "status": item.get("DBInstanceStatus"),
            "multi_az": item.get("MultiAZ", False),
            "encrypted": item.get("StorageEncrypted", False),
            "deletion_protection": item.get("DeletionProtection", False),
            "public": item.get("PubliclyAccessible", False),
            "tags": tag_map(item.get("TagList")),
        }
        found.append((item["DBInstanceArn"], jsonable(data)))
    return found
