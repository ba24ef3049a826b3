"""The collector registry: every service the inventory reads, by name.

The refresh, the CLI's `--service` and the API's `service` parameter all use `SERVICES`.
Global services are collected once per account through a us-east-1 client and stored under
`model.GLOBAL`.
"""

from __future__ import annotations

from carbontrack.ops.catalogue import Service
from carbontrack.ops.collectors import apigateway, compute, dynamodb, edge, identity, monitoring, s3

SERVICES: tuple[Service, ...] = (
    Service("dynamodb", "DynamoDB tables", False, dynamodb.collect),
    Service("lambda", "Lambda functions", False, compute.collect_lambda),
    Service("apigateway", "API Gateway REST and HTTP APIs", False, apigateway.collect),
    Service("s3", "S3 buckets", True, s3.collect),
    Service("cloudfront", "CloudFront distributions", True, edge.collect_cloudfront),
    Service("cloudwatch", "CloudWatch alarms", False, monitoring.collect_cloudwatch),
    Service("sns", "SNS topics", False, monitoring.collect_sns),
    Service("secretsmanager", "Secrets Manager secrets", False, identity.collect_secretsmanager),
    Service("events", "EventBridge rules and schedules", False, monitoring.collect_events),
    Service("iam", "IAM roles", True, identity.collect_iam),
    Service("acm", "ACM certificates", False, edge.collect_acm),
    Service("route53", "Route 53 hosted zones", True, edge.collect_route53),
    Service("ec2", "EC2 instances", False, compute.collect_ec2),
    Service("rds", "RDS instances", False, compute.collect_rds),
)
_BY_NAME = {service.name: service for service in SERVICES}


def service_named(name: str) -> Service:
    """The service called `name`; KeyError names the known ones."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown service {name!r}; known: {', '.join(_BY_NAME)}") from None
