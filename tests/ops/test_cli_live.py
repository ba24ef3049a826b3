"""`carbontrack ops` as an operator runs it: a subprocess against a real moto_server on
127.0.0.1, reached through the standard AWS_ENDPOINT_URL."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.live import serialized_moto_server, server_env
from tests.ops import scene

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": scene.PRIMARY,
}


def ops(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "carbontrack", "ops", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_ops_refresh_then_findings_json_against_moto_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serialized_moto_server() as url:
        aws = CREDENTIALS | {"AWS_ENDPOINT_URL": url}
        for name, value in aws.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
        monkeypatch.delenv("AWS_SECURITY_TOKEN", raising=False)
        built = scene.build(today=datetime.now(UTC).date(), moto_api=url)
        env = server_env(
            tmp_path / "var", aws | {"CARBONTRACK_INVENTORY_EXTERNAL_ID": scene.EXTERNAL_ID}
        )
        for name in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
            env.pop(name, None)
        refreshed = ops(
            env, "refresh", "--region", scene.PRIMARY, "--region", scene.LEGACY,
            "--role-arn", scene.ROLE_B,
        )  # fmt: skip
        assert refreshed.returncode == 0, refreshed.stdout + refreshed.stderr
        assert "scopes failed" in refreshed.stdout
        assert scene.ACCOUNT_B in refreshed.stdout
        findings = ops(env, "findings", "--json")
        inventory = ops(env, "inventory", "--json", "--service", "ec2")
        cost = ops(env, "cost", "--json")
    assert findings.returncode == 0, findings.stderr
    found = json.loads(findings.stdout)
    assert set(found[0]) == {
        "id", "kind", "severity", "accountId", "region", "resourceId", "reason", "fix", "control",
    }  # fmt: skip
    arn = f"arn:aws:dynamodb:{scene.LEGACY}:{scene.ACCOUNT_A}:table/"
    kinds = {(f["kind"], f["resourceId"]) for f in found}
    assert {("duplicate-table", arn + name) for name in scene.DUPLICATES} <= kinds
    assert {("legacy-table", arn + name) for name in scene.LEGACY_TABLES} <= kinds
    assert ("region-drift", built.drifted_lambda_arn) in kinds
    rows = json.loads(inventory.stdout)
    assert [row["pk"] for row in rows] == [f"ec2#{scene.ACCOUNT_B}#{scene.PRIMARY}"]
    assert set(rows[0]) == {
        "pk", "sk", "service", "accountId", "region", "resourceId", "data", "updatedAt", "ttl",
    }  # fmt: skip
    assert built.instance_id in rows[0]["sk"]
    report = json.loads(cost.stdout)
    assert {line["accountId"] for line in report["costExplorer"]} == {scene.ACCOUNT_A}
    assert report["estimatedAccounts"] == [scene.ACCOUNT_B]
