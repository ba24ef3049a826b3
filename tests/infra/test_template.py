"""Assertions on the CloudFormation template that SAM's transform makes of infra/template.yaml."""

from __future__ import annotations

from typing import Any

import pytest

from carbontrack import lambda_handler
from carbontrack.infra import assets, pre_traffic
from carbontrack.ops import permissions
from carbontrack.settings import MIN_SECRET_BYTES
from carbontrack.store.dynamodb.tables import REASONING_CACHE, TABLES, USERS, TableSpec

from .template import referenced_ids, resources_of, sam_template, transformed

DATA_SERVICES = ("dynamodb:", "s3:", "secretsmanager:", "kms:")
TOPIC = {"Ref": "AlarmTopic"}
EXPLORER_PATHS = ("/api/anomalies", "/api/anomalies/{proxy+}", "/api/reasoning")
# The functions that serve the app, each the part CARBONTRACK_APP_PARTS names, and its package.
APP_FUNCTIONS = {
    "ApiFunction": ("api", "core"),
    "WebFunction": ("web", "core"),
    "ExplorerFunction": ("explorer", "explorer"),
}
APP_PARTS_OF_FUNCTIONS = [(name, *rest) for name, rest in APP_FUNCTIONS.items()]
HOOKED = ("Api", "Web", "Explorer")  # each app function's pre-traffic hook: <name>PreTrafficHook


@pytest.fixture(scope="module")
def cfn() -> dict[str, Any]:
    return transformed()


def _resource(cfn: dict[str, Any], name: str) -> dict[str, Any]:
    properties: dict[str, Any] = cfn["Resources"][name]["Properties"]
    return properties


def _tables_by_name(cfn: dict[str, Any]) -> dict[str, dict[str, Any]]:
    tables = resources_of(cfn, "AWS::DynamoDB::Table").values()
    return {_name_of(t["Properties"]["TableName"]): t for t in tables}


def _name_of(table_name: Any) -> str:
    """A `!Sub carbontrack-${Stage}-<suffix>`, or an inherited table's plain name."""
    return str(table_name["Fn::Sub"] if isinstance(table_name, dict) else table_name)


def _keys(partition: str, sort: str | None) -> list[dict[str, str]]:
    keys = [{"AttributeName": partition, "KeyType": "HASH"}]
    return keys + ([{"AttributeName": sort, "KeyType": "RANGE"}] if sort else [])


# ---------------------------------------------------------------- tables


def test_the_template_has_exactly_the_store_tables(cfn: dict[str, Any]) -> None:
    expected = {spec.name("carbontrack-${Stage}-") for spec in TABLES}
    assert {"aws-inventory-data", "aws-inventory-metadata"} <= expected
    assert set(_tables_by_name(cfn)) == expected


@pytest.mark.parametrize("spec", TABLES, ids=lambda spec: spec.suffix)
def test_each_table_has_the_store_key_schema(cfn: dict[str, Any], spec: TableSpec) -> None:
    table = _tables_by_name(cfn)[spec.name("carbontrack-${Stage}-")]
    properties = table["Properties"]
    assert properties["KeySchema"] == _keys(spec.partition_key, spec.sort_key)
    assert properties["AttributeDefinitions"] == [
        {"AttributeName": name, "AttributeType": "S"} for name in spec.key_attributes()
    ]
    for kind, local in (("LocalSecondaryIndexes", True), ("GlobalSecondaryIndexes", False)):
        declared = [
            {
                "IndexName": index.name,
                "KeySchema": _keys(index.partition_key, index.sort_key),
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in spec.indexes
            if index.local == local
        ]
        assert properties.get(kind, []) == declared


@pytest.mark.parametrize("spec", TABLES, ids=lambda spec: spec.suffix)
def test_each_table_is_on_demand_encrypted_recoverable_and_kept(
    cfn: dict[str, Any], spec: TableSpec
) -> None:
    table = _tables_by_name(cfn)[spec.name("carbontrack-${Stage}-")]
    properties = table["Properties"]
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["SSESpecification"] == {"SSEEnabled": True}
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert (table["DeletionPolicy"], table["UpdateReplacePolicy"]) == ("Retain", "Retain")
    ttl = properties.get("TimeToLiveSpecification")
    if spec.ttl_attribute is None:
        assert ttl is None
    else:
        assert ttl == {"AttributeName": spec.ttl_attribute, "Enabled": True}


def test_the_functions_find_the_tables_under_the_template_prefix(cfn: dict[str, Any]) -> None:
    for function in (*APP_FUNCTIONS, "BackupFunction", "InventoryFunction"):
        env = _resource(cfn, function)["Environment"]["Variables"]
        assert env["CARBONTRACK_STORE"] == "dynamodb"
        assert env["CARBONTRACK_DYNAMODB_REGION"] == {"Ref": "AWS::Region"}
        prefix = env["CARBONTRACK_DYNAMODB_TABLE_PREFIX"]["Fn::Sub"]
        assert set(_tables_by_name(cfn)) == {spec.name(prefix) for spec in TABLES}


# ---------------------------------------------------------------- IAM


def _statements(cfn: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every identity-policy statement: the roles' inline policies and AWS::IAM::Policy."""
    found: list[tuple[str, dict[str, Any]]] = []
    for name, role in resources_of(cfn, "AWS::IAM::Role").items():
        for policy in role["Properties"].get("Policies", []):
            document = policy.get("Fn::If", [None, policy])[1]  # a conditional policy
            found += [(name, s) for s in document["PolicyDocument"]["Statement"]]
    for policy in resources_of(cfn, "AWS::IAM::Policy").values():
        for role in policy["Properties"]["Roles"]:
            found += [(role["Ref"], s) for s in policy["Properties"]["PolicyDocument"]["Statement"]]
    return found


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _resources(statement: dict[str, Any]) -> list[Any]:
    """A statement's resources, a conditional one (If ..., NoValue) counted when present."""
    out: list[Any] = []
    for resource in _as_list(statement["Resource"]):
        if isinstance(resource, dict) and "Fn::If" in resource:
            out += [r for r in resource["Fn::If"][1:] if r != {"Ref": "AWS::NoValue"}]
        else:
            out.append(resource)
    return out


def _data_grants_outside_carbontrack(cfn: dict[str, Any]) -> list[str]:
    """Each data resource granted that is `*`, a wildcard, or no resource of the template."""
    ours = set(cfn["Resources"])
    problems: list[str] = []
    for role, statement in _statements(cfn):
        if not any(a.startswith(DATA_SERVICES) for a in _as_list(statement["Action"])):
            continue
        if _reads_inventory_only(statement):
            continue
        for resource in _resources(statement):
            # The one wildcard: the objects under the backup prefix of our backup bucket.
            wildcard = "*" in str(resource).replace("${BackupBucket.Arn}/backups/*", "")
            named = referenced_ids(resource) - {"AWS::Partition", "AWS::Region"}
            if wildcard or not named or not named <= ours:
                problems.append(f"{role} {statement.get('Sid')}: {resource}")
    return problems


def _reads_inventory_only(statement: dict[str, Any]) -> bool:
    """The inventory's metadata reads: names and settings, never data (tests/ops checks)."""
    return set(_as_list(statement["Action"])) <= set(permissions.read_actions())


def test_data_actions_name_only_carbontrack_resources(cfn: dict[str, Any]) -> None:
    data = [s for _, s in _statements(cfn) if "dynamodb:GetItem" in _as_list(s["Action"])]
    assert data, "no data statement found: the check would pass vacuously"
    assert _data_grants_outside_carbontrack(cfn) == []


@pytest.mark.parametrize(
    "resource",
    ["*", "arn:aws:dynamodb:eu-central-1:123456789012:table/*", {"Fn::Sub": "${Other.Arn}"}],
)
def test_the_data_check_catches_a_grant_beyond_carbontrack(
    cfn: dict[str, Any], resource: Any
) -> None:
    policy = cfn["Resources"]["ApiTablesPolicy"]["Properties"]["PolicyDocument"]
    statement = dict(policy["Statement"][0], Resource=[resource])
    widened = {**cfn, "Resources": {**cfn["Resources"]}}
    widened["Resources"]["Widened"] = {
        "Type": "AWS::IAM::Policy",
        "Properties": {
            "Roles": [{"Ref": "ApiFunctionRole"}],
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]},
        },
    }
    assert len(_data_grants_outside_carbontrack(widened)) == 1


def test_only_xray_is_granted_on_every_resource(cfn: dict[str, Any]) -> None:
    for role, statement in _statements(cfn):
        if "*" in _as_list(statement["Resource"]) and not _reads_inventory_only(statement):
            assert all(a.startswith("xray:") for a in _as_list(statement["Action"])), role


def test_each_function_has_a_role_of_its_own_without_managed_policies(cfn: dict[str, Any]) -> None:
    functions = ("ApiFunction", "WebFunction", "ExplorerFunction", "BackupFunction")
    for function in (*functions, "InventoryFunction"):
        role = f"{function}Role"
        assert "ManagedPolicyArns" not in _resource(cfn, role)
        assert _resource(cfn, function)["Role"] == {"Fn::GetAtt": [role, "Arn"]}


def _table_access(cfn: dict[str, Any], role: str) -> dict[str, set[str]]:
    """Action → the tables and indexes (as referenced) the role may apply it to."""
    access: dict[str, set[str]] = {}
    for owner, statement in _statements(cfn):
        if owner != role:
            continue
        for action in _as_list(statement["Action"]):
            if action.startswith("dynamodb:"):
                refs = {_arn_text(r) for r in _resources(statement)}
                access.setdefault(action, set()).update(refs)
    return access


def _arn_text(resource: Any) -> str:
    if "Fn::GetAtt" in resource:
        return ".".join(resource["Fn::GetAtt"])
    return str(resource["Fn::Sub"])


def _table_arns(specs: tuple[TableSpec, ...]) -> set[str]:
    return {f"{_logical_id(spec)}.Arn" for spec in specs}


def _index_arns() -> set[str]:
    return {
        f"${{{_logical_id(spec)}.Arn}}/index/{index.name}"
        for spec in TABLES
        for index in spec.indexes
    }


def _logical_id(spec: TableSpec) -> str:
    return next(
        name
        for name, r in transformed()["Resources"].items()
        if r["Type"] == "AWS::DynamoDB::Table"
        and _name_of(r["Properties"]["TableName"]) == spec.name("carbontrack-${Stage}-")
    )


@pytest.mark.parametrize("role", ["ApiFunctionRole", "WebFunctionRole"])
def test_the_tracker_reads_and_writes_its_tables_and_queries_their_indexes_but_never_scans(
    cfn: dict[str, Any], role: str
) -> None:
    """Every table but the explorer's cache, which neither the API nor the pages use."""
    tracker = tuple(spec for spec in TABLES if spec is not REASONING_CACHE)
    access = _table_access(cfn, role)
    for action in ("GetItem", "PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"):
        assert access[f"dynamodb:{action}"] == _table_arns(tracker)
    assert access["dynamodb:Query"] == _table_arns(tracker) | _index_arns()
    assert "dynamodb:Scan" not in access


def test_the_backup_only_reads_and_scans_only_the_users(cfn: dict[str, Any]) -> None:
    access = _table_access(cfn, "BackupFunctionRole")
    assert set(access) == {
        "dynamodb:BatchGetItem",
        "dynamodb:GetItem",
        "dynamodb:Query",
        "dynamodb:Scan",
    }
    assert access["dynamodb:Scan"] == _table_arns((USERS,))
    assert access["dynamodb:Query"] == _table_arns(TABLES) | _index_arns()


def test_secrets_are_readable_by_the_app_functions_only_and_gemini_s_by_the_explorer(
    cfn: dict[str, Any],
) -> None:
    readers = {
        role: {str(r) for r in _resources(s)}
        for role, s in _statements(cfn)
        if "secretsmanager:GetSecretValue" in _as_list(s["Action"])
    }
    jwt, gemini = str({"Ref": "JwtSecret"}), str({"Ref": "GeminiApiKeySecret"})
    assert readers == {
        "ApiFunctionRole": {jwt},
        "WebFunctionRole": {jwt},
        "ExplorerFunctionRole": {jwt, gemini},
    }


def test_the_backup_writes_only_under_its_prefix(cfn: dict[str, Any]) -> None:
    writes = [
        s
        for role, s in _statements(cfn)
        if role == "BackupFunctionRole" and "s3:PutObject" in _as_list(s["Action"])
    ]
    assert [s["Resource"] for s in writes] == [{"Fn::Sub": "${BackupBucket.Arn}/backups/*"}]
    env = _resource(cfn, "BackupFunction")["Environment"]["Variables"]
    assert (env["CARBONTRACK_BACKUP_BUCKET"], env["CARBONTRACK_BACKUP_PREFIX"]) == (
        {"Ref": "BackupBucket"},
        "backups/",
    )


# ---------------------------------------------------------------- secrets and functions


def test_the_jwt_key_is_generated_by_secrets_manager_and_never_in_the_environment(
    cfn: dict[str, Any],
) -> None:
    secret = _resource(cfn, "JwtSecret")
    assert "SecretString" not in secret
    assert secret["GenerateSecretString"]["PasswordLength"] >= MIN_SECRET_BYTES
    for name, function in resources_of(cfn, "AWS::Lambda::Function").items():
        env = function["Properties"]["Environment"]["Variables"]
        if name.endswith("PreTrafficHook"):  # probes a version; reads no secret, no setting
            assert not [v for v in env if "SECRET" in v or "GEMINI" in v]
            continue
        assert "CARBONTRACK_JWT_SECRET" not in env
        assert "CARBONTRACK_GEMINI_API_KEY" not in env
        assert env["CARBONTRACK_JWT_SECRET_ARN"] == {"Ref": "JwtSecret"}
        assert env["CARBONTRACK_ENVIRONMENT"] == "production"


def test_the_handlers_named_in_the_template_exist(cfn: dict[str, Any]) -> None:
    handlers = {
        name: r["Properties"]["Handler"]
        for name, r in resources_of(cfn, "AWS::Lambda::Function").items()
    }
    assert handlers == {
        **dict.fromkeys(APP_FUNCTIONS, "carbontrack.lambda_handler.handler"),
        "BackupFunction": "carbontrack.lambda_handler.backup_handler",
        "InventoryFunction": "carbontrack.lambda_handler.inventory_handler",
        **{f"{part}PreTrafficHook": "carbontrack.infra.pre_traffic.handler" for part in HOOKED},
    }
    for handler in handlers.values():
        module = pre_traffic if handler.startswith("carbontrack.infra.") else lambda_handler
        assert callable(getattr(module, handler.rsplit(".", 1)[1]))


@pytest.mark.parametrize(("function", "part", "package"), APP_PARTS_OF_FUNCTIONS)
def test_each_app_function_serves_its_part_from_its_package(
    cfn: dict[str, Any], function: str, part: str, package: str
) -> None:
    properties = _resource(cfn, function)
    assert properties["Environment"]["Variables"]["CARBONTRACK_APP_PARTS"] == part
    assert sam_template()["Resources"][function]["Properties"]["CodeUri"] == (
        f"../build/lambda/{package}"
    )
    assert properties["MemorySize"] == {"Ref": "FunctionMemory"}
    assert properties["Timeout"] == {"Ref": "FunctionTimeout"}
    assert properties["Runtime"] == "python3.12"
    assert properties["TracingConfig"] == {"Mode": "Active"}


# ---------------------------------------------------------------- API Gateway


def test_the_stage_throttles_at_100_per_second_with_a_burst_of_200(cfn: dict[str, Any]) -> None:
    stage = _resource(cfn, "ApiStage")
    assert stage["MethodSettings"] == [
        {
            "ResourcePath": "/*",
            "HttpMethod": "*",
            "ThrottlingRateLimit": 100,
            "ThrottlingBurstLimit": 200,
            "MetricsEnabled": True,
            "LoggingLevel": "ERROR",
            "DataTraceEnabled": False,
        }
    ]
    assert stage["AccessLogSetting"]["DestinationArn"] == {
        "Fn::GetAtt": ["ApiAccessLogGroup", "Arn"]
    }


def test_the_usage_plan_throttles_every_key_and_serves_the_stage(cfn: dict[str, Any]) -> None:
    plan = _resource(cfn, "UsagePlan")
    assert plan["Throttle"] == {"RateLimit": 100, "BurstLimit": 200}
    assert plan["ApiStages"] == [{"ApiId": {"Ref": "Api"}, "Stage": {"Ref": "ApiStage"}}]
    keys = {
        p["Properties"]["KeyId"]["Ref"]
        for p in resources_of(cfn, "AWS::ApiGateway::UsagePlanKey").values()
        if p["Properties"]["UsagePlanId"] == {"Ref": "UsagePlan"}
    }
    assert (
        keys == set(resources_of(cfn, "AWS::ApiGateway::ApiKey")) == {"WebApiKey", "ClientApiKey"}
    )


def _methods(cfn: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    paths = _resource(cfn, "Api")["Body"]["paths"]
    return [(path, verb, spec) for path, verbs in paths.items() for verb, spec in verbs.items()]


def test_every_method_but_the_preflight_and_the_health_probe_needs_an_api_key(
    cfn: dict[str, Any],
) -> None:
    methods = _methods(cfn)
    any_method = "x-amazon-apigateway-any-method"
    docs = ("/openapi.json", "/docs", "/static-offline-docs/{proxy+}")
    assert {(path, verb) for path, verb, _ in methods} == {
        (path, verb)
        for paths, verb in (
            (("/", "/{proxy+}", "/api/{proxy+}", *EXPLORER_PATHS), any_method),
            ((*docs, "/health"), "get"),
            (("/", "/{proxy+}", "/api/{proxy+}", *EXPLORER_PATHS, *docs, "/health"), "options"),
        )
        for path in paths
    }
    for path, verb, spec in methods:
        keyless = verb == "options" or (path, verb) == ("/health", "get")
        assert (spec.get("security") == [{"api_key": []}]) != keyless, (path, verb)


def test_cors_allows_only_the_front_end_origin(cfn: dict[str, Any]) -> None:
    preflights = [spec for _, verb, spec in _methods(cfn) if verb == "options"]
    assert preflights
    for spec in preflights:
        response = spec["x-amazon-apigateway-integration"]["responses"]["default"]
        origin = response["responseParameters"][
            "method.response.header.Access-Control-Allow-Origin"
        ]
        assert origin == {
            "Fn::If": [
                "HasDomainName",
                {"Fn::Sub": "'https://${DomainName}'"},
                {"Ref": "AWS::NoValue"},
            ]
        }
        assert "'*'" not in str(response)


def test_cloudfront_adds_the_site_api_key_and_routes_api_and_assets(cfn: dict[str, Any]) -> None:
    config = _resource(cfn, "Distribution")["DistributionConfig"]
    origins = {origin["Id"]: origin for origin in config["Origins"]}
    api, s3 = origins["api"], origins["assets"]
    assert referenced_ids(api["DomainName"]) >= {"Api"}
    key = "{{resolve:secretsmanager:${WebApiKeySecret}:SecretString}}"
    assert api["OriginCustomHeaders"] == [
        {"HeaderName": "x-api-key", "HeaderValue": {"Fn::Sub": key}}
    ]
    assert _resource(cfn, "WebApiKey")["Value"] == {"Fn::Sub": key}
    assert s3["OriginAccessControlId"] == {"Fn::GetAtt": ["WebOriginAccessControl", "Id"]}
    routes = {b["PathPattern"]: b["TargetOriginId"] for b in config["CacheBehaviors"]}
    assert routes == {"/health": "api", "/api/*": "api", f"/{assets.PREFIX}*": "assets"}
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == "api"  # the rendered pages


# ---------------------------------------------------------------- buckets


@pytest.mark.parametrize("bucket", ["WebBucket", "BackupBucket"])
def test_buckets_are_versioned_encrypted_private_and_tls_only(
    cfn: dict[str, Any], bucket: str
) -> None:
    properties = _resource(cfn, bucket)
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    encryption = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption == [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]
    assert set(properties["PublicAccessBlockConfiguration"].values()) == {True}
    assert len(properties["PublicAccessBlockConfiguration"]) == 4
    policies = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources_of(cfn, "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": bucket}
    ]
    (statements,) = policies
    assert {"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": False}}}.items() <= {
        k: v for s in statements if s["Effect"] == "Deny" for k, v in s.items()
    }.items()


def test_only_this_distribution_reads_the_assets(cfn: dict[str, Any]) -> None:
    (policy,) = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in resources_of(cfn, "AWS::S3::BucketPolicy").values()
        if p["Properties"]["Bucket"] == {"Ref": "WebBucket"}
    ]
    (allow,) = [s for s in policy if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert allow["Action"] == "s3:GetObject"
    assert allow["Resource"] == {"Fn::Sub": f"${{WebBucket.Arn}}/{assets.PREFIX}*"}
    source = allow["Condition"]["StringEquals"]["AWS:SourceArn"]
    assert referenced_ids(source) >= {"Distribution"}


# ---------------------------------------------------------------- schedule and alarms


def test_the_backup_runs_daily_at_two_utc(cfn: dict[str, Any]) -> None:
    (properties,) = [
        s["Properties"]
        for s in resources_of(cfn, "AWS::Scheduler::Schedule").values()
        if s["Properties"]["Target"]["Arn"] == {"Fn::GetAtt": ["BackupFunction", "Arn"]}
    ]
    assert properties["ScheduleExpression"] == "cron(0 2 * * ? *)"
    assert properties["ScheduleExpressionTimezone"] == "UTC"
    assert properties["Target"]["Arn"] == {"Fn::GetAtt": ["BackupFunction", "Arn"]}


def test_every_alarm_notifies_the_topic_and_the_topic_mails_the_operator(
    cfn: dict[str, Any],
) -> None:
    alarms = resources_of(cfn, "AWS::CloudWatch::Alarm")
    # Per app function: error rate, p99; API 5xx and 4xx rates, timeouts, backup, inventory.
    assert len(alarms) == 2 * len(APP_FUNCTIONS) + 5 + len(TABLES)
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"] == [TOPIC]
    (subscription,) = resources_of(cfn, "AWS::SNS::Subscription").values()
    assert subscription["Properties"] == {
        "TopicArn": TOPIC,
        "Protocol": "email",
        "Endpoint": {"Ref": "AlarmEmail"},
    }


def _metric(metrics: list[dict[str, Any]], metric_id: str) -> dict[str, Any]:
    stat: dict[str, Any] = next(m for m in metrics if m["Id"] == metric_id)["MetricStat"]
    return stat


@pytest.mark.parametrize("function", APP_FUNCTIONS)
def test_the_error_rate_alarm_fires_above_five_percent(cfn: dict[str, Any], function: str) -> None:
    alarm = _resource(cfn, f"{function}ErrorRateAlarm")
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", 5)
    metrics = alarm["Metrics"]
    (result,) = [m for m in metrics if m.get("ReturnData", True)]
    assert result["Expression"] == "IF(invocations > 0, 100 * errors / invocations, 0)"
    for metric_id, name in (("errors", "Errors"), ("invocations", "Invocations")):
        stat = _metric(metrics, metric_id)
        assert stat["Metric"]["MetricName"] == name
        assert stat["Metric"]["Dimensions"] == [
            {"Name": "FunctionName", "Value": {"Ref": function}}
        ]
        assert stat["Stat"] == "Sum"


def test_the_latency_alarms(cfn: dict[str, Any]) -> None:
    """The API's 5xx and 4xx rate alarms: tests/infra/test_observability.py."""
    for function in APP_FUNCTIONS:
        p99 = _resource(cfn, f"{function}P99DurationAlarm")
        assert (p99["MetricName"], p99["ExtendedStatistic"]) == ("Duration", "p99")
        assert p99["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": function}}]
        assert p99["Threshold"] == {"Ref": "DurationAlarmMilliseconds"}


def _dimension(value: Any) -> str:
    return str(value["Ref"]) if isinstance(value, dict) else str(value)


@pytest.mark.parametrize("spec", TABLES, ids=lambda spec: spec.suffix)
def test_each_table_has_a_throttling_alarm(cfn: dict[str, Any], spec: TableSpec) -> None:
    alarm = _resource(cfn, f"{_logical_id(spec)}ThrottleAlarm")
    stats = [m["MetricStat"] for m in alarm["Metrics"] if "MetricStat" in m]
    watched = {
        (
            s["Metric"]["MetricName"],
            tuple(_dimension(d["Value"]) for d in s["Metric"]["Dimensions"]),
        )
        for s in stats
    }
    table = _logical_id(spec)
    expected = {(f"{kind}ThrottleEvents", (table,)) for kind in ("Read", "Write")}
    expected |= {
        (f"{kind}ThrottleEvents", (table, index.name))
        for kind in ("Read", "Write")
        for index in spec.indexes
        if not index.local
    }
    assert watched == expected


# ---------------------------------------------------------------- parameters and outputs


def test_parameters_and_the_region_rule() -> None:
    template = sam_template()
    parameters = template["Parameters"]
    assert parameters["Region"]["Default"] == "eu-central-1"
    assert {"Stage", "DomainName", "AlarmEmail", "FunctionMemory", "FunctionTimeout"} <= set(
        parameters
    )
    (assertion,) = template["Rules"]["DeployRegion"]["Assertions"]
    assert assertion["Assert"] == {"Fn::Equals": [{"Ref": "AWS::Region"}, {"Ref": "Region"}]}


def test_the_outputs_the_asset_upload_reads_exist(cfn: dict[str, Any]) -> None:
    outputs = cfn["Outputs"]
    assert outputs[assets.BUCKET_OUTPUT]["Value"] == {"Ref": "WebBucket"}
    assert outputs[assets.DISTRIBUTION_OUTPUT]["Value"] == {"Ref": "Distribution"}
