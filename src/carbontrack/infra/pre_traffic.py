"""CodeDeploy's pre-traffic hook: probe an app function's new version before it gets traffic.

A deploy publishes a new version of the api, web and explorer functions; before CodeDeploy
shifts the `live` alias (which API Gateway invokes) to it, it invokes this hook with
`{"DeploymentId", "LifecycleEventHookExecutionId"}`. The hook invokes the new version itself
(`CARBONTRACK_PRE_TRAFFIC_TARGET`, a qualified ARN) with API Gateway proxy events for its
part's probes (`CARBONTRACK_PRE_TRAFFIC_PART`), `GET /api/health` and one read-only request,
checks each status and body, and reports Succeeded or Failed to CodeDeploy: Failed stops the
deploy before any request reaches the version (docs/deploy-aws.md, "Deploys, canaries and
rollback"). It imports neither the app nor its settings: only boto3, which Lambda provides.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

logger = logging.getLogger(__name__)

Status = Literal["Succeeded", "Failed"]
PROBE_HOST = "pre-traffic.carbontrack.invalid"


def _health(body: str) -> str | None:
    found = json.loads(body)
    return None if found.get("status") == "ok" else f"status is {found.get('status')!r}"


def _factors(body: str) -> str | None:
    return None if json.loads(body).get("items") else "no factor found: is the catalogue loaded?"


def _anomaly_dates(body: str) -> str | None:
    return None if "dates" in json.loads(body) else "no dates in the answer"


def _login_page(body: str) -> str | None:
    return None if "<form" in body else "the page has no form"


@dataclass(frozen=True, slots=True)
class Probe:
    """One GET the new version must answer with 200 and a body that `check` finds no fault in."""

    path: str
    check: Callable[[str], str | None]
    query: Mapping[str, str] | None = None


HEALTH = Probe("/api/health", _health)
# Each part's probes: health, then a read of what that part serves (the api's touches the
# factor table; each function's first invocation also reads its JWT key and the catalogue's
# checksums, as every cold start does).
PROBES: dict[str, tuple[Probe, ...]] = {
    "api": (HEALTH, Probe("/api/factors", _factors, {"q": "rail", "limit": "1"})),
    "web": (HEALTH, Probe("/login", _login_page)),
    "explorer": (
        HEALTH,
        Probe("/api/anomalies/dates", _anomaly_dates, {"from": "2020-01-01", "to": "2020-12-31"}),
    ),
}


def proxy_event(probe: Probe) -> dict[str, Any]:
    """The API Gateway REST proxy event (payload 1.0) of `GET probe.path`."""
    headers = {"Accept": "*/*", "Host": PROBE_HOST, "User-Agent": "carbontrack-pre-traffic"}
    query = dict(probe.query) if probe.query else None
    return {
        "resource": "/{proxy+}",
        "path": probe.path,
        "httpMethod": "GET",
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": query,
        "multiValueQueryStringParameters": {k: [v] for k, v in query.items()} if query else None,
        "pathParameters": {"proxy": probe.path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "httpMethod": "GET",
            "path": probe.path,
            "protocol": "HTTP/1.1",
            "requestId": str(uuid.uuid4()),
            "resourcePath": "/{proxy+}",
            "stage": "pre-traffic",
            "identity": {"sourceIp": "127.0.0.1", "userAgent": "carbontrack-pre-traffic"},
        },
        "body": None,
        "isBase64Encoded": False,
    }


def problem_of(probe: Probe, reply: Mapping[str, Any]) -> str | None:
    """What is wrong with the version's reply to a probe, or None when it is right."""
    if "statusCode" not in reply:
        return f"GET {probe.path}: the function failed: {reply.get('errorMessage', reply)!r}"
    if reply["statusCode"] != 200:
        return f"GET {probe.path}: status {reply['statusCode']}"
    try:
        fault = probe.check(str(reply.get("body") or ""))
    except ValueError:
        fault = "the body is not JSON"
    return None if fault is None else f"GET {probe.path}: {fault}"


def probe_version(*, lambda_client: Any, target: str, part: str) -> list[str]:
    """Invoke the version `target` with each probe of `part`; the problems found."""
    problems: list[str] = []
    for probe in PROBES[part]:
        answer = lambda_client.invoke(
            FunctionName=target, Payload=json.dumps(proxy_event(probe)).encode()
        )
        reply = json.loads(answer["Payload"].read() or b"{}")
        if problem := problem_of(probe, reply if isinstance(reply, dict) else {}):
            problems.append(problem)
    return problems


def run(
    event: Mapping[str, Any],
    *,
    target: str,
    part: str,
    lambda_client: Any,
    codedeploy_client: Any,
) -> Status:
    """Probe `target` and report the outcome to the deployment of `event`; the status sent."""
    try:
        problems = probe_version(lambda_client=lambda_client, target=target, part=part)
    except Exception as error:  # any failure to probe (throttled, denied) fails the deploy
        problems = [f"probing failed: {error!r}"]
    status: Status = "Failed" if problems else "Succeeded"
    # WARNING: the level Lambda's Python runtime logs by default, so every outcome is kept.
    logger.warning("pre-traffic %s: %s", status, "; ".join(problems) or target)
    codedeploy_client.put_lifecycle_event_hook_execution_status(
        deploymentId=event["DeploymentId"],
        lifecycleEventHookExecutionId=event["LifecycleEventHookExecutionId"],
        status=status,
    )
    return status


def handler(event: dict[str, Any], context: object) -> dict[str, str]:
    """The Lambda entry point: CodeDeploy's BeforeAllowTraffic event."""
    import boto3

    status = run(
        event,
        target=os.environ["CARBONTRACK_PRE_TRAFFIC_TARGET"],
        part=os.environ["CARBONTRACK_PRE_TRAFFIC_PART"],
        lambda_client=boto3.client("lambda"),
        codedeploy_client=boto3.client("codedeploy"),
    )
    return {"status": status}
