"""The pre-traffic hook as a handler: it probes a function version in moto, reports to CodeDeploy.

What runs for real: the hook's own code and both boto3 clients; the version is a function
published in moto's Lambda, invoked through boto3; each reply is the real app's (the
`handler` of lambda_handler.py on DynamoDB in moto) to the very event the hook sends. Two
things moto cannot do are bridged, and only those: it runs no function code without Docker,
so its Docker-less Lambda answers with the replies the app gave, queued in moto's own results
queue; and moto 5.2 has no CodeDeploy `PutLifecycleEventHookExecutionStatus`, so the request
the real codedeploy client serialises is captured at its send and answered 200 (botocore has
validated its parameters against the service model by then).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from moto.awslambda_simple.models import lambda_simple_backends
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.config import default_user_config
from moto.core.models import botocore_stubber

from carbontrack import lambda_handler
from carbontrack.infra import pre_traffic
from tests.backends import AWS_REGION

from .events import LambdaContext
from .test_package import run_in_core_package

EVENT = {"DeploymentId": "d-ABCDEF123", "LifecycleEventHookExecutionId": "eyJ-hook-execution"}
REPORT_TARGET = "CodeDeploy_20141006.PutLifecycleEventHookExecutionStatus"


@pytest.fixture
def docker_less_lambda(aws_moto: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """moto's Lambda without Docker; its queue of replies, emptied again after the test."""
    monkeypatch.setitem(default_user_config["lambda"], "use_docker", False)
    queue = lambda_simple_backends[DEFAULT_ACCOUNT_ID][AWS_REGION].lambda_simple_results_queue
    queue.clear()
    yield queue
    queue.clear()


@pytest.fixture
def version_arn(docker_less_lambda: list[str]) -> str:
    """A function in moto with a freshly published version: what the deploy just made."""
    role = boto3.client("iam").create_role(
        RoleName="carbontrack-test-app",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )["Role"]["Arn"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("placeholder.py", "")
    client = boto3.client("lambda", region_name=AWS_REGION)
    client.create_function(
        FunctionName="carbontrack-test-api",
        Runtime="python3.12",
        Role=role,
        Handler="carbontrack.lambda_handler.handler",
        Code={"ZipFile": archive.getvalue()},
    )
    arn: str = client.publish_version(FunctionName="carbontrack-test-api")["FunctionArn"]
    return arn


@pytest.fixture
def reports() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def invoked() -> list[str]:
    return []


@pytest.fixture
def lambda_client(invoked: list[str]) -> Any:
    """moto's Lambda through a real client; each invoked function's name as the URL names it."""
    client = boto3.client("lambda", region_name=AWS_REGION)

    def note(request: Any, **_: Any) -> None:
        invoked.append(unquote(request.url.rsplit("/", 2)[-2]))

    client.meta.events.register("before-send.lambda.Invoke", note)
    return client


@pytest.fixture
def codedeploy(reports: list[dict[str, Any]]) -> Any:
    """A real codedeploy client whose one call moto lacks is captured as sent."""
    client = boto3.client("codedeploy", region_name=AWS_REGION)
    _capture_reports(client.meta.events, reports)
    return client


def _capture_reports(events: Any, reports: list[dict[str, Any]]) -> None:
    """Requests go to moto, except the hook's report: it is kept in `reports` and answered 200.

    botocore sends a request to every `before-send` handler, so the report must not reach
    moto's (which raises NotImplementedError): this handler takes its place and hands moto
    every other request.
    """

    def send(request: Any, **kwargs: Any) -> Any:
        target = request.headers.get("X-Amz-Target", b"")
        if (target.decode() if isinstance(target, bytes) else target) != REPORT_TARGET:
            return botocore_stubber(request=request, **kwargs)
        reports.append(json.loads(request.body))
        return AWSResponse(request.url, 200, {}, _Raw(b'{"lifecycleEventHookExecutionId": "x"}'))

    events.unregister("before-send", botocore_stubber)
    events.register("before-send", send)


class _Raw(io.BytesIO):
    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.getvalue()


def _app_replies(part: str, served: str, queue: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Queue the replies of the app serving `served` to the probes of `part`, in order."""
    monkeypatch.setenv("CARBONTRACK_APP_PARTS", served)
    for probe in pre_traffic.PROBES[part]:
        try:
            reply = lambda_handler.handler(pre_traffic.proxy_event(probe), LambdaContext())
        except Exception as error:  # as the Lambda runtime reports an unhandled error
            reply = {"errorMessage": str(error), "errorType": type(error).__name__}
        queue.append(json.dumps(reply))


@pytest.mark.parametrize("part", ["api", "web", "explorer"])
def test_a_healthy_version_is_reported_succeeded(
    deployment: dict[str, str],
    docker_less_lambda: list[str],
    version_arn: str,
    lambda_client: Any,
    codedeploy: Any,
    reports: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    invoked: list[str],
    part: str,
) -> None:
    _app_replies(part, part, docker_less_lambda, monkeypatch)
    assert all(json.loads(r)["statusCode"] == 200 for r in docker_less_lambda)
    status = pre_traffic.run(
        EVENT,
        target=version_arn,
        part=part,
        lambda_client=lambda_client,
        codedeploy_client=codedeploy,
    )
    assert status == "Succeeded"
    assert invoked == [version_arn] * len(pre_traffic.PROBES[part])
    assert docker_less_lambda == [], "every probe reached the version"
    assert reports == [
        {
            "deploymentId": EVENT["DeploymentId"],
            "lifecycleEventHookExecutionId": EVENT["LifecycleEventHookExecutionId"],
            "status": "Succeeded",
        }
    ]


def test_a_version_serving_the_wrong_part_is_reported_failed(
    deployment: dict[str, str],
    docker_less_lambda: list[str],
    version_arn: str,
    lambda_client: Any,
    codedeploy: Any,
    reports: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A deploy that gave the api function the web part's environment: /api/factors is 404."""
    _app_replies("api", "web", docker_less_lambda, monkeypatch)
    status = pre_traffic.run(
        EVENT,
        target=version_arn,
        part="api",
        lambda_client=lambda_client,
        codedeploy_client=codedeploy,
    )
    assert (status, [r["status"] for r in reports]) == ("Failed", ["Failed"])


def test_a_version_that_cannot_start_is_reported_failed(
    deployment: dict[str, str],
    docker_less_lambda: list[str],
    version_arn: str,
    lambda_client: Any,
    codedeploy: Any,
    reports: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its tables are missing (a wrong prefix): the app fails at its start, on every probe."""
    monkeypatch.setenv("CARBONTRACK_DYNAMODB_TABLE_PREFIX", "missing-")
    _app_replies("api", "api", docker_less_lambda, monkeypatch)
    assert all("errorMessage" in json.loads(r) for r in docker_less_lambda)
    status = pre_traffic.run(
        EVENT,
        target=version_arn,
        part="api",
        lambda_client=lambda_client,
        codedeploy_client=codedeploy,
    )
    assert (status, [r["status"] for r in reports]) == ("Failed", ["Failed"])


def test_the_handler_reads_its_target_from_the_environment_and_reports(
    deployment: dict[str, str],
    docker_less_lambda: list[str],
    version_arn: str,
    reports: list[dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _app_replies("explorer", "explorer", docker_less_lambda, monkeypatch)
    monkeypatch.setenv("CARBONTRACK_PRE_TRAFFIC_TARGET", version_arn)
    monkeypatch.setenv("CARBONTRACK_PRE_TRAFFIC_PART", "explorer")
    session = boto3.Session(region_name=AWS_REGION)
    _capture_reports(session.events, reports)
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", session)
    assert pre_traffic.handler(EVENT, LambdaContext()) == {"status": "Succeeded"}
    assert [r["status"] for r in reports] == ["Succeeded"]


def test_the_hook_runs_from_the_core_package_without_importing_the_app(tmp_path: Path) -> None:
    """Its cold start loads boto3 (Lambda's runtime) and none of the app's libraries."""
    script = (
        "import json, sys\n"
        "from carbontrack.infra import pre_traffic\n"
        "assert callable(pre_traffic.handler)\n"
        "print(json.dumps(sorted({'fastapi', 'pydantic', 'mangum'} & set(sys.modules))))\n"
    )
    assert run_in_core_package(script, tmp_path) == []
