"""Lambda cold start and deployment package size (issue 7).

Cold start: in fresh processes, interleaved round by round, the wall time of

- the floor that no FastAPI-on-Lambda app avoids: `python -c "import fastapi, boto3, mangum"`;
- `import carbontrack.lambda_handler` plus the first API Gateway REST event through `handler`,
  for `GET /api/health` and for `GET /api/entries` with a bearer token (user read, a page of
  entries queried).

A fresh process cannot keep moto's state cheaply, so the handler runs on the SQLite store: a
data directory prepared once, before timing, by a process that served `register` and `login`
through the same handler (catalogue synced, like a deployed stack's tables). The first event
therefore pays for the app's imports, `create_app` (catalogue checksums, store open, routes)
and FastAPI's first route matching, but no network: on Lambda, DynamoDB adds a client and its
round trips, and production a Secrets Manager client and one GetSecretValue (both measured
apart below as client construction, since no AWS is reachable). Every process has warm
bytecode caches. Target: the entries event at most 1.15x the floor. The heaviest imports
beyond the floor come from `python -X importtime` of the same first event.

Package size: `pip install --target <tmp> '.[aws]'` (no dev extras, no bytecode), unzipped,
attributed to distributions through their RECORD files. Target: under 40 MB. Lambda's own
limit is 250 MB unzipped for a zip package and its layers together.
"""

from __future__ import annotations

import csv
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.report import machine, table, verdict

TARGET_RATIO = 1.15
TARGET_MB = 40.0
LAMBDA_ZIP_LIMIT_MB = 250.0
ROOT = Path(__file__).resolve().parents[1]
FLOOR = "import fastapi, boto3, mangum"
KEY = "coldstart-bench-signing-key-0123456789abcdefghij"
EXPLORER = ("numpy", "scipy", "shapely")
IN_LAMBDA_RUNTIME = ("boto3", "botocore", "s3transfer")

# The child: import the handler, serve one event, report the two phases to a file (stderr
# carries -X importtime when asked for).
CHILD = """
import json, os, sys, time
started = time.perf_counter()
from carbontrack.lambda_handler import handler
imported = time.perf_counter()
from types import SimpleNamespace
context = SimpleNamespace(
    function_name="carbontrack-api", function_version="$LATEST", memory_limit_in_mb=512,
    invoked_function_arn="arn:aws:lambda:eu-central-1:123456789012:function:carbontrack-api",
    aws_request_id="c0ffee00-0000-4000-8000-000000000000",
)
replies = [handler(event, context) for event in json.loads(os.environ["BENCH_EVENTS"])]
served = time.perf_counter()
with open(os.environ["BENCH_RESULT"], "w") as out:
    json.dump({"import_s": imported - started, "event_s": served - imported,
               "replies": [[r["statusCode"], r["body"]] for r in replies]}, out)
"""


def rest_event(method: str, path: str, *, body: Any = None, token: str | None = None) -> Any:
    """A minimal API Gateway REST proxy event (payload 1.0) for `method path`."""
    headers = {"Host": "a1b2c3d4e5.execute-api.eu-central-1.amazonaws.com"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method,
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": {"proxy": path.lstrip("/")},
        "stageVariables": None,
        "requestContext": {
            "requestId": "3f1c1a2e-bench",
            "stage": "prod",
            "path": f"/prod{path}",
            "httpMethod": method,
            "identity": {"sourceIp": "198.51.100.7"},
        },
        "body": None if body is None else json.dumps(body),
        "isBase64Encoded": False,
    }


def _env(data_dir: Path, events: list[Any], result: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "CARBONTRACK_DATA_DIR": str(data_dir),
        "CARBONTRACK_JWT_SECRET": KEY,
        "BENCH_EVENTS": json.dumps(events),
        "BENCH_RESULT": str(result),
    }


def _child(env: dict[str, str], *flags: str) -> tuple[float, str]:
    """Run the child in a fresh interpreter: its wall time and its stderr."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *flags, "-c", CHILD],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return time.perf_counter() - started, done.stderr


def _prepare(work: Path) -> str:
    """A data directory with the catalogue and one user; return that user's token."""
    result = work / "setup.json"
    user = {"email": "bench@example.org", "password": "correct horse battery", "name": "B"}
    events = [
        rest_event("POST", "/api/register", body=user),
        rest_event("POST", "/api/login", body={k: user[k] for k in ("email", "password")}),
    ]
    _child(_env(work / "var", events, result))
    replies = json.loads(result.read_text())["replies"]
    assert [status for status, _ in replies] == [201, 200], replies
    token: str = json.loads(replies[1][1])["access_token"]
    return token


def measure_cold_start(repeats: int) -> dict[str, Any]:
    """Median wall times of fresh processes: the floor and the handler's first events."""
    with tempfile.TemporaryDirectory(prefix="carbontrack-coldstart-") as tmp:
        work = Path(tmp)
        token = _prepare(work)
        cases = {
            "GET /api/health": [rest_event("GET", "/api/health")],
            "GET /api/entries": [rest_event("GET", "/api/entries", token=token)],
        }
        walls: dict[str, list[float]] = {"floor": [], **{name: [] for name in cases}}
        phases: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        result = work / "result.json"
        for _ in range(repeats):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", FLOOR], cwd=ROOT, check=True, timeout=120)
            walls["floor"].append(time.perf_counter() - started)
            for name, events in cases.items():
                wall, _ = _child(_env(work / "var", events, result))
                reply = json.loads(result.read_text())
                assert reply["replies"][0][0] == 200, reply["replies"]
                walls[name].append(wall)
                phases[name].append((reply["import_s"], reply["event_s"]))
        _, importtime = _child(
            _env(work / "var", cases["GET /api/entries"], result), "-X", "importtime"
        )
    floor_modules = _importtime_floor()
    return {
        "walls": {name: statistics.median(values) for name, values in walls.items()},
        "phases": {
            name: tuple(statistics.median(p[i] for p in values) for i in (0, 1))
            for name, values in phases.items()
        },
        "heaviest": _heaviest_beyond(importtime, floor_modules),
        "xray_s": _extra_import("import aws_xray_sdk.core", repeats),
        "explorer_s": _extra_import("import numpy, scipy.spatial, shapely", repeats),
        "secrets_client_s": _extra_import(
            "boto3.client('secretsmanager', region_name='eu-central-1')", repeats, setup=True
        ),
    }


def _parse_importtime(stderr: str) -> list[tuple[str, int]]:
    """(module, self microseconds) for each line of `-X importtime` output."""
    pattern = re.compile(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)")
    return [(m[2], int(m[1])) for m in map(pattern.match, stderr.splitlines()) if m]


def _importtime_floor() -> set[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", FLOOR],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return {module for module, _ in _parse_importtime(done.stderr)}


def _heaviest_beyond(stderr: str, floor: set[str]) -> list[tuple[str, float]]:
    """Self import time of the modules the floor does not import, by package, largest first."""
    totals: Counter[str] = Counter()
    for module, self_us in _parse_importtime(stderr):
        if module in floor:
            continue
        parts = module.split(".")
        package = ".".join(parts[:2]) if parts[0] == "carbontrack" else parts[0]
        totals[package] += self_us
    return [(package, us / 1000) for package, us in totals.most_common(12)]


def _extra_import(statement: str, repeats: int, *, setup: bool = False) -> float:
    """Median seconds that `statement` adds to a process that has imported the floor."""
    prefix = "import boto3; " if setup else ""
    code = (
        f"import time; {FLOOR}; {prefix}t = time.perf_counter(); {statement}; "
        "print(time.perf_counter() - t)"
    )
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}
    times = []
    for _ in range(repeats):
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        times.append(float(done.stdout))
    return statistics.median(times)


def measure_package() -> dict[str, Any]:
    """Install the package and its runtime dependencies alone; sizes by distribution."""
    with tempfile.TemporaryDirectory(prefix="carbontrack-package-") as tmp:
        target = Path(tmp)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-compile",
                "--target",
                str(target),
                "-c",
                str(ROOT / "constraints.txt"),
                f"{ROOT}[aws]",
            ],
            check=True,
            capture_output=True,
            timeout=600,
        )
        total = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
        sizes = _sizes_by_distribution(target)
    return {"total_mb": total / 1e6, "by_distribution": {d: b / 1e6 for d, b in sizes.items()}}


def _sizes_by_distribution(target: Path) -> Counter[str]:
    sizes: Counter[str] = Counter()
    for record in target.glob("*.dist-info/RECORD"):
        name = record.parent.name.split("-")[0].lower().replace("_", "-")
        with record.open(newline="") as rows:
            for row in csv.reader(rows):
                path = target / row[0]
                if path.is_file():
                    sizes[name] += path.stat().st_size
    return sizes


def run(*, repeats: int = 5) -> bool:
    """Measure, print the tables; True if both targets are met."""
    print(f"\nLambda cold start ({repeats} fresh processes per case) and package size ...")
    cold = measure_cold_start(repeats)
    floor = cold["walls"]["floor"]
    print(f"{machine()}; SQLite store; warm bytecode caches; medians")
    rows = [["floor: " + FLOOR, f"{floor * 1000:.0f}", "", "", "1.00x", ""]]
    passed = True
    for name, (import_s, event_s) in cold["phases"].items():
        ratio = cold["walls"][name] / floor
        headline = name == "GET /api/entries"
        passed &= ratio <= TARGET_RATIO or not headline
        rows.append(
            [
                f"handler, first event {name}",
                f"{cold['walls'][name] * 1000:.0f}",
                f"{import_s * 1000:.0f}",
                f"{event_s * 1000:.0f}",
                f"{ratio:.2f}x",
                verdict(ratio <= TARGET_RATIO) if headline else "(info)",
            ]
        )
    headers = ["process", "wall ms", "import ms", "first event ms", "/ floor", "result"]
    print(table(headers, rows))
    print(
        f"target: first event GET /api/entries <= {TARGET_RATIO:g}x the floor. Not in these "
        f"figures: X-Ray SDK import with tracing on +{cold['xray_s'] * 1000:.0f} ms; a "
        f"Secrets Manager client +{cold['secrets_client_s'] * 1000:.0f} ms (production); "
        f"the explorer's numpy, scipy and shapely, now imported on first use, would add "
        f"+{cold['explorer_s'] * 1000:.0f} ms"
    )
    print("\nHeaviest imports beyond the floor (self time, python -X importtime, one run):")
    print(table(["package", "ms"], [[p, f"{ms:.1f}"] for p, ms in cold["heaviest"]]))

    package = measure_package()
    by_dist: dict[str, float] = package["by_distribution"]
    total = package["total_mb"]
    explorer = sum(by_dist.get(name, 0.0) for name in EXPLORER)
    runtime = sum(by_dist.get(name, 0.0) for name in IN_LAMBDA_RUNTIME)
    size_ok = total < TARGET_MB
    passed &= size_ok
    print(f"\nDeployment package: pip install '.[aws]' --target, unzipped, {len(by_dist)} dists")
    top = sorted(by_dist.items(), key=lambda item: -item[1])[:12]
    print(table(["distribution", "MB"], [[d, f"{mb:.1f}"] for d, mb in top]))
    print(
        f"total {total:.1f} MB (target < {TARGET_MB:g} MB: {verdict(size_ok)}; Lambda's zip "
        f"limit {LAMBDA_ZIP_LIMIT_MB:g} MB: {verdict(total < LAMBDA_ZIP_LIMIT_MB)}); "
        f"numpy+scipy+shapely {explorer:.1f} MB; boto3+botocore+s3transfer (in the Lambda "
        f"runtime) {runtime:.1f} MB; without both {total - explorer - runtime:.1f} MB"
    )
    return passed
