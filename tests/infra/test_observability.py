"""The operator's view of the stack: the dashboard, the alarms and the budget (issue 17).

The dashboard's body is a `Fn::Sub` of JSON. It is resolved here as CloudFormation would,
with parameters at their defaults, pseudo parameters at fixed values and `${Resource}` at the
resource's logical id (a function's or a table's name stands for the resource), and every
metric it draws is checked against the metrics the stack's own resources emit.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from samtranslator.yaml_helper import yaml_parse

from carbontrack import lambda_handler

from .template import REGION, ROOT, resources_of, transformed

TOPIC = {"Ref": "AlarmTopic"}
EDGE_TEMPLATE = ROOT / "infra" / "edge.yaml"
WAF_REGION = "us-east-1"  # CloudFront's web ACLs and their metrics live there only
PSEUDO = {
    "AWS::Region": REGION,
    "AWS::AccountId": "123456789012",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
    "AWS::StackName": "carbontrack-prod",
}
# What each AWS service publishes for one resource (the dimensions are the resource's own).
LAMBDA_METRICS = {"Invocations", "Errors", "Throttles", "Duration", "ConcurrentExecutions"}
API_METRICS = {"Count", "4XXError", "5XXError", "Latency", "IntegrationLatency"}
TABLE_METRICS = {
    "ConsumedReadCapacityUnits",
    "ConsumedWriteCapacityUnits",
    "ReadThrottleEvents",
    "WriteThrottleEvents",
}
WAF_METRICS = {"AllowedRequests", "BlockedRequests", "CountedRequests"}
# Powertools' cold-start metric: one datum per cold start, dimensioned by the function's name.
COLD_START = "ColdStart"


@dataclass(frozen=True)
class Source:
    """Metrics one resource of the stack emits: where, under which names, with which dimensions."""

    region: str
    namespace: str
    names: frozenset[str]
    dimensions: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Drawn:
    """One metric a dashboard widget draws."""

    region: str
    namespace: str
    name: str
    dimensions: tuple[tuple[str, str], ...]


@pytest.fixture(scope="module")
def cfn() -> dict[str, Any]:
    return transformed()


# ---------------------------------------------------------------- resolving intrinsics


def resolve(value: Any, parameters: dict[str, Any]) -> str:
    """A string property as deployed: parameters at their defaults, a resource as its logical id."""
    if isinstance(value, str):
        return value
    if "Ref" in value:
        return _value_of(str(value["Ref"]), parameters)
    text = value["Fn::Sub"]
    return re.sub(r"\$\{([^}!]+)\}", lambda m: _value_of(m.group(1), parameters), text)


def _value_of(name: str, parameters: dict[str, Any]) -> str:
    if name in PSEUDO:
        return PSEUDO[name]
    if name in parameters:
        return str(parameters[name].get("Default", ""))
    return name


# ---------------------------------------------------------------- what the stack emits


def emitted(cfn: dict[str, Any]) -> list[Source]:
    """Every metric source the template's resources (and the edge stack's web ACL) create."""
    parameters = cfn["Parameters"]
    sources: list[Source] = []
    for name, function in resources_of(cfn, "AWS::Lambda::Function").items():
        sources.append(_source("AWS/Lambda", LAMBDA_METRICS, FunctionName=name))
        if function["Properties"]["Handler"].startswith("carbontrack.lambda_handler."):
            sources.append(
                _source(
                    lambda_handler.METRICS_NAMESPACE,
                    {COLD_START},
                    function_name=name,
                    service=lambda_handler.SERVICE,
                )
            )
    stages = resources_of(cfn, "AWS::ApiGateway::Stage").values()
    for api_id, api in resources_of(cfn, "AWS::ApiGateway::RestApi").items():
        api_name = resolve(api["Properties"]["Name"], parameters)
        for stage in stages:
            if stage["Properties"]["RestApiId"] == {"Ref": api_id}:
                stage_name = resolve(stage["Properties"]["StageName"], parameters)
                sources.append(
                    _source("AWS/ApiGateway", API_METRICS, ApiName=api_name, Stage=stage_name)
                )
    for table in resources_of(cfn, "AWS::DynamoDB::Table"):
        sources.append(_source("AWS/DynamoDB", TABLE_METRICS, TableName=table))
    for metric_filter in resources_of(cfn, "AWS::Logs::MetricFilter").values():
        for transformation in metric_filter["Properties"]["MetricTransformations"]:
            assert "Dimensions" not in transformation  # none yet: the check below needs none
            namespace = resolve(transformation["MetricNamespace"], parameters)
            sources.append(_source(namespace, {transformation["MetricName"]}))
    return sources + list(_web_acl_sources())


def _source(namespace: str, names: set[str], *, region: str = REGION, **dims: str) -> Source:
    return Source(region, namespace, frozenset(names), tuple(sorted(dims.items())))


def _web_acl_sources() -> Iterator[Source]:
    """The web ACL of the edge stack (us-east-1): its total (`ALL`) and each rule's metrics."""
    if not EDGE_TEMPLATE.exists():
        return
    edge = dict(yaml_parse(EDGE_TEMPLATE.read_text()))
    parameters = edge.get("Parameters", {})
    for acl in (r for r in edge["Resources"].values() if r["Type"] == "AWS::WAFv2::WebACL"):
        properties = acl["Properties"]
        acl_metric = resolve(properties["VisibilityConfig"]["MetricName"], parameters)
        rules = {"ALL"} | {
            resolve(rule["VisibilityConfig"]["MetricName"], parameters)
            for rule in _rules(properties.get("Rules", []))
        }
        for rule in rules:
            yield _source("AWS/WAFV2", WAF_METRICS, region=WAF_REGION, WebACL=acl_metric, Rule=rule)


def _rules(rules: list[Any]) -> Iterator[dict[str, Any]]:
    """A web ACL's rules, those behind a condition (`Fn::If`) included."""
    for rule in rules:
        branches = rule["Fn::If"][1:] if "Fn::If" in rule else [rule]
        yield from (branch for branch in branches if "VisibilityConfig" in branch)


def unknown_metrics(cfn: dict[str, Any], body: dict[str, Any]) -> list[Drawn]:
    """The metrics a dashboard body draws that no resource of the stack emits."""
    sources = emitted(cfn)
    return [
        metric
        for metric in drawn(body)
        if not any(
            (metric.region, metric.namespace, metric.dimensions)
            == (source.region, source.namespace, source.dimensions)
            and metric.name in source.names
            for source in sources
        )
    ]


# ---------------------------------------------------------------- what the dashboard draws


def dashboard_body(cfn: dict[str, Any]) -> dict[str, Any]:
    """The stack's one dashboard's body, resolved and parsed."""
    (dashboard,) = resources_of(cfn, "AWS::CloudWatch::Dashboard").values()
    body: dict[str, Any] = json.loads(
        resolve(dashboard["Properties"]["DashboardBody"], cfn["Parameters"])
    )
    return body


def drawn(body: dict[str, Any]) -> list[Drawn]:
    """Every metric of every metric widget (metric-math expressions left out)."""
    found: list[Drawn] = []
    for widget in body["widgets"]:
        if widget["type"] != "metric":
            continue
        properties = widget["properties"]
        previous: list[Any] = []
        for row in properties["metrics"]:
            fields = [item for item in row if not isinstance(item, dict)]
            options = next((item for item in row if isinstance(item, dict)), {})
            if "expression" in options:
                continue
            # "." repeats the field of the row above (the dashboard's shorthand).
            fields = [previous[i] if f == "." else f for i, f in enumerate(fields)]
            previous = fields
            namespace, name, *pairs = fields
            dimensions = tuple(sorted(zip(pairs[::2], pairs[1::2], strict=True)))
            region = options.get("region", properties["region"])
            found.append(Drawn(region, namespace, name, dimensions))
    return found


def _dimension_values(body: dict[str, Any], name: str, dimension: str) -> set[str]:
    return {dict(m.dimensions)[dimension] for m in drawn(body) if m.name == name}


# ---------------------------------------------------------------- the dashboard


def test_the_dashboard_draws_only_metrics_the_stack_emits(cfn: dict[str, Any]) -> None:
    body = dashboard_body(cfn)
    assert len(drawn(body)) > 50
    assert unknown_metrics(cfn, body) == []


def _broken(cfn: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """The dashboard's body with `old` replaced by `new` once (the stack itself untouched)."""
    cfn = copy.deepcopy(cfn)
    (dashboard,) = resources_of(cfn, "AWS::CloudWatch::Dashboard").values()
    text = dashboard["Properties"]["DashboardBody"]["Fn::Sub"]
    assert old in text
    dashboard["Properties"]["DashboardBody"]["Fn::Sub"] = text.replace(old, new, 1)
    return dashboard_body(cfn)


@pytest.mark.parametrize(
    ("old", "new", "unknown"),
    [
        ('"FunctionName", "${ApiFunction}"', '"FunctionName", "carbontrack-${Stage}-gone"', 1),
        ('"TableName", "${EntriesTable}"', '"TableName", "carbontrack-${Stage}-entries"', 1),
        ('"function_name", "${WebFunction}"', '"function_name", "${Stage}-web"', 1),
        ('"ApiName", "carbontrack-${Stage}"', '"ApiName", "carbontrack"', 1),
        ('"FunctionTimeouts"', '"Timeouts"', 1),
        # the whole WAF widget, drawn from the stack's region instead of CloudFront's
        ('"region": "us-east-1"', '"region": "${AWS::Region}"', 3),
    ],
    ids=["function", "table", "cold-start", "api", "custom-metric", "waf-region"],
)
def test_the_check_finds_a_metric_the_stack_does_not_emit(
    cfn: dict[str, Any], old: str, new: str, unknown: int
) -> None:
    """The check above can fail: a widget naming what the stack does not have is found."""
    assert len(unknown_metrics(cfn, _broken(cfn, old, new))) == unknown


def test_the_dashboard_shows_every_function_table_and_the_api(cfn: dict[str, Any]) -> None:
    body = dashboard_body(cfn)
    functions = set(resources_of(cfn, "AWS::Lambda::Function"))
    app = {"ApiFunction", "WebFunction", "ExplorerFunction"}
    durations = {
        (row[3], row[-1]["stat"])
        for widget in body["widgets"]
        if widget["type"] == "metric"
        for row in widget["properties"]["metrics"]
        if row[:3] == ["AWS/Lambda", "Duration", "FunctionName"]
    }
    assert durations == {(f, stat) for f in app for stat in ("p50", "p99")}
    assert _dimension_values(body, COLD_START, "function_name") == app
    assert _dimension_values(body, "Errors", "FunctionName") == functions & (
        app | {"BackupFunction", "InventoryFunction"}
    )
    assert _dimension_values(body, "Invocations", "FunctionName") == {
        "BackupFunction",
        "InventoryFunction",
    }
    tables = set(resources_of(cfn, "AWS::DynamoDB::Table"))
    for metric in TABLE_METRICS:
        assert _dimension_values(body, metric, "TableName") == tables
    for metric in ("Count", "4XXError", "5XXError"):
        assert _dimension_values(body, metric, "ApiName") == {"carbontrack-prod"}
    waf = [m for m in drawn(body) if m.namespace == "AWS/WAFV2"]
    assert {(m.region, m.name, dict(m.dimensions)["Rule"]) for m in waf} >= {
        (WAF_REGION, "BlockedRequests", "ALL")
    }
    assert "FunctionTimeouts" in {m.name for m in drawn(body)}


# ---------------------------------------------------------------- alarms


def test_every_alarm_notifies_the_topic(cfn: dict[str, Any]) -> None:
    alarms = resources_of(cfn, "AWS::CloudWatch::Alarm")
    assert len(alarms) > 20
    for name, alarm in alarms.items():
        assert TOPIC in alarm["Properties"]["AlarmActions"], name


@pytest.mark.parametrize(
    ("alarm_name", "metric", "threshold", "periods"),
    [("Api5xxRateAlarm", "5XXError", 1, 1), ("Api4xxRateAlarm", "4XXError", 20, 2)],
)
def test_the_api_error_rate_alarms_divide_errors_by_requests(
    cfn: dict[str, Any], alarm_name: str, metric: str, threshold: int, periods: int
) -> None:
    alarm = cfn["Resources"][alarm_name]["Properties"]
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanThreshold", threshold)
    assert (alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (periods, periods)
    assert alarm["TreatMissingData"] == "notBreaching"
    queries = {query["Id"]: query for query in alarm["Metrics"]}
    (result,) = [q for q in queries.values() if q.get("ReturnData", True)]
    assert result["Expression"] == "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)"
    api_dimensions = [
        {"Name": "ApiName", "Value": cfn["Resources"]["Api"]["Properties"]["Name"]},
        {"Name": "Stage", "Value": {"Ref": _stage_of(cfn, "Api")}},
    ]
    for query_id, name in (("errors", metric), ("requests", "Count")):
        stat = queries[query_id]["MetricStat"]
        assert stat["Metric"] == {
            "Namespace": "AWS/ApiGateway",
            "MetricName": name,
            "Dimensions": api_dimensions,
        }
        assert (stat["Stat"], stat["Period"]) == ("Sum", 300)


def _stage_of(cfn: dict[str, Any], api: str) -> str:
    stages = resources_of(cfn, "AWS::ApiGateway::Stage").items()
    (stage,) = [name for name, s in stages if s["Properties"]["RestApiId"] == {"Ref": api}]
    return stage


def test_no_alarm_counts_5xx_responses_any_more(cfn: dict[str, Any]) -> None:
    alarms = resources_of(cfn, "AWS::CloudWatch::Alarm").values()
    assert [a for a in alarms if a["Properties"].get("MetricName") == "5XXError"] == []


def test_every_app_function_log_feeds_the_timeout_alarm(cfn: dict[str, Any]) -> None:
    functions = resources_of(cfn, "AWS::Lambda::Function").values()
    logs = {
        f["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
        for f in functions
        if f["Properties"]["Handler"].startswith("carbontrack.lambda_handler.")
    }
    assert len(logs) == 5
    alarm = cfn["Resources"]["FunctionTimeoutAlarm"]["Properties"]
    watched = (alarm["Namespace"], alarm["MetricName"])
    filtered = {
        f["Properties"]["LogGroupName"]["Ref"]
        for f in resources_of(cfn, "AWS::Logs::MetricFilter").values()
        if f["Properties"]["FilterPattern"] == '"Task timed out"'
        and [
            (t["MetricNamespace"], t["MetricName"])
            for t in f["Properties"]["MetricTransformations"]
        ]
        == [watched]
    }
    assert filtered == logs
    assert (alarm["Statistic"], alarm["Threshold"]) == ("Sum", 1)
    assert alarm["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"


# ---------------------------------------------------------------- budget


def test_the_monthly_budget_warns_the_topic_at_80_and_100_percent(cfn: dict[str, Any]) -> None:
    (budget,) = resources_of(cfn, "AWS::Budgets::Budget").values()
    properties = budget["Properties"]
    assert properties["Budget"]["BudgetType"] == "COST"
    assert properties["Budget"]["TimeUnit"] == "MONTHLY"
    assert properties["Budget"]["BudgetLimit"] == {
        "Amount": {"Ref": "MonthlyBudgetUsd"},
        "Unit": "USD",
    }
    assert cfn["Parameters"]["MonthlyBudgetUsd"]["Default"] == 20
    notified = {
        (n["Notification"]["NotificationType"], n["Notification"]["Threshold"])
        for n in properties["NotificationsWithSubscribers"]
        if n["Notification"]["ThresholdType"] == "PERCENTAGE"
        and n["Notification"]["ComparisonOperator"] == "GREATER_THAN"
        and n["Subscribers"] == [{"SubscriptionType": "SNS", "Address": TOPIC}]
    }
    assert notified == {("ACTUAL", 80), ("ACTUAL", 100)}


def test_the_topic_lets_budgets_and_cloudwatch_publish(cfn: dict[str, Any]) -> None:
    (policy,) = resources_of(cfn, "AWS::SNS::TopicPolicy").values()
    assert policy["Properties"]["Topics"] == [TOPIC]
    publishers = {
        statement["Principal"]["Service"]
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
        if statement["Effect"] == "Allow"
        and statement["Action"] == "sns:Publish"
        and statement["Resource"] == TOPIC
        and statement["Condition"]["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}
    }
    assert publishers == {"budgets.amazonaws.com", "cloudwatch.amazonaws.com"}
