"""Findings over a refreshed scene, and failures that are recorded without stopping the rest."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from moto.core import enable_iam_authentication

from carbontrack.ops import services
from carbontrack.ops.model import GLOBAL, Scope
from carbontrack.store.base import Store
from tests.ops import scene
from tests.ops.scene import ops_settings, refresh

ACCOUNT_C = "333333333333"
ROLE_C = f"arn:aws:iam::{ACCOUNT_C}:role/carbontrack-inventory"
ALLOW_ALL = {"Effect": "Allow", "Action": "*", "Resource": "*"}


def test_findings_name_each_duplicate_legacy_table_and_drifted_function(
    built: scene.Scene, store: Store, tmp_path: Path
) -> None:
    settings = ops_settings(tmp_path)
    refresh(store, settings, services=("dynamodb", "lambda"))
    found = services.findings(store=store, settings=settings)
    by_kind: dict[str, dict[str, str]] = {}
    for finding in found:
        if finding.account_id == scene.ACCOUNT_A and finding.region == scene.LEGACY:
            by_kind.setdefault(finding.kind, {})[finding.resource_id] = finding.reason
    table = f"arn:aws:dynamodb:{scene.LEGACY}:{scene.ACCOUNT_A}:table/"
    assert set(by_kind["duplicate-table"]) == {table + name for name in scene.DUPLICATES}
    assert set(by_kind["legacy-table"]) == {table + name for name in scene.LEGACY_TABLES}
    assert "4 items" in by_kind["legacy-table"][table + "carbontrack-emissions-production"]
    assert built.drifted_lambda_arn in by_kind["region-drift"]
    assert built.lambda_arn not in {f.resource_id for f in found if f.kind == "region-drift"}
    # The primary region's own copies are not findings.
    assert not [f for f in found if f.kind == "duplicate-table" and f.region == scene.PRIMARY]


def _iam_user_keys() -> tuple[str, str]:
    """An administrator in account A who may not assume account C's role (moto checks the
    Resource of STS calls): the refresh cannot reach account C at all."""
    iam = boto3.client("iam")
    iam.create_user(UserName="operator")
    deny = {"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": ROLE_C}
    policy = {"Version": "2012-10-17", "Statement": [ALLOW_ALL, deny]}
    iam.put_user_policy(UserName="operator", PolicyName="all", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="operator")["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def _deny_ec2_to_role_b() -> None:
    """Account B's inventory role may read everything but EC2."""
    deny = {"Effect": "Deny", "Action": "ec2:*", "Resource": "*"}
    document = {"Version": "2012-10-17", "Statement": [ALLOW_ALL, deny]}
    scene.session_b().client("iam").put_role_policy(
        RoleName="carbontrack-inventory", PolicyName="read", PolicyDocument=json.dumps(document)
    )


def _role_c() -> None:
    """Account C's role, trusting account A."""
    sts = boto3.client("sts")
    answer = sts.assume_role(RoleArn=ROLE_C, RoleSessionName="setup")["Credentials"]
    trust = {
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{scene.ACCOUNT_A}:root"},
        "Action": "sts:AssumeRole",
    }
    boto3.client(
        "iam",
        aws_access_key_id=answer["AccessKeyId"],
        aws_secret_access_key=answer["SecretAccessKey"],
        aws_session_token=answer["SessionToken"],
    ).create_role(
        RoleName="carbontrack-inventory",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [trust]}),
    )


def test_denied_scopes_and_an_unreachable_account_are_recorded_and_the_rest_refreshed(
    built: scene.Scene, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # moto evaluates IAM policies (Action and Effect) but not their Condition or Resource, so
    # the denial cannot name a region (aws:RequestedRegion): it is per service, in each region.
    _deny_ec2_to_role_b()
    _role_c()
    key_id, secret = _iam_user_keys()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    monkeypatch.delenv("AWS_SESSION_TOKEN")
    monkeypatch.delenv("AWS_SECURITY_TOKEN")
    settings = ops_settings(tmp_path)
    with enable_iam_authentication():
        outcome = refresh(store, settings, services=("ec2", "s3"), role_arns=(scene.ROLE_B, ROLE_C))
    failed = {s.scope: s.error or "" for s in outcome.failed}
    regions = (scene.PRIMARY, scene.LEGACY)
    denied = {Scope("ec2", scene.ACCOUNT_B, region) for region in regions}
    unreachable = {Scope("ec2", ACCOUNT_C, r) for r in regions} | {Scope("s3", ACCOUNT_C, GLOBAL)}
    assert set(failed) == denied | unreachable
    assert all(error.startswith("AccessDenied: ") for error in failed.values())
    assert "ec2:DescribeInstances" in failed[Scope("ec2", scene.ACCOUNT_B, scene.PRIMARY)]
    assert all("sts:AssumeRole" in failed[scope] for scope in unreachable)
    ok = {s.scope: s.resource_count for s in outcome.statuses if s.state == "ok"}
    assert set(ok) == {Scope("ec2", scene.ACCOUNT_A, r) for r in regions} | {
        Scope("s3", scene.ACCOUNT_A, GLOBAL),
        Scope("s3", scene.ACCOUNT_B, GLOBAL),
    }
    assert ok[Scope("s3", scene.ACCOUNT_B, GLOBAL)] == 1
    statuses = store.inventory.statuses(services=("ec2",))
    assert {s.scope for s in statuses if s.state == "failed"} == {
        scope for scope in failed if scope.service == "ec2"
    }
