"""What the handler tells operators (JSON logs, EMF metrics, traces) and what it loads."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from carbontrack import lambda_handler

from .events import LambdaContext, rest_event
from .helpers import JWT_KEY, PASSWORD, Invoke, sign_in


def test_logs_are_json_with_the_request_ids_and_no_secrets(
    invoke: Invoke, capsys: pytest.CaptureFixture[str]
) -> None:
    first = rest_event("GET", "/api/health")
    context = LambdaContext()
    assert lambda_handler.handler(first, context)["statusCode"] == 200
    auth = sign_in(invoke, "logs@example.org")
    second = rest_event("GET", "/api/entries", headers=auth)
    assert invoke(second)["statusCode"] == 200
    out = capsys.readouterr().out
    lines = [json.loads(line) for line in out.splitlines()]

    requests = [line for line in lines if line.get("message") == "request"]
    assert [(r["method"], r["path"], r["status"]) for r in requests] == [
        ("GET", "/api/health", 200),
        ("POST", "/api/register", 201),
        ("POST", "/api/login", 200),
        ("GET", "/api/entries", 200),
    ]
    assert requests[0]["level"] == "INFO"
    assert requests[0]["service"] == "carbontrack"
    assert requests[0]["function_request_id"] == context.aws_request_id
    assert requests[0]["correlation_id"] == first["requestContext"]["requestId"]
    assert requests[-1]["correlation_id"] == second["requestContext"]["requestId"]
    assert [r["cold_start"] for r in requests] == [True, False, False, False]
    assert all(r["duration_ms"] >= 0 for r in requests)

    for secret in (PASSWORD, JWT_KEY, auth["Authorization"].split()[1]):
        assert secret not in out


def test_metrics_are_emf_with_one_cold_start(
    invoke: Invoke, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in ("/api/health", "/api/health", "/api/nothing-here"):
        invoke(rest_event("GET", path))
    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    emf = [blob for blob in blobs if "_aws" in blob]
    names = [
        metric["Name"]
        for blob in emf
        for directive in blob["_aws"]["CloudWatchMetrics"]
        for metric in directive["Metrics"]
    ]
    assert names.count("ColdStart") == 1
    assert names.count("ServerErrors") == 3
    assert {d["Namespace"] for b in emf for d in b["_aws"]["CloudWatchMetrics"]} == {"CarbonTrack"}
    cold = next(blob for blob in emf if "ColdStart" in blob)
    assert cold["function_name"] == "carbontrack-api"
    assert [blob["ServerErrors"] for blob in emf if "ServerErrors" in blob] == [[0.0]] * 3


def test_tracing_follows_powertools_rule() -> None:
    on_lambda = {"LAMBDA_TASK_ROOT": "/var/task"}
    assert lambda_handler.tracing_enabled(on_lambda)
    assert not lambda_handler.tracing_enabled({})
    assert not lambda_handler.tracing_enabled({**on_lambda, "AWS_SAM_LOCAL": "true"})
    assert not lambda_handler.tracing_enabled({**on_lambda, "POWERTOOLS_TRACE_DISABLED": "1"})
    assert not lambda_handler.tracing_enabled({**on_lambda, "POWERTOOLS_TRACE_DISABLED": "True"})
    assert lambda_handler.tracing_enabled({**on_lambda, "POWERTOOLS_TRACE_DISABLED": "false"})


def test_a_cold_start_serving_the_api_loads_no_explorer_or_tracing_library(
    tmp_path: Path,
) -> None:
    """Importing the handler and serving a first request leaves the heavy libraries unloaded."""
    script = textwrap.dedent(
        """
        import importlib, json, sys
        from carbontrack import lambda_handler
        events = importlib.import_module("tests.lambda.events")  # `lambda` is a keyword
        event, context = events.rest_event("GET", "/api/health"), events.LambdaContext()
        reply = lambda_handler.handler(event, context)
        heavy = ("numpy", "scipy", "shapely", "google.genai", "aws_xray_sdk", "moto", "pint")
        loaded = [name for name in heavy if name in sys.modules]
        print(json.dumps({"status": reply["statusCode"], "loaded": loaded}))
        """
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "CARBONTRACK_DATA_DIR": str(tmp_path / "var"),
        "CARBONTRACK_JWT_SECRET": JWT_KEY,
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=Path(__file__).parents[2],
    )
    result = json.loads(done.stdout.splitlines()[-1])
    assert result == {"status": 200, "loaded": []}
