"""The AWS inventory on the stack: its function, its least-privilege role (exactly the calls the
collectors make, `ops.permissions`), the schedule, the alarm, the on-demand invoke, and the
role each inventoried account creates from infra/inventory-member-role.yaml."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest
from cfnlint.api import ManualArgs, lint
from pydantic import ValidationError
from samtranslator.yaml_helper import yaml_parse

from carbontrack import lambda_handler
from carbontrack.ops import permissions
from carbontrack.settings import Settings

from .template import REGION, ROOT, resources_of, sam_template, transformed
from .test_routing import _integrations, _resource_for

MEMBER_ROLE = ROOT / "infra" / "inventory-member-role.yaml"
LOG_ACTIONS = {"logs:CreateLogStream", "logs:PutLogEvents"}
INVENTORY_TABLES = [
    {"Fn::GetAtt": ["AwsInventoryDataTable", "Arn"]},
    {"Fn::GetAtt": ["AwsInventoryMetadataTable", "Arn"]},
]
FUNCTION_REF = {"Ref": "InventoryFunction"}
FUNCTION_ARN = {"Fn::GetAtt": ["InventoryFunction", "Arn"]}


@pytest.fixture(scope="module")
def cfn() -> dict[str, Any]:
    return transformed()


def _properties(cfn: dict[str, Any], name: str) -> dict[str, Any]:
    properties: dict[str, Any] = cfn["Resources"][name]["Properties"]
    return properties


def _policies(role: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Policy name -> statements; a conditional policy (If, policy, NoValue) as its policy."""
    found: dict[str, list[dict[str, Any]]] = {}
    for policy in role.get("Policies", []):
        policy = policy.get("Fn::If", [None, policy])[1]
        found[policy["PolicyName"]] = policy["PolicyDocument"]["Statement"]
    return found


def _actions(statements: list[dict[str, Any]]) -> set[str]:
    return {
        a
        for s in statements
        for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
    }


def test_the_role_reads_exactly_what_the_collectors_call(cfn: dict[str, Any]) -> None:
    policies = _policies(_properties(cfn, "InventoryFunctionRole"))
    assert policies["read-inventory"] == permissions.read_statements(cloudformation=True)
    everything = _actions([s for statements in policies.values() for s in statements])
    expected = set(permissions.read_actions()) | set(permissions.TABLE_ACTIONS)
    assert everything == expected | LOG_ACTIONS | {"sts:AssumeRole"}


def test_the_role_writes_the_two_inventory_tables_only(cfn: dict[str, Any]) -> None:
    statements = _policies(_properties(cfn, "InventoryFunctionRole"))["logs-and-inventory-tables"]
    (tables,) = [s for s in statements if s["Sid"] == "WriteInventoryTables"]
    assert set(tables["Action"]) == set(permissions.TABLE_ACTIONS)
    assert tables["Resource"] == INVENTORY_TABLES
    (logs,) = [s for s in statements if s["Sid"] == "WriteOwnLogGroup"]
    assert logs["Resource"] == {"Fn::Sub": "${InventoryFunctionLogGroup.Arn}"}


def test_the_role_assumes_only_the_configured_roles(cfn: dict[str, Any]) -> None:
    role = _properties(cfn, "InventoryFunctionRole")
    (conditional,) = [p["Fn::If"] for p in role["Policies"] if "Fn::If" in p]
    condition, policy, otherwise = conditional
    assert (condition, otherwise) == ("HasInventoryRoles", {"Ref": "AWS::NoValue"})
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert (statement["Action"], statement["Resource"]) == (
        "sts:AssumeRole",
        {"Ref": "InventoryRoleArns"},
    )
    assert "ManagedPolicyArns" not in role


def test_the_function_runs_15_minutes_on_arm64_from_the_core_package(cfn: dict[str, Any]) -> None:
    function = _properties(cfn, "InventoryFunction")
    assert function["Handler"] == "carbontrack.lambda_handler.inventory_handler"
    assert callable(lambda_handler.inventory_handler)
    assert (function["Timeout"], function["Architectures"], function["Runtime"]) == (
        900,
        ["arm64"],
        "python3.12",
    )
    source = sam_template()["Resources"]["InventoryFunction"]["Properties"]
    assert source["CodeUri"] == "../build/lambda/core"
    assert function["Role"] == {"Fn::GetAtt": ["InventoryFunctionRole", "Arn"]}
    assert function["LoggingConfig"] == {"LogGroup": {"Ref": "InventoryFunctionLogGroup"}}
    assert "TracingConfig" not in function
    (invoke_config,) = resources_of(cfn, "AWS::Lambda::EventInvokeConfig").values()
    assert invoke_config["Properties"]["MaximumRetryAttempts"] == 0


def test_the_function_is_configured_from_the_parameters(cfn: dict[str, Any]) -> None:
    env = _properties(cfn, "InventoryFunction")["Environment"]["Variables"]
    assert env["CARBONTRACK_INVENTORY_ROLE_ARNS"] == {
        "Fn::Join": [",", {"Ref": "InventoryRoleArns"}]
    }
    assert env["CARBONTRACK_INVENTORY_REGIONS"] == {"Ref": "InventoryRegions"}
    assert env["CARBONTRACK_PRIMARY_REGION"] == {
        "Fn::If": ["HasPrimaryRegion", {"Ref": "PrimaryRegion"}, {"Ref": "AWS::Region"}]
    }
    assert env["CARBONTRACK_INVENTORY_EXTERNAL_ID"]["Fn::If"][0] == "HasInventoryExternalId"
    assert env["POWERTOOLS_TRACE_DISABLED"] == "true"


@pytest.mark.parametrize("value", ["", "all", "eu-central-1", "eu-central-1,us-east-1"])
def test_the_regions_parameter_takes_what_the_settings_take(value: str) -> None:
    pattern = sam_template()["Parameters"]["InventoryRegions"]["AllowedPattern"]
    assert re.fullmatch(pattern, value)
    regions = Settings(inventory_regions=value).inventory_regions
    assert regions == (() if not value else tuple(value.split(",")))


@pytest.mark.parametrize("value", ["al", "all,eu-central-1", "EU-central-1", "eu-central"])
def test_the_regions_parameter_refuses_what_the_settings_refuse(value: str) -> None:
    pattern = sam_template()["Parameters"]["InventoryRegions"]["AllowedPattern"]
    assert not re.fullmatch(pattern, value)
    with pytest.raises(ValidationError):
        Settings(inventory_regions=value)


def test_roles_need_the_external_id() -> None:
    rule = sam_template()["Rules"]["InventoryRolesNeedExternalId"]
    assert rule["RuleCondition"] == {
        "Fn::Not": [{"Fn::EachMemberEquals": [{"Ref": "InventoryRoleArns"}, ""]}]
    }
    (assertion,) = rule["Assertions"]
    assert assertion["Assert"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "InventoryExternalId"}, ""]}]
    }


def test_the_schedule_runs_it_daily_at_two_utc(cfn: dict[str, Any]) -> None:
    (schedule,) = [
        s["Properties"]
        for s in resources_of(cfn, "AWS::Scheduler::Schedule").values()
        if s["Properties"]["Target"]["Arn"] == {"Fn::GetAtt": ["InventoryFunction", "Arn"]}
    ]
    assert schedule["ScheduleExpression"] == "cron(0 2 * * ? *)"
    assert schedule["ScheduleExpressionTimezone"] == "UTC"
    assert "Input" not in schedule["Target"]  # no runId: the handler's scheduled refresh


def test_a_failed_refresh_alarms_the_topic(cfn: dict[str, Any]) -> None:
    alarm = _properties(cfn, "InventoryFailedAlarm")
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == (
        "AWS/Lambda",
        "Errors",
        "Sum",
    )
    assert alarm["Dimensions"] == [{"Name": "FunctionName", "Value": FUNCTION_REF}]
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == (
        "GreaterThanOrEqualToThreshold",
        1,
    )
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_the_app_may_invoke_the_function_and_nothing_else(cfn: dict[str, Any]) -> None:
    invokes = [
        (name, s)
        for name, role in resources_of(cfn, "AWS::IAM::Role").items()
        for statements in _policies(role["Properties"]).values()
        for s in statements
        if "lambda:InvokeFunction" in _actions([s])
    ]
    inventory = {"Fn::GetAtt": ["InventoryFunction", "Arn"]}
    # The api's and the pages' roles, the one SAM gives each schedule to invoke its own
    # function, and the pre-traffic hooks' (the app functions' versions, test_deploys.py).
    assert sorted(
        (name, s["Action"], str(s["Resource"]))
        for name, s in invokes
        if name != "PreTrafficHookRole"
    ) == [
        ("ApiFunctionRole", "lambda:InvokeFunction", str(inventory)),
        ("BackupFunctionDailyRole", "lambda:InvokeFunction", str(_arn_of("BackupFunction"))),
        ("InventoryFunctionDailyRole", "lambda:InvokeFunction", str(inventory)),
        ("WebFunctionRole", "lambda:InvokeFunction", str(inventory)),
    ]
    (hooks,) = [s for name, s in invokes if name == "PreTrafficHookRole"]
    assert str(inventory) not in str(hooks["Resource"])


def _arn_of(function: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [function, "Arn"]}


@pytest.mark.parametrize("path", ["/api/inventory/refresh", "/ops/refresh"])
def test_each_refresh_route_reaches_a_function_that_invokes_the_collector(
    cfn: dict[str, Any], path: str
) -> None:
    integrations = _integrations(cfn)
    function = integrations[_resource_for(path, integrations)]
    env = _properties(cfn, function)["Environment"]["Variables"]
    assert env["CARBONTRACK_INVENTORY_FUNCTION"] == FUNCTION_REF
    assert (
        env["CARBONTRACK_PRIMARY_REGION"]
        == (
            _properties(cfn, "InventoryFunction")["Environment"]["Variables"][
                "CARBONTRACK_PRIMARY_REGION"
            ]
        )
    )
    role = f"{function}Role"
    assert _properties(cfn, function)["Role"] == {"Fn::GetAtt": [role, "Arn"]}
    assert any(
        "lambda:InvokeFunction" in _actions([s]) and s["Resource"] == FUNCTION_ARN
        for statements in _policies(_properties(cfn, role)).values()
        for s in statements
    )


# ---------------------------------------------------------------- the member-account role


@cache
def _member_text() -> str:
    return MEMBER_ROLE.read_text()


def _member() -> dict[str, Any]:
    return dict(yaml_parse(_member_text()))


def test_the_member_role_template_passes_cfn_lint() -> None:
    config = ManualArgs(regions=[REGION], include_checks=["I"])
    assert [
        f"{m.rule.id} line {m.linenumber}: {m.message}" for m in lint(_member_text(), config=config)
    ] == []


def test_the_member_role_holds_the_same_read_only_policy_and_nothing_else() -> None:
    role = _member()["Resources"]["InventoryRole"]["Properties"]
    assert _policies(role) == {"read-inventory": permissions.read_statements(cloudformation=True)}
    assert "ManagedPolicyArns" not in role
    assert not any(
        verb.startswith(("Put", "Create", "Update", "Delete", "Batch"))
        for verb in (a.split(":", 1)[1] for a in permissions.read_actions())
    )


def test_the_member_role_trusts_the_deployment_account_with_the_external_id() -> None:
    role = _member()["Resources"]["InventoryRole"]["Properties"]
    (statement,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {
        "AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${DeploymentAccountId}:root"}
    }
    assert statement["Action"] == "sts:AssumeRole"
    condition, with_role, without_role = statement["Condition"]["Fn::If"]
    external_id = {"sts:ExternalId": {"Ref": "ExternalId"}}
    assert condition == "HasTrustedRole"
    assert without_role == {"StringEquals": external_id}
    assert with_role == {
        "StringEquals": external_id,
        "ArnEquals": {"aws:PrincipalArn": {"Ref": "TrustedRoleArn"}},
    }
    assert _member()["Outputs"]["RoleArn"]["Value"] == {"Fn::GetAtt": ["InventoryRole", "Arn"]}


def test_the_member_role_lint_can_fail() -> None:
    """The lint above can fail: a role without its trust policy is an error."""
    broken = re.sub(
        r"      AssumeRolePolicyDocument:\n(        .*\n|          .*\n)+?      Policies:",
        "      Policies:",
        _member_text(),
    )
    assert broken != _member_text()
    config = ManualArgs(regions=[REGION])
    assert any(m.rule.id.startswith("E") for m in lint(broken, config=config))
