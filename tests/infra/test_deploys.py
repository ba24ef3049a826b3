"""Safe deploys and least privilege, on the template SAM's transform makes of infra/template.yaml.

Each app function (api, web, explorer) is invoked by API Gateway through its `live` alias; a
deploy publishes a version, runs the function's pre-traffic hook on it, then CodeDeploy shifts
the alias to it (Canary10Percent5Minutes unless the DeploymentType parameter says otherwise)
and rolls back when the function's error-rate or p99-duration alarm goes off.
"""

from __future__ import annotations

import copy
from typing import Any

import boto3
import pytest
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator

from carbontrack.infra import pre_traffic
from carbontrack.infra import tables as tables_module
from carbontrack.store.dynamodb.tables import EMISSION_FACTORS, REASONING_CACHE

from .template import (
    ALARM_EMAIL,
    REGION,
    alias_id,
    packaged,
    referenced_ids,
    resources_of,
    sam_template,
    transformed,
)

# Each function that serves the app: the part it serves.
APP_FUNCTIONS = {"ApiFunction": "api", "WebFunction": "web", "ExplorerFunction": "explorer"}


@pytest.fixture(scope="module")
def cfn() -> dict[str, Any]:
    return transformed()


def _translate(template: dict[str, Any], **parameters: str) -> dict[str, Any]:
    translator = Translator(None, Parser(), boto_session=boto3.Session(region_name=REGION))
    result: dict[str, Any] = translator.translate(
        packaged(template), parameter_values={"AlarmEmail": ALARM_EMAIL, **parameters}
    )
    return result


def _properties(cfn: dict[str, Any], name: str) -> dict[str, Any]:
    properties: dict[str, Any] = cfn["Resources"][name]["Properties"]
    return properties


def deploy_faults(cfn: dict[str, Any], function: str) -> list[str]:
    """What keeps `function` from a safe deploy: alias, deployment group, alarms, hook."""
    resources = cfn["Resources"]
    alias = resources.get(alias_id(function))
    if alias is None or alias["Type"] != "AWS::Lambda::Alias":
        return [f"{function} has no alias"]
    faults: list[str] = []
    version = alias["Properties"]["FunctionVersion"]["Fn::GetAtt"][0]
    if resources[version]["Properties"]["FunctionName"] != {"Ref": function}:
        faults.append(f"{function}'s alias names another function's version")
    update = alias.get("UpdatePolicy", {}).get("CodeDeployLambdaAliasUpdate")
    if update is None:
        return [*faults, f"{function}'s alias is not updated by CodeDeploy"]
    name = function.removesuffix("Function")
    if update["BeforeAllowTrafficHook"] != {"Ref": f"{name}PreTrafficHook"}:
        faults.append(f"{function} has no pre-traffic hook")
    group = _properties(cfn, update["DeploymentGroupName"]["Ref"])
    alarms = [alarm["Name"] for alarm in group["AlarmConfiguration"]["Alarms"]]
    if alarms != [{"Ref": f"{function}ErrorRateAlarm"}, {"Ref": f"{function}P99DurationAlarm"}]:
        faults.append(f"{function}'s rollback alarms are {alarms}")
    if not group["AlarmConfiguration"]["Enabled"]:
        faults.append(f"{function}'s alarms are off")
    if "DEPLOYMENT_STOP_ON_ALARM" not in group["AutoRollbackConfiguration"]["Events"]:
        faults.append(f"{function} does not roll back on an alarm")
    return faults


@pytest.mark.parametrize("function", APP_FUNCTIONS)
def test_each_app_function_deploys_through_its_alias_with_hook_and_rollback_alarms(
    cfn: dict[str, Any], function: str
) -> None:
    assert deploy_faults(cfn, function) == []
    assert _properties(cfn, alias_id(function))["Name"] == "live"


def test_the_deploy_check_finds_a_function_deployed_all_at_once_without_alias() -> None:
    template = sam_template()
    for key in ("AutoPublishAlias", "DeploymentPreference"):
        del template["Resources"]["WebFunction"]["Properties"][key]
    assert deploy_faults(_translate(template), "WebFunction") == ["WebFunction has no alias"]


def test_the_deploy_check_finds_a_missing_rollback_alarm(cfn: dict[str, Any]) -> None:
    broken = copy.deepcopy(cfn)
    group = broken["Resources"]["ApiFunctionDeploymentGroup"]["Properties"]
    group["AlarmConfiguration"]["Alarms"].pop()
    assert len(deploy_faults(broken, "ApiFunction")) == 1


@pytest.mark.parametrize(
    ("parameters", "config"),
    [
        ({}, "Canary10Percent5Minutes"),
        ({"DeploymentType": "AllAtOnce"}, "AllAtOnce"),  # a development stage
    ],
)
def test_the_deployment_type_is_a_parameter_canary_by_default(
    parameters: dict[str, str], config: str
) -> None:
    cfn = _translate(sam_template(), **parameters)
    for function in APP_FUNCTIONS:
        group = _properties(cfn, f"{function}DeploymentGroup")
        assert group["DeploymentConfigName"] == {
            "Fn::Sub": ["CodeDeployDefault.Lambda${ConfigName}", {"ConfigName": config}]
        }


def test_api_gateway_invokes_the_aliases_only(cfn: dict[str, Any]) -> None:
    aliases = {alias_id(function) for function in APP_FUNCTIONS}
    invoked: list[set[str]] = []
    for verbs in _properties(cfn, "Api")["Body"]["paths"].values():
        for verb, spec in verbs.items():
            if verb != "options":
                invoked.append(referenced_ids(spec["x-amazon-apigateway-integration"]["uri"]))
    assert invoked
    assert all(len(ids & aliases) == 1 and not ids & set(APP_FUNCTIONS) for ids in invoked)
    permissions = [
        p["Properties"]
        for p in resources_of(cfn, "AWS::Lambda::Permission").values()
        if p["Properties"]["Principal"] == "apigateway.amazonaws.com"
    ]
    assert permissions
    assert {str(p["FunctionName"]) for p in permissions} == {
        str({"Ref": alias}) for alias in aliases
    }


@pytest.mark.parametrize(("function", "part"), APP_FUNCTIONS.items())
def test_each_hook_probes_the_new_version_of_its_function_as_its_part(
    cfn: dict[str, Any], function: str, part: str
) -> None:
    hook = _properties(cfn, f"{function.removesuffix('Function')}PreTrafficHook")
    env = hook["Environment"]["Variables"]
    (version,) = referenced_ids(env["CARBONTRACK_PRE_TRAFFIC_TARGET"])
    assert cfn["Resources"][version]["Type"] == "AWS::Lambda::Version"
    assert cfn["Resources"][version]["Properties"]["FunctionName"] == {"Ref": function}
    assert env["CARBONTRACK_PRE_TRAFFIC_PART"] == part
    app_part = _properties(cfn, function)["Environment"]["Variables"]["CARBONTRACK_APP_PARTS"]
    assert app_part == part
    assert part in pre_traffic.PROBES
    # SAM's CodeDeploy role (AWSCodeDeployRoleForLambda) may invoke CodeDeployHook_* only.
    assert hook["FunctionName"]["Fn::Sub"].startswith("CodeDeployHook_")
    assert hook["Role"] == {"Fn::GetAtt": ["PreTrafficHookRole", "Arn"]}


def _role_statements(cfn: dict[str, Any], role: str) -> list[dict[str, Any]]:
    """The role's inline statements and those of the policies attached to it."""
    found: list[dict[str, Any]] = []
    for policy in _properties(cfn, role).get("Policies", []):
        if "Fn::If" in policy:
            continue  # conditional policies: checked where they matter
        found += policy["PolicyDocument"]["Statement"]
    for policy in resources_of(cfn, "AWS::IAM::Policy").values():
        if {"Ref": role} in policy["Properties"]["Roles"]:
            found += policy["Properties"]["PolicyDocument"]["Statement"]
    return found


def _grants(cfn: dict[str, Any], role: str) -> set[tuple[str, str]]:
    return {
        (action, str(resource))
        for s in _role_statements(cfn, role)
        for action in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]])
        for resource in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])
    }


def test_the_hook_role_may_invoke_the_app_versions_and_report_only(cfn: dict[str, Any]) -> None:
    grants = {(a, r) for a, r in _grants(cfn, "PreTrafficHookRole") if not a.startswith("logs:")}
    report = (
        "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:"
        "${ServerlessDeploymentApplication}/*"
    )
    assert grants == {
        *(
            ("lambda:InvokeFunction", str({"Fn::Sub": f"${{{function}.Arn}}:*"}))
            for function in APP_FUNCTIONS
        ),
        ("codedeploy:PutLifecycleEventHookExecutionStatus", str({"Fn::Sub": report})),
    }


def test_the_explorer_reaches_the_catalogue_and_its_cache_only(cfn: dict[str, Any]) -> None:
    tables = {
        r for action, r in _grants(cfn, "ExplorerFunctionRole") if action.startswith("dynamodb:")
    }
    logical = {tables_module.logical_id(spec) for spec in (EMISSION_FACTORS, REASONING_CACHE)}
    assert tables == {
        *(str({"Fn::GetAtt": [name, "Arn"]}) for name in logical),
        str({"Fn::Sub": "${EmissionFactorsTable.Arn}/index/category-index"}),
    }
    assert "lambda:InvokeFunction" not in {a for a, _ in _grants(cfn, "ExplorerFunctionRole")}


def test_bedrock_only_for_the_explorer_and_only_when_chosen(cfn: dict[str, Any]) -> None:
    conditional: dict[str, list[Any]] = {}
    for name, role in resources_of(cfn, "AWS::IAM::Role").items():
        text = str(role["Properties"])
        assert ("bedrock:" in text) == (name == "ExplorerFunctionRole"), name
        conditional[name] = [
            p["Fn::If"] for p in role["Properties"].get("Policies", []) if "Fn::If" in p
        ]
    (bedrock,) = conditional["ExplorerFunctionRole"]
    assert bedrock[0] == "UseBedrock"
    assert bedrock[2] == {"Ref": "AWS::NoValue"}
    assert "bedrock:" not in str(_role_statements(cfn, "ExplorerFunctionRole"))


def test_the_explorer_and_the_backup_have_reserved_concurrency(cfn: dict[str, Any]) -> None:
    assert _properties(cfn, "ExplorerFunction")["ReservedConcurrentExecutions"] == {
        "Fn::If": [
            "ReservesConcurrency",
            {"Ref": "ExplorerReservedConcurrency"},
            {"Ref": "AWS::NoValue"},
        ]
    }
    assert cfn["Parameters"]["ExplorerReservedConcurrency"]["Default"] == 10
    assert _properties(cfn, "BackupFunction")["ReservedConcurrentExecutions"] == {
        "Fn::If": ["ReservesConcurrency", 1, {"Ref": "AWS::NoValue"}]
    }
    # 0 reserves nothing (an account whose quota cannot spare it); anything else reserves.
    assert cfn["Conditions"]["ReservesConcurrency"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "ExplorerReservedConcurrency"}, 0]}]
    }
    for function in ("ApiFunction", "WebFunction"):
        assert "ReservedConcurrentExecutions" not in _properties(cfn, function)


def test_api_gateway_execution_logs_errors_only_to_a_group_with_retention(
    cfn: dict[str, Any],
) -> None:
    (settings,) = _properties(cfn, "ApiStage")["MethodSettings"]
    assert (settings["LoggingLevel"], settings["DataTraceEnabled"]) == ("ERROR", False)
    group = _properties(cfn, "ApiExecutionLogGroup")
    # The name API Gateway writes to: API-Gateway-Execution-Logs_{restApiId}/{stage}.
    assert group["LogGroupName"] == {"Fn::Sub": "API-Gateway-Execution-Logs_${Api}/${Stage}"}
    assert _properties(cfn, "ApiStage")["StageName"] == {"Ref": "Stage"}
    assert group["RetentionInDays"] == {"Ref": "LogRetentionDays"}
