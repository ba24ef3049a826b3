"""IAM roles (global) and Secrets Manager secrets (metadata only, never a value)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from carbontrack.ops.clients import client
from carbontrack.ops.collectors._common import jsonable, pages, tag_map

if TYPE_CHECKING:
    import boto3

    from carbontrack.ops.catalogue import Collected

# Roles whose name starts with this are the stack's (SAM names them after the stack); the
# others are listed too, flagged, so an operator sees what else the account holds.
STACK_ROLE_PREFIX = "carbontrack"


def collect_iam(session: boto3.Session, region: str) -> Collected:
    """Every role, with `stack` set (and its managed policies listed) for the stack's."""
    api = client(session, "iam", region)
    found: Collected = []
    for role in pages(api, "list_roles", "Roles"):
        stack = role["RoleName"].lower().startswith(STACK_ROLE_PREFIX)
        policies = (
            [
                p["PolicyName"]
                for p in pages(
                    api,
                    "list_attached_role_policies",
                    "AttachedPolicies",
                    RoleName=role["RoleName"],
                )
            ]
            if stack
            else []
        )
        data = {
            "name": role["RoleName"],
            "path": role.get("Path"),
            "created": role.get("CreateDate"),
            "stack": stack,
            "managed_policies": policies,
        }
        found.append((role["Arn"], jsonable(data)))
    return found


def collect_secretsmanager(session: boto3.Session, region: str) -> Collected:
    """Every secret's metadata: name, rotation, dates, tags (ListSecrets only)."""
    api = client(session, "secretsmanager", region)
    found: Collected = []
    for secret in pages(api, "list_secrets", "SecretList"):
        data = {
            "name": secret["Name"],
            "description": secret.get("Description"),
            "rotation_enabled": secret.get("RotationEnabled", False),
            "last_changed": secret.get("LastChangedDate"),
            "last_rotated": secret.get("LastRotatedDate"),
            "last_accessed": secret.get("LastAccessedDate"),
            "kms_key": secret.get("KmsKeyId"),
            "tags": tag_map(secret.get("Tags")),
        }
        found.append((secret["ARN"], jsonable(data)))
    return found
