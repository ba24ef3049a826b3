"""`inventory_handler` on its schedule and on demand, refreshing a small scene in moto into the
deployment's inventory tables (`aws-inventory-data`, `aws-inventory-metadata`).

The scene is the deployment itself (its tables, secret and bucket) and one SNS topic, in one
region; every service is collected, which takes a few seconds on moto.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from moto.backends import get_backend
from moto.core import DEFAULT_ACCOUNT_ID, enable_iam_authentication

from carbontrack import lambda_handler
from carbontrack.domain.errors import InvalidInput
from carbontrack.ops import job
from carbontrack.ops.collectors import SERVICES
from carbontrack.ops.model import RefreshRun, Scope
from carbontrack.ops.services import STALE_RUN
from carbontrack.store.dynamodb import DynamoStore
from tests.backends import AWS_REGION
from tests.ops.scene import reset_moto

from .events import LambdaContext, scheduled_event
from .helpers import JWT_KEY

TOPIC = "carbontrack-alarms"
# Every scope of one account in one region: the regional services, the global ones, cost.
SCOPES = sum(1 for s in SERVICES if not s.is_global) + sum(1 for s in SERVICES if s.is_global) + 1
CONTEXT = LambdaContext(function_name="carbontrack-inventory")
DENIED_ACCOUNT = "333333333333"
DENIED_ROLE = f"arn:aws:iam::{DENIED_ACCOUNT}:role/carbontrack-inventory"


@pytest.fixture
def quiet_moto(aws_moto: None) -> Iterator[None]:
    """Only this test's resources in the services a refresh reads, before and after."""
    reset_moto()
    get_backend("scheduler").reset()
    yield
    reset_moto()
    get_backend("scheduler").reset()


@pytest.fixture
def inventory_env(
    quiet_moto: None, deployment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> DynamoStore:
    """The deployment, configured to inventory its own region, with an SNS topic in it."""
    for name, value in {
        "CARBONTRACK_INVENTORY_REGIONS": AWS_REGION,
        "CARBONTRACK_PRIMARY_REGION": AWS_REGION,
        "CARBONTRACK_INVENTORY_WORKERS": "4",
        "POWERTOOLS_METRICS_NAMESPACE": "CarbonTrack",
    }.items():
        monkeypatch.setenv(name, value)
    boto3.client("sns", region_name=AWS_REGION).create_topic(Name=TOPIC)
    return DynamoStore(region=AWS_REGION, prefix=deployment["CARBONTRACK_DYNAMODB_TABLE_PREFIX"])


def _inventory_metrics(out: str) -> dict[str, list[float]]:
    """The inventory's metrics in the EMF blobs the invocation printed."""
    blobs = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return {
        name: value
        for blob in blobs
        if "_aws" in blob
        for name, value in blob.items()
        if name.startswith("Inventory")
    }


def _topic_arn() -> str:
    return f"arn:aws:sns:{AWS_REGION}:{DEFAULT_ACCOUNT_ID}:{TOPIC}"


def test_the_schedule_refreshes_everything_into_the_inventory_tables(
    inventory_env: DynamoStore, capsys: pytest.CaptureFixture[str]
) -> None:
    result = lambda_handler.inventory_handler(scheduled_event("2026-11-22T02:00:00Z"), CONTEXT)

    assert (result["scopes"], result["failedScopes"], result["failures"]) == (SCOPES, 0, [])
    assert result["scheduled"] is True
    store = inventory_env
    tables = {r.resource_id for r in store.inventory.scope_resources(_scope("dynamodb"))}
    region_arn = f"arn:aws:dynamodb:{AWS_REGION}:{DEFAULT_ACCOUNT_ID}:table"
    assert {f"{region_arn}/aws-inventory-data", f"{region_arn}/aws-inventory-metadata"} <= tables
    # The exact table and keys of the inherited dashboard.
    item = boto3.client("dynamodb", region_name=AWS_REGION).get_item(
        TableName="aws-inventory-data",
        Key={"pk": {"S": f"sns#{DEFAULT_ACCOUNT_ID}#{AWS_REGION}"}, "sk": {"S": _topic_arn()}},
    )["Item"]
    assert item["resourceId"] == {"S": _topic_arn()}
    (secret,) = store.inventory.scope_resources(_scope("secretsmanager"))
    assert secret.data["name"] == f"{store.prefix}jwt"
    assert JWT_KEY not in json.dumps(secret.data)  # metadata only, never the value
    statuses = store.inventory.statuses(services=[s.name for s in SERVICES] + ["cost"])
    assert len(statuses) == SCOPES
    assert {s.state for s in statuses} == {"ok"}
    assert result["resources"] == sum(s.resource_count for s in statuses)
    run = store.inventory_runs.latest()
    assert run is not None
    assert run.run_id == result["runId"]
    assert (run.state, run.done, run.total, run.failed) == ("ok", SCOPES, SCOPES, 0)

    out = capsys.readouterr().out
    assert _inventory_metrics(out) == {
        "InventoryScopes": [SCOPES],
        "InventoryResources": [result["resources"]],
        "InventoryFailedScopes": [0],
        "InventoryFailedRuns": [0],
    }
    assert "inventory refreshed" in out


def _scope(service: str) -> Scope:
    return Scope(service, DEFAULT_ACCOUNT_ID, AWS_REGION)


def _user_who_may_not_assume(role_arn: str) -> tuple[str, str]:
    """An administrator who may not assume `role_arn` (moto checks STS calls' Resource)."""
    iam = boto3.client("iam")
    iam.create_user(UserName="inventory-test")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": role_arn},
        ],
    }
    iam.put_user_policy(
        UserName="inventory-test", PolicyName="all-but", PolicyDocument=json.dumps(policy)
    )
    key = iam.create_access_key(UserName="inventory-test")["AccessKey"]
    return key["AccessKeyId"], key["SecretAccessKey"]


def test_a_failing_scope_fails_the_invocation_after_the_rest_is_stored(
    inventory_env: DynamoStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One service (moto's IAM authentication mis-signs some REST services' calls) in two
    # accounts: this one, and one whose role the function may not assume.
    monkeypatch.setenv("CARBONTRACK_INVENTORY_ROLE_ARNS", DENIED_ROLE)
    store = inventory_env
    # What POST /api/inventory/refresh does before it invokes the function.
    started = RefreshRun(run_id="run-7", service="sns", started_at=datetime.now(UTC))
    assert store.inventory_runs.start(started, stale_before=started.started_at - STALE_RUN)
    key_id, secret = _user_who_may_not_assume(DENIED_ROLE)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key_id)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    monkeypatch.delenv("AWS_SECURITY_TOKEN", raising=False)
    # A new container's boto3: its default session has not cached the test's own credentials.
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    payload = {"runId": "run-7", "service": "sns", "accounts": None}

    with enable_iam_authentication(), pytest.raises(job.RefreshFailed) as failed:
        lambda_handler.inventory_handler(payload, CONTEXT)

    denied = Scope("sns", DENIED_ACCOUNT, AWS_REGION)
    assert "1 of 2 inventory scopes failed" in str(failed.value)
    assert f"{denied.pk} (AccessDenied: " in str(failed.value)
    by_scope = {s.scope: s for s in store.inventory.statuses(services=["sns"])}
    assert by_scope[denied].state == "failed"
    assert (by_scope[denied].error or "").startswith("AccessDenied: ")
    assert (by_scope[_scope("sns")].state, by_scope[_scope("sns")].resource_count) == ("ok", 1)
    assert [r.resource_id for r in store.inventory.scope_resources(_scope("sns"))] == [_topic_arn()]
    run = store.inventory_runs.latest()
    assert run is not None
    # The run itself is "ok": some scopes were collected (the page shows the one that failed).
    assert (run.run_id, run.state, run.failed, run.done, run.total) == ("run-7", "ok", 1, 2, 2)


def test_the_schedule_leaves_a_running_refresh_alone(inventory_env: DynamoStore) -> None:
    running = RefreshRun(run_id="run-8", service="sns", started_at=datetime.now(UTC))
    assert inventory_env.inventory_runs.start(running, stale_before=running.started_at)

    result = lambda_handler.inventory_handler(scheduled_event("2026-11-22T02:00:00Z"), CONTEXT)

    assert result["skipped"] is True
    latest = inventory_env.inventory_runs.latest()
    assert latest is not None
    assert (latest.run_id, latest.state) == ("run-8", "running")
    assert inventory_env.inventory.statuses(services=["sns"]) == []


def test_an_on_demand_refresh_of_one_service(inventory_env: DynamoStore) -> None:
    started = RefreshRun(run_id="run-9", service="sns", started_at=datetime.now(UTC))
    assert inventory_env.inventory_runs.start(started, stale_before=started.started_at)

    result = lambda_handler.inventory_handler({"runId": "run-9", "service": "sns"}, CONTEXT)

    assert (result["scopes"], result["resources"], result["service"]) == (1, 1, "sns")
    assert [r.resource_id for r in inventory_env.inventory.scope_resources(_scope("sns"))] == [
        _topic_arn()
    ]
    assert inventory_env.inventory.statuses(services=["dynamodb"]) == []
    latest = inventory_env.inventory_runs.latest()
    assert latest is not None
    assert (latest.state, latest.done, latest.total) == ("ok", 1, 1)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"runId": ""}, "runId"),
        ({"runId": "r1", "service": 3}, "service"),
        ({"runId": "r1", "accounts": "123456789012"}, "accounts"),
        ({"runId": "r1", "accounts": ["12345"]}, "accounts"),
    ],
)
def test_a_malformed_payload_is_refused(payload: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput, match=field):
        job.job_of(payload)


def test_an_unknown_service_fails_the_run(inventory_env: DynamoStore) -> None:
    started = RefreshRun(run_id="run-10", service="nope", started_at=datetime.now(UTC))
    assert inventory_env.inventory_runs.start(started, stale_before=started.started_at)

    with pytest.raises(InvalidInput, match="unknown service 'nope'"):
        lambda_handler.inventory_handler({"runId": "run-10", "service": "nope"}, CONTEXT)

    latest = inventory_env.inventory_runs.latest()
    assert latest is not None
    assert (latest.run_id, latest.state) == ("run-10", "failed")


def test_any_event_without_a_run_id_is_the_schedule() -> None:
    event = scheduled_event("2026-11-22T02:00:00Z")
    assert job.job_of(event) == job.Job(run_id=f"scheduled-{event['id']}", scheduled=True)
    # EventBridge Scheduler's default notification, or none at all.
    assert job.job_of({"source": "aws.scheduler", "id": "e1"}).run_id == "scheduled-e1"
    assert job.job_of({}).scheduled is True
    assert job.job_of({"runId": "r1", "accounts": ["123456789012"]}) == job.Job(
        run_id="r1", account_ids=("123456789012",)
    )
