"""The issue 14 scene in moto: account A (the current credentials) with CarbonTrack's tables,
their duplicates and legacy tables, the stack's Lambda, REST API and alarms; account B, reached
by assuming a role, with an EC2 instance and an S3 bucket; Cost Explorer results for A.

Works on the in-process moto and on a moto_server (`endpoint_url`): every call goes through
boto3 or moto's own HTTP API, never through moto's internals.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import boto3
import requests
from moto.backends import get_backend
from moto.core.models import DEFAULT_ACCOUNT_ID
from mypy_boto3_dynamodb.type_defs import TagTypeDef

from carbontrack.ops import services
from carbontrack.ops.cost import cost_window
from carbontrack.ops.model import RefreshOutcome
from carbontrack.settings import Settings
from carbontrack.store.base import Store
from carbontrack.store.dynamodb.tables import ACHIEVEMENTS, ENTRIES, GOALS, ROLLUPS, USERS

PRIMARY = "eu-central-1"
LEGACY = "us-east-1"
ACCOUNT_A = DEFAULT_ACCOUNT_ID
ACCOUNT_B = "222222222222"
ROLE_B = f"arn:aws:iam::{ACCOUNT_B}:role/carbontrack-inventory"
EXTERNAL_ID = "carbontrack-test-external-id"
PRIMARY_TABLES = tuple(
    spec.name("carbontrack-") for spec in (USERS, ENTRIES, ROLLUPS, GOALS, ACHIEVEMENTS)
)
DUPLICATES = ("carbontrack-users", "carbontrack-entries")
LEGACY_TABLES = ("carbontrack-users-production", "carbontrack-emissions-production")
STACK_TAGS: list[TagTypeDef] = [{"Key": "aws:cloudformation:stack-name", "Value": "carbontrack"}]
MOTO_API = "http://motoapi.amazonaws.com"  # the in-process moto's own API


@dataclass(frozen=True)
class Scene:
    """What the scene built, for the tests to look for."""

    lambda_arn: str
    drifted_lambda_arn: str
    rest_api_id: str
    alarm_name: str
    instance_id: str
    bucket: str


def session_a() -> boto3.Session:
    """Account A: the current (fake) credentials (boto3 reads AWS_ENDPOINT_URL itself)."""
    return boto3.Session(region_name=PRIMARY)


def session_b() -> boto3.Session:
    """Account B, through the role the refresh assumes."""
    credentials = boto3.client("sts", region_name=PRIMARY).assume_role(
        RoleArn=ROLE_B, RoleSessionName="scene", ExternalId=EXTERNAL_ID
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=PRIMARY,
    )


def make_table(session: boto3.Session, name: str, region: str, *, items: int = 0) -> None:
    """A CarbonTrack-style table (optionally with items, so a legacy table shows its count)."""
    api = session.client("dynamodb", region_name=region)
    api.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        Tags=STACK_TAGS,
    )
    for index in range(items):
        api.put_item(TableName=name, Item={"pk": {"S": f"item-{index}"}})


def build(*, today: date, moto_api: str = MOTO_API) -> Scene:
    """Build the whole scene in the moto the AWS environment points at."""
    a = session_a()
    for name in PRIMARY_TABLES:
        make_table(a, name, PRIMARY)
    for name in DUPLICATES:
        make_table(a, name, LEGACY)
    for index, name in enumerate(LEGACY_TABLES):
        make_table(a, name, LEGACY, items=3 + index)
    role = a.client("iam").create_role(
        RoleName="carbontrack-api-role", AssumeRolePolicyDocument=_trust("lambda.amazonaws.com")
    )["Role"]["Arn"]
    lambda_arn = _function(a, PRIMARY, role)
    drifted = _function(a, LEGACY, role)
    rest_api_id = a.client("apigateway").create_rest_api(
        name="carbontrack", tags={"app": "carbontrack"}
    )["id"]
    alarm = "carbontrack-api-errors"
    a.client("cloudwatch").put_metric_alarm(
        AlarmName=alarm,
        MetricName="Errors",
        Namespace="AWS/Lambda",
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
    )
    instance_id, bucket = _account_b()
    set_cost_results(today=today, moto_api=moto_api)
    return Scene(lambda_arn, drifted, rest_api_id, alarm, instance_id, bucket)


def _trust(service: str) -> str:
    statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def _function(session: boto3.Session, region: str, role: str) -> str:
    answer = session.client("lambda", region_name=region).create_function(
        FunctionName="carbontrack-api",
        Runtime="python3.12",
        Role=role,
        Handler="carbontrack.lambda_handler.handler",
        Code={"ZipFile": b"zip"},
        Architectures=["arm64"],
        Tags={"aws:cloudformation:stack-name": "carbontrack"},
    )
    return str(answer["FunctionArn"])


def _account_b() -> tuple[str, str]:
    """Account B's role (trusting account A with the external id), instance and bucket."""
    b = session_b()
    trust = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_A}:root"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": EXTERNAL_ID}},
    }
    b.client("iam").create_role(
        RoleName="carbontrack-inventory",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [trust]}),
    )
    ec2 = b.client("ec2")
    image = ec2.describe_images()["Images"][0]["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="t3.micro")
    bucket = "carbontrack-b-reports"
    b.client("s3").create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
    )
    return str(instance["Instances"][0]["InstanceId"]), bucket


def cost_results(today: date) -> dict[str, object]:
    """Cost Explorer's answer for account A: last month and month to date, two groups each."""
    start, end = cost_window(today)
    this_month = today.replace(day=1)

    def period(first: date, last: date, amounts: tuple[str, str], estimated: bool) -> object:
        groups = [
            {
                "Keys": [service, region],
                "Metrics": {"UnblendedCost": {"Amount": amount, "Unit": "USD"}},
            }
            for (service, region), amount in zip(
                (("Amazon DynamoDB", PRIMARY), ("AWS Lambda", LEGACY)), amounts, strict=True
            )
        ]
        time_period = {"Start": first.isoformat(), "End": last.isoformat()}
        return {"TimePeriod": time_period, "Total": {}, "Groups": groups, "Estimated": estimated}

    periods = [period(start, this_month, ("4.20", "0.35"), False)]
    if this_month < end:
        periods.append(period(this_month, end, ("1.05", "0.10"), True))
    return {"ResultsByTime": periods, "DimensionValueAttributes": []}


def set_cost_results(*, today: date, moto_api: str = MOTO_API) -> None:
    """Queue account A's Cost Explorer answer through moto's own API."""
    body: dict[str, Any] = {"account_id": ACCOUNT_A, "results": [cost_results(today)]}
    answer = requests.post(
        f"{moto_api}/moto-api/static/ce/cost-and-usage-results", json=body, timeout=10
    )
    assert answer.status_code == 201, answer.text


# Every backend the scene or a collector touches: reset before and after each test, so the
# refresh sees this test's scene only (other tests of the worker build their own).
MOTO_SERVICES = (
    "acm",
    "apigateway",
    "apigatewayv2",
    "ce",
    "cloudfront",
    "cloudwatch",
    "ec2",
    "events",
    "iam",
    "lambda",
    "rds",
    "route53",
    "s3",
    "secretsmanager",
    "sns",
    "sts",
)


def reset_moto() -> None:
    """Empty every moto backend the scene or a collector touches."""
    for name in MOTO_SERVICES:
        get_backend(name).reset()  # type: ignore[call-overload]


def ops_settings(tmp_path: Path, **values: object) -> Settings:
    """Settings that inventory the scene: account A, B by its role, both regions."""
    return Settings(
        data_dir=tmp_path / "var",
        inventory_role_arns=(ROLE_B,),
        inventory_external_id=EXTERNAL_ID,
        inventory_regions=(PRIMARY, LEGACY),
        inventory_workers=4,
        **values,  # type: ignore[arg-type]
    )


def refresh(store: Store, settings: Settings, **request: object) -> RefreshOutcome:
    """One refresh of the request `refresh_request` builds from `request`."""
    req = services.refresh_request(settings=settings, **request)  # type: ignore[arg-type]
    return services.refresh(store=store, settings=settings, request=req)
