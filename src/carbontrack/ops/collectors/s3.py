"""S3 buckets (a global listing): location, encryption, public access block, versioning."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from carbontrack.ops.clients import client
from carbontrack.ops.collectors._common import error_code, jsonable, pages

if TYPE_CHECKING:
    import boto3

    from carbontrack.ops.catalogue import Collected

# The "not configured" answers: the setting is absent, not the call failed.
_ABSENT = frozenset(
    {"ServerSideEncryptionConfigurationNotFoundError", "NoSuchPublicAccessBlockConfiguration"}
)


def collect(session: boto3.Session, region: str) -> Collected:
    """Every bucket of the account, with its region in data["location"]."""
    api = client(session, "s3", region)
    return [
        (f"arn:aws:s3:::{bucket['Name']}", _bucket(api, bucket))
        for bucket in pages(api, "list_buckets", "Buckets")
    ]


def _bucket(api: Any, bucket: dict[str, Any]) -> dict[str, Any]:
    name = bucket["Name"]
    # LocationConstraint is None for us-east-1 (the API's oldest quirk).
    location = api.get_bucket_location(Bucket=name).get("LocationConstraint") or "us-east-1"
    data = {
        "name": name,
        "location": location,
        "created": bucket.get("CreationDate"),
        "encryption": _encryption(api, name),
        "public_access_block": _optional(
            lambda: api.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
        ),
        "versioning": api.get_bucket_versioning(Bucket=name).get("Status", "Disabled"),
    }
    return dict(jsonable(data))


def _encryption(api: Any, name: str) -> list[str]:
    config = _optional(
        lambda: api.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]
    )
    rules = (config or {}).get("Rules", [])
    return [
        rule.get("ApplyServerSideEncryptionByDefault", {}).get("SSEAlgorithm", "") for rule in rules
    ]


def _optional(read: Any) -> Any:
    """`read()`, or None where the bucket has no such configuration."""
    try:
        return read()
    except ClientError as error:
        if error_code(error) in _ABSENT:
            return None
        raise
