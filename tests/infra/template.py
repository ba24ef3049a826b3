"""infra/template.yaml as CloudFormation sees it: parsed, packaged and transformed offline.

The transform is SAM's own (`samtranslator`'s `Translator`, what CloudFormation runs for
`Transform: AWS::Serverless-2016-10-31`), run here without an AWS account: the template
names no AWS-managed policy for SAM to look up (the roles are written out in full), so no
managed-policy map is needed, and the region comes from a local boto3 session.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import boto3
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator
from samtranslator.yaml_helper import yaml_parse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "infra" / "template.yaml"
EDGE_TEMPLATE = ROOT / "infra" / "edge.yaml"
REGION = "eu-central-1"
ALARM_EMAIL = "alarms@example.org"
# What `sam deploy` does before CloudFormation sees the template: each function's local
# CodeUri (../build/lambda) becomes the S3 object it uploaded the zipped package to.
PACKAGE_URI = "s3://carbontrack-artifacts/carbontrack-lambda.zip"


@cache
def template_text() -> str:
    """The SAM template as written."""
    return TEMPLATE.read_text()


def sam_template() -> dict[str, Any]:
    """The SAM template parsed (short-form tags as their long forms), a fresh copy."""
    return dict(yaml_parse(template_text()))


def edge_text() -> str:
    """infra/edge.yaml as written: plain CloudFormation for us-east-1, deployed first."""
    return EDGE_TEMPLATE.read_text()


def edge_template() -> dict[str, Any]:
    """infra/edge.yaml parsed (short-form tags as their long forms)."""
    return dict(yaml_parse(edge_text()))


def packaged(template: dict[str, Any]) -> dict[str, Any]:
    """The template as `sam deploy` uploads it: function code in S3."""
    out = copy.deepcopy(template)
    for resource in out["Resources"].values():
        if resource["Type"] == "AWS::Serverless::Function":
            resource["Properties"]["CodeUri"] = PACKAGE_URI
    return out


@cache
def _transformed() -> dict[str, Any]:
    translator = Translator(None, Parser(), boto_session=boto3.Session(region_name=REGION))
    result: dict[str, Any] = translator.translate(
        packaged(sam_template()), parameter_values={"AlarmEmail": ALARM_EMAIL}
    )
    return result


def transformed() -> dict[str, Any]:
    """The CloudFormation template SAM's transform makes of it (a fresh copy)."""
    return copy.deepcopy(_transformed())


def resources_of(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    """The template's resources of one type, by logical id."""
    return {name: r for name, r in template["Resources"].items() if r["Type"] == kind}


# Each app function's alias (AutoPublishAlias): what API Gateway invokes.
ALIAS = "live"


def alias_id(function: str) -> str:
    """The logical id SAM gives a function's alias: `ApiFunction` → `ApiFunctionAliaslive`."""
    return f"{function}Alias{ALIAS}"


def referenced_ids(value: Any) -> set[str]:
    """Every logical id or parameter an intrinsic in `value` refers to (Ref, GetAtt, Sub)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "Ref":
                found.add(str(item))
            elif key == "Fn::GetAtt":
                found.add(str(item[0] if isinstance(item, list) else item.split(".")[0]))
            elif key == "Fn::Sub":
                text = item[0] if isinstance(item, list) else item
                found |= {name.split(".")[0] for name in _sub_names(text)}
            else:
                found |= referenced_ids(item)
    elif isinstance(value, list):
        for item in value:
            found |= referenced_ids(item)
    return found


def _sub_names(text: str) -> list[str]:
    names: list[str] = []
    rest = text
    while "${" in rest:
        start = rest.index("${") + 2
        end = rest.index("}", start)
        names.append(rest[start:end])
        rest = rest[end + 1 :]
    return names
