"""The IAM permissions the inventory needs: every AWS call the collectors, the accounts and the
cost module make, and the action each call needs. The one place both roles come from.

`CALLS` lists the calls (boto3 service name -> operations); tests/ops/test_permissions.py
reads the collectors' source and fails when a call is missing here or listed but never made.
`read_statements` is the read-only policy: the collector Lambda's own role in
infra/template.yaml and the role each inventoried account creates from
infra/inventory-member-role.yaml carry exactly it (tests/infra check both). Nothing in it
reads data: no item, object or secret value, only names, settings and counts.

    python -m carbontrack.ops.permissions    # the policy as JSON, for a role made by hand
"""

from __future__ import annotations

import json
from typing import Any

# boto3 service -> the operations ops code calls on it (list, describe, get: metadata only).
CALLS: dict[str, tuple[str, ...]] = {
    "acm": ("DescribeCertificate", "ListCertificates"),
    "apigateway": (
        "GetApiKeys",
        "GetBasePathMappings",
        "GetDomainNames",
        "GetRestApis",
        "GetStages",
        "GetUsagePlans",
    ),
    "apigatewayv2": ("GetApis", "GetStages"),
    "ce": ("GetCostAndUsage",),
    "cloudfront": ("ListDistributions",),
    "cloudwatch": ("DescribeAlarms",),
    "dynamodb": ("DescribeContinuousBackups", "DescribeTable", "ListTables", "ListTagsOfResource"),
    "ec2": ("DescribeInstances", "DescribeRegions"),
    "events": ("ListRules", "ListTargetsByRule"),
    "iam": ("ListAttachedRolePolicies", "ListRoles"),
    "lambda": ("ListFunctions",),
    "rds": ("DescribeDBInstances",),
    "route53": ("ListHostedZones", "ListResourceRecordSets"),
    "s3": (
        "GetBucketEncryption",
        "GetBucketLocation",
        "GetBucketVersioning",
        "GetPublicAccessBlock",
        "ListBuckets",
    ),
    "scheduler": ("GetSchedule", "ListSchedules"),
    "secretsmanager": ("ListSecrets",),
    "sns": ("GetTopicAttributes", "ListSubscriptionsByTopic", "ListTopics"),
    "sts": ("AssumeRole", "GetCallerIdentity"),
}

# Calls whose IAM action is not `<service>:<Operation>`. API Gateway's management API is
# authorised by HTTP verb on a resource path (the paths are in API_GATEWAY_PATHS).
_ACTION_OF: dict[tuple[str, str], str | None] = {
    **{("apigateway", op): "apigateway:GET" for op in CALLS["apigateway"]},
    **{("apigatewayv2", op): "apigateway:GET" for op in CALLS["apigatewayv2"]},
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "GetBucketEncryption"): "s3:GetEncryptionConfiguration",
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("sts", "GetCallerIdentity"): None,  # needs no permission: it cannot be denied
    ("sts", "AssumeRole"): None,  # the collector's own role only, on the configured roles
}
# The resource paths of the GETs above, so the role cannot GET anything else of API Gateway
# (an API key's value, though, comes with GetApiKeys?includeValues=true on /apikeys itself:
# no condition key stops that, and the collector never asks for it).
API_GATEWAY_PATHS = (
    "/apikeys",
    "/apis",
    "/apis/*/stages",
    "/domainnames",
    "/domainnames/*/basepathmappings",
    "/restapis",
    "/restapis/*/stages",
    "/usageplans",
)
# What the collector Lambda does with the two inventory tables: the refresh's writes
# (store/dynamodb/inventory.py) and the run's start, progress and outcome (inventory_runs.py).
TABLE_ACTIONS = (
    "dynamodb:BatchWriteItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:UpdateItem",
)


def action_of(service: str, operation: str) -> str | None:
    """The IAM action one call needs (None: no permission, or not the read-only policy's)."""
    return _ACTION_OF.get((service, operation), f"{_PREFIXES.get(service, service)}:{operation}")


_PREFIXES = {"apigatewayv2": "apigateway"}


def read_actions() -> tuple[str, ...]:
    """Every IAM action of the read-only policy, sorted (apigateway:GET among them)."""
    actions = {
        action
        for service, operations in CALLS.items()
        for operation in operations
        if (action := action_of(service, operation)) is not None
    }
    return tuple(sorted(actions))


def read_statements(*, cloudformation: bool = False) -> list[dict[str, Any]]:
    """The read-only policy's statements (ARNs with `${AWS::Partition}` for CloudFormation)."""
    other = [action for action in read_actions() if action != "apigateway:GET"]
    partition = "${AWS::Partition}" if cloudformation else "aws"
    paths = [f"arn:{partition}:apigateway:*::{path}" for path in API_GATEWAY_PATHS]
    return [
        {"Sid": "ReadInventory", "Effect": "Allow", "Action": other, "Resource": "*"},
        {
            "Sid": "ReadApiGateway",
            "Effect": "Allow",
            "Action": "apigateway:GET",
            "Resource": [{"Fn::Sub": arn} for arn in paths] if cloudformation else paths,
        },
    ]


def policy_document() -> dict[str, Any]:
    """The read-only policy as an IAM policy document (partition `aws`)."""
    return {"Version": "2012-10-17", "Statement": read_statements()}


if __name__ == "__main__":
    print(json.dumps(policy_document(), indent=2))
