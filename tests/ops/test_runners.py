"""Where a refresh runs: the collector Lambda's event, and runs that fail before collecting."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.moto_api import recorder

from carbontrack.domain.errors import InvalidInput
from carbontrack.ops import runners, services
from carbontrack.ops.model import RefreshRun
from carbontrack.settings import Settings
from carbontrack.store.base import Store
from tests.backends import STORE_FACTORIES
from tests.ops.scene import ACCOUNT_A

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
FUNCTION_REGION = "us-west-2"  # the deployment's own region, not the primary one
COLLECTOR = "carbontrack-inventory"


@pytest.fixture
def store(aws_moto: None, tmp_path: Path) -> Iterator[Store]:
    opened = STORE_FACTORIES["sqlite"](tmp_path / "store")
    yield opened
    opened.close()


def test_the_collector_event_names_the_run_its_service_and_accounts() -> None:
    run = RefreshRun(run_id="r1", service="lambda", started_at=NOW)
    assert runners.payload(run, ("111111111111", "222222222222")) == {
        "runId": "r1",
        "service": "lambda",
        "accounts": ["111111111111", "222222222222"],
    }
    every = RefreshRun(run_id="r2", service=None, started_at=NOW)
    assert runners.payload(every, ()) == {"runId": "r2", "service": None, "accounts": None}


def test_a_collector_that_cannot_be_invoked_fails_the_run_and_blocks_nothing(
    store: Store, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "var", inventory_function="no-such-collector")
    runner = runners.runner_for(store=store, settings=settings)
    assert isinstance(runner, runners.LambdaRunner)
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        services.trigger_refresh(store=store, settings=settings, service="sns", runner=runner)
    failed = store.inventory_runs.latest()
    assert failed is not None
    assert (failed.service, failed.state, failed.finished_at is not None) == ("sns", "failed", True)
    started = services.trigger_refresh(
        store=store, settings=settings, service=None, runner=lambda run, accounts: None
    )
    assert store.inventory_runs.latest() == started


def test_a_run_whose_refresh_raises_ends_failed(store: Store, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "var")
    run = RefreshRun(run_id="r1", service="no-such-service", started_at=NOW)
    assert store.inventory_runs.start(run, stale_before=NOW)
    with pytest.raises(InvalidInput):
        services.run_refresh(
            store=store,
            settings=settings,
            run_id="r1",
            service="no-such-service",
            clock=lambda: NOW,
        )
    assert store.inventory_runs.latest() == RefreshRun(
        "r1", "no-such-service", NOW, finished_at=NOW, state="failed"
    )


def _collector(region: str) -> str:
    """The collector function, deployed in `region` (moto's Lambda without Docker runs it)."""
    trust = {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}
    role = boto3.client("iam").create_role(
        RoleName=f"{COLLECTOR}-{region}",
        AssumeRolePolicyDocument=json.dumps({"Statement": [{**trust, "Action": "sts:AssumeRole"}]}),
    )["Role"]["Arn"]
    created = boto3.client("lambda", region_name=region).create_function(
        FunctionName=COLLECTOR,
        Runtime="python3.12",
        Role=role,
        Handler="carbontrack.lambda_handler.handler",
        Code={"ZipFile": b"zip"},
    )
    return str(created["FunctionArn"])


def _invoked(store: Store, settings: Settings) -> tuple[RefreshRun, list[dict[str, Any]]]:
    """Trigger a refresh of SNS in the current account; the Invoke requests moto received.

    moto's Lambda without Docker answers any invoke, of a function it has or not, in any
    region: its recorder (./moto_recording) shows where the request went and what it said.
    """
    runner = runners.runner_for(store=store, settings=settings)
    recorder.reset_recording()
    recorder.start_recording()
    try:
        run = services.trigger_refresh(
            store=store,
            settings=settings,
            service="sns",
            accounts=(ACCOUNT_A,),
            runner=runner,
        )
    finally:
        recorder.stop_recording()
    entries = [json.loads(line) for line in recorder.download_recording().splitlines() if line]
    return run, [e for e in entries if e["url"].endswith("/invocations")]


def test_the_collector_is_invoked_async_in_the_functions_own_region(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):  # as Lambda sets them for the API
        monkeypatch.setenv(name, FUNCTION_REGION)
    monkeypatch.chdir(tmp_path)  # where moto's recorder writes
    settings = Settings(
        data_dir=tmp_path / "var", inventory_function=COLLECTOR, primary_region="eu-central-1"
    )
    with mock_aws(config={"lambda": {"use_docker": False}}):
        _collector(FUNCTION_REGION)
        run, [invoke] = _invoked(store, settings)
    assert invoke["url"].startswith(f"https://lambda.{FUNCTION_REGION}.amazonaws.com/")
    assert f"/functions/{COLLECTOR}/" in invoke["url"]
    assert invoke["headers"]["X-Amz-Invocation-Type"] == "Event"
    sent = json.loads(base64.b64decode(invoke["body"]))
    assert sent == {"runId": run.run_id, "service": "sns", "accounts": [ACCOUNT_A]}
    latest = store.inventory_runs.latest()
    assert latest is not None
    assert (latest.run_id, latest.state, latest.finished_at) == (run.run_id, "running", None)


def test_a_function_arn_names_the_collectors_region(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with mock_aws(config={"lambda": {"use_docker": False}}):
        arn = _collector("ap-southeast-2")  # neither the primary nor the default region
        settings = Settings(data_dir=tmp_path / "var", inventory_function=arn)
        _, [invoke] = _invoked(store, settings)
    assert invoke["url"].startswith("https://lambda.ap-southeast-2.amazonaws.com/")
