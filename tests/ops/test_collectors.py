"""Each collector against in-process moto: build resources, collect, check the data."""

from __future__ import annotations

import json
import uuid
from typing import Any

import boto3
import pytest

from carbontrack.ops.catalogue import Collected
from carbontrack.ops.collectors import (
    SERVICES,
    apigateway,
    compute,
    dynamodb,
    edge,
    identity,
    monitoring,
    s3,
    service_named,
)

# The session's moto is shared by every test of a worker: each test names its own resources
# (a fresh suffix) and looks only at those.
REGION = "ap-southeast-2"
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:List*", "Resource": "*"}],
    }
)


@pytest.fixture
def session(aws_moto: None) -> boto3.Session:
    return boto3.Session(region_name=REGION)


@pytest.fixture
def tag() -> str:
    return uuid.uuid4().hex[:8]


def by_name(collected: Collected, key: str = "name") -> dict[str, dict[str, Any]]:
    """Collected data by a field, JSON round-tripped to prove it is JSON-ready."""
    assert json.loads(json.dumps(collected)) == [list(item) for item in collected]
    return {data[key]: data for _, data in collected if key in data}


def make_table(session: boto3.Session, name: str, *, pitr: bool = False) -> None:
    api = session.client("dynamodb")
    api.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        DeletionProtectionEnabled=pitr,
        Tags=[{"Key": "aws:cloudformation:stack-name", "Value": "carbontrack"}],
    )
    if pitr:
        api.update_continuous_backups(
            TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )


def test_registry_names_every_service_once() -> None:
    names = [service.name for service in SERVICES]
    assert len(names) == len(set(names)) == 14
    assert {s.name for s in SERVICES if s.is_global} == {"s3", "cloudfront", "iam", "route53"}
    assert service_named("dynamodb").collect is dynamodb.collect
    with pytest.raises(KeyError, match="unknown service 'nope'"):
        service_named("nope")


def test_dynamodb_tables_across_pages(session: boto3.Session, tag: str) -> None:
    # More tables than one ListTables page (100): the paginator must follow LastEvaluatedTableName.
    names = [f"ct{tag}-{index:03}" for index in range(103)]
    for name in names[1:]:
        make_table(session, name)
    make_table(session, names[0], pitr=True)
    session.client("dynamodb").put_item(TableName=names[0], Item={"pk": {"S": "a"}})

    tables = {k: v for k, v in by_name(dynamodb.collect(session, REGION)).items() if tag in k}

    assert sorted(tables) == names
    first = tables[names[0]]
    assert first["pitr"] is True
    assert first["deletion_protection"] is True
    assert first["billing_mode"] == "PAY_PER_REQUEST"
    assert first["tags"] == {"aws:cloudformation:stack-name": "carbontrack"}
    assert isinstance(first["created"], str)
    assert "item_count" in first
    assert "size_bytes" in first
    assert tables[names[1]]["pitr"] is False


def test_lambda_keeps_variable_names_not_values(session: boto3.Session, tag: str) -> None:
    role = session.client("iam").create_role(
        RoleName=f"lambda-{tag}", AssumeRolePolicyDocument="{}"
    )["Role"]["Arn"]
    session.client("lambda").create_function(
        FunctionName=f"carbontrack-{tag}-api",
        Runtime="python3.12",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": b"zip"},
        MemorySize=512,
        Architectures=["arm64"],
        Environment={
            "Variables": {"CARBONTRACK_JWT_SECRET": "s3cret-value", "CARBONTRACK_CORS_ORIGINS": "*"}
        },
    )

    collected = compute.collect_lambda(session, REGION)
    data = by_name(collected)[f"carbontrack-{tag}-api"]

    assert "s3cret-value" not in json.dumps(collected)
    assert data["environment"] == ["CARBONTRACK_CORS_ORIGINS", "CARBONTRACK_JWT_SECRET"]
    assert data["settings"] == {"CARBONTRACK_CORS_ORIGINS": "*"}
    assert (data["runtime"], data["memory_mb"], data["architectures"]) == (
        "python3.12",
        512,
        ["arm64"],
    )
    assert isinstance(data["last_modified"], str)


def test_rest_api_stage_plan_key_and_domain(session: boto3.Session, tag: str) -> None:
    rest = session.client("apigateway")
    api_id = rest.create_rest_api(name=f"carbontrack-{tag}")["id"]
    root = rest.get_resources(restApiId=api_id)["items"][0]["id"]
    rest.put_method(restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE")
    rest.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
    rest.create_deployment(restApiId=api_id, stageName="production")
    rest.update_stage(
        restApiId=api_id,
        stageName="production",
        patchOperations=[
            {"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"},
            {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "100"},
            {
                "op": "replace",
                "path": "/accessLogSettings/destinationArn",
                "value": "arn:aws:logs:x",
            },
        ],
    )
    plan = rest.create_usage_plan(
        name=f"plan-{tag}",
        apiStages=[{"apiId": api_id, "stage": "production"}],
        throttle={"rateLimit": 50, "burstLimit": 100},
    )
    key = rest.create_api_key(
        name=f"key-{tag}", enabled=True, value=f"value-{tag}-0123456789abcdef"
    )
    rest.create_domain_name(domainName=f"{tag}.example.org", regionalCertificateArn="arn:aws:acm:x")
    # moto answers GetBasePathMappings with a 500 for a domain that has none; ours has one.
    rest.create_base_path_mapping(
        domainName=f"{tag}.example.org", restApiId=api_id, stage="production"
    )

    collected = apigateway.collect(session, REGION)
    items = dict(collected)
    by_name(collected)  # JSON-ready

    api = items[f"arn:aws:apigateway:{REGION}::/restapis/{api_id}"]
    stage = api["stages"][0]
    assert (api["type"], stage["name"], stage["logging_level"]) == (
        "rest-api",
        "production",
        "ERROR",
    )
    assert stage["throttle_rate"] == 100
    assert stage["access_log_arn"] == "arn:aws:logs:x"
    usage = items[f"arn:aws:apigateway:{REGION}::/usageplans/{plan['id']}"]
    assert usage["stages"] == [{"api_id": api_id, "stage": "production"}]
    assert (usage["throttle_rate"], usage["throttle_burst"]) == (50, 100)
    api_key = items[f"arn:aws:apigateway:{REGION}::/apikeys/{key['id']}"]
    assert api_key["enabled"] is True
    assert f"value-{tag}" not in json.dumps(collected)
    domain = items[f"arn:aws:apigateway:{REGION}::/domainnames/{tag}.example.org"]
    assert domain["certificate_arn"] == "arn:aws:acm:x"
    assert domain["mappings"] == [{"path": "(none)", "api_id": api_id, "stage": "production"}]


def test_http_api_with_stage(session: boto3.Session, tag: str) -> None:
    v2 = session.client("apigatewayv2")
    api_id = v2.create_api(Name=f"carbontrack-{tag}-http", ProtocolType="HTTP")["ApiId"]
    v2.create_stage(ApiId=api_id, StageName="$default")

    items = dict(apigateway.collect(session, REGION))
    data = items[f"arn:aws:apigateway:{REGION}::/apis/{api_id}"]

    assert data["type"] == "http-api"
    assert data["protocol"] == "HTTP"
    assert data["stages"] == [
        {
            "name": "$default",
            "access_log_arn": None,
            "throttle_rate": None,
            "throttle_burst": None,
            "auto_deploy": False,
        }
    ]


def test_s3_bucket_settings(session: boto3.Session, tag: str) -> None:
    api = session.client("s3", region_name="eu-west-1")
    locked, plain = f"carbontrack-{tag}-locked", f"carbontrack-{tag}-plain"
    for name in (locked, plain):
        api.create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
    api.put_public_access_block(
        Bucket=locked,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    api.put_bucket_versioning(Bucket=locked, VersioningConfiguration={"Status": "Enabled"})
    api.put_bucket_encryption(
        Bucket=locked,
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]
        },
    )

    buckets = by_name(s3.collect(session, "us-east-1"))

    assert buckets[locked]["location"] == "eu-west-1"
    assert buckets[locked]["public_access_block"]["BlockPublicAcls"] is True
    assert buckets[locked]["versioning"] == "Enabled"
    assert buckets[plain]["versioning"] == "Disabled"
    assert buckets[locked]["encryption"] == ["aws:kms"]
    assert buckets[plain]["encryption"] == []  # (moto sets no default; AWS reports AES256)
    assert buckets[plain]["public_access_block"] is None


def test_alarms_topics_rules_and_schedules(session: boto3.Session, tag: str) -> None:
    sns = session.client("sns")
    topic = sns.create_topic(Name=f"carbontrack-{tag}-alarms")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=f"arn:aws:sqs:{REGION}:123456789012:q")
    session.client("cloudwatch").put_metric_alarm(
        AlarmName=f"carbontrack-{tag}-errors",
        MetricName="Errors",
        Namespace="AWS/Lambda",
        Statistic="Sum",
        Period=300,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="GreaterThanOrEqualToThreshold",
        AlarmActions=[topic],
    )
    events = session.client("events")
    events.put_rule(Name=f"carbontrack-{tag}-nightly", ScheduleExpression="cron(0 2 * * ? *)")
    events.put_targets(Rule=f"carbontrack-{tag}-nightly", Targets=[{"Id": "1", "Arn": topic}])
    session.client("scheduler").create_schedule(
        Name=f"carbontrack-{tag}-daily-backup",
        ScheduleExpression="cron(0 2 * * ? *)",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": topic, "RoleArn": "arn:aws:iam::123456789012:role/r"},
    )

    alarm = by_name(monitoring.collect_cloudwatch(session, REGION))[f"carbontrack-{tag}-errors"]
    topics = by_name(monitoring.collect_sns(session, REGION))
    rules = by_name(monitoring.collect_events(session, REGION))

    assert alarm["alarm_actions"] == [topic]
    assert alarm["metric"] == "Errors"
    assert topics[f"carbontrack-{tag}-alarms"]["subscriptions_confirmed"] == 1
    nightly = rules[f"carbontrack-{tag}-nightly"]
    assert (nightly["type"], nightly["state"], nightly["targets"]) == ("rule", "ENABLED", [topic])
    backup = rules[f"carbontrack-{tag}-daily-backup"]
    assert (backup["type"], backup["schedule"], backup["state"]) == (
        "schedule",
        "cron(0 2 * * ? *)",
        "ENABLED",
    )


def test_secrets_are_metadata_only(session: boto3.Session, tag: str) -> None:
    session.client("secretsmanager").create_secret(
        Name=f"carbontrack/{tag}/jwt", SecretString=f"hunter2-{tag}", Description="signing key"
    )

    collected = identity.collect_secretsmanager(session, REGION)

    assert f"hunter2-{tag}" not in json.dumps(collected)
    secret = by_name(collected)[f"carbontrack/{tag}/jwt"]
    assert secret["description"] == "signing key"
    assert secret["rotation_enabled"] is False


def test_iam_flags_the_stack_roles(session: boto3.Session, tag: str) -> None:
    iam = session.client("iam")
    for name in (f"carbontrack-{tag}-ApiRole", f"other-{tag}"):
        iam.create_role(RoleName=name, AssumeRolePolicyDocument="{}")
    iam.attach_role_policy(
        RoleName=f"carbontrack-{tag}-ApiRole",
        PolicyArn=iam.create_policy(PolicyName=f"read-{tag}", PolicyDocument=POLICY)["Policy"][
            "Arn"
        ],
    )

    roles = by_name(identity.collect_iam(session, "us-east-1"))

    assert roles[f"carbontrack-{tag}-ApiRole"]["stack"] is True
    assert roles[f"carbontrack-{tag}-ApiRole"]["managed_policies"] == [f"read-{tag}"]
    assert roles[f"other-{tag}"]["stack"] is False


def test_certificates_zones_and_distributions(session: boto3.Session, tag: str) -> None:
    domain = f"{tag}.example.org"
    cert = session.client("acm").request_certificate(DomainName=domain)["CertificateArn"]
    route53 = session.client("route53")
    zone = route53.create_hosted_zone(Name=domain, CallerReference=tag)["HostedZone"]["Id"]
    route53.change_resource_record_sets(
        HostedZoneId=zone,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "CREATE",
                    "ResourceRecordSet": {
                        "Name": f"www.{domain}",
                        "Type": "CNAME",
                        "TTL": 60,
                        "ResourceRecords": [{"Value": "d111.cloudfront.net"}],
                    },
                }
            ]
        },
    )
    distribution = session.client("cloudfront").create_distribution(
        DistributionConfig={
            "CallerReference": tag,
            "Comment": f"CarbonTrack {tag}",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "o",
                        "DomainName": "origin.example.org",
                        "CustomOriginConfig": {
                            "HTTPPort": 80,
                            "HTTPSPort": 443,
                            "OriginProtocolPolicy": "https-only",
                        },
                    }
                ],
            },
            "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "https-only"},
        }
    )["Distribution"]

    certificates = by_name(edge.collect_acm(session, REGION), "domain")
    zones = by_name(edge.collect_route53(session, "us-east-1"))
    distributions = dict(edge.collect_cloudfront(session, "us-east-1"))

    assert certificates[domain]["status"] in {"ISSUED", "PENDING_VALIDATION"}
    assert any(arn == cert for arn, _ in edge.collect_acm(session, REGION))
    assert {"name": f"www.{domain}.", "type": "CNAME", "alias": None} in zones[f"{domain}."][
        "records"
    ]
    assert distributions[distribution["ARN"]]["comment"] == f"CarbonTrack {tag}"
    assert distributions[distribution["ARN"]]["origins"] == ["origin.example.org"]


def test_ec2_and_rds_instances(session: boto3.Session, tag: str) -> None:
    ec2 = session.client("ec2")
    image = ec2.describe_images()["Images"][0]["ImageId"]
    instance = ec2.run_instances(
        ImageId=image,
        MinCount=1,
        MaxCount=1,
        InstanceType="t3.micro",
        TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "Name", "Value": tag}]}],
    )["Instances"][0]["InstanceId"]
    session.client("rds").create_db_instance(
        DBInstanceIdentifier=f"db-{tag}",
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="admin",
        MasterUserPassword=f"pw-{tag}-123456",
        AllocatedStorage=20,
    )

    instances = by_name(compute.collect_ec2(session, REGION), "instance_id")
    databases = by_name(compute.collect_rds(session, REGION), "identifier")

    assert instances[instance]["type"] == "t3.micro"
    assert instances[instance]["tags"] == {"Name": tag}
    assert databases[f"db-{tag}"]["engine"] == "postgres"
    assert f"pw-{tag}" not in json.dumps(compute.collect_rds(session, REGION))
