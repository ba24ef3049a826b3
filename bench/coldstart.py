"""Lambda cold start and deployment package size (issue 7), measured on what ships.

The packages are built with `carbontrack.infra.package` for this machine's Python (`--host`),
and every process runs as on Lambda: `python -S` (no site-packages) with PYTHONPATH the
package (Lambda's /var/task) and then a directory holding only boto3 (/var/runtime, the
runtime's boto3). In fresh processes, interleaved round by round, the wall time of

- the floor that no FastAPI-on-Lambda app avoids: `python -c "import fastapi, boto3, mangum"`,
  and, to read the DynamoDB figures by, the floor plus building one DynamoDB client;
- `import carbontrack.lambda_handler` plus the first API Gateway REST event through `handler`,
  for each function of the stack: the API function (`CARBONTRACK_APP_PARTS=api`) on DynamoDB
  served by a moto server on 127.0.0.1 (the headline: `GET /api/entries` with a bearer
  token, a user read and a page of entries queried), on SQLite, the web function and the
  explorer's, and for comparison one function serving every part as before this issue.

The tables and one user are made before the clock starts (register and login through the same
handler, which also syncs the catalogue, like a deployed stack's tables). Each first event pays
for the app's imports, `create_app` (catalogue check, store, routes), a boto3 client and its
calls to DynamoDB on loopback, FastAPI's first route matching, and Powertools. Not measured:
network latency to DynamoDB, and the production Secrets Manager client (printed apart).
Every process has warm bytecode caches (the directories are writable here; see
docs/benchmarks.md for Lambda), and none is timed tearing down: a Lambda process does not exit
after its first event, so each ends with `os._exit` once its work is done. Target: the API
function's `GET /api/entries` at most 1.15x the floor. The heaviest imports beyond the floor
come from `python -X importtime`.

Issue 18 reads two more ratios from the same run: a process that only imports the handler
against the floor (target 1.10x), and the headline against the floor with a DynamoDB client
(target 1.3x). `--coldstart-quick` measures only those processes and skips the explorer's
package and the package sizes.

Package size: the Lambda packages themselves (python3.12, arm64), unzipped, by distribution.
Target: the API function's package under 40 MB. Lambda's limit is 250 MB unzipped.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.moto_serial import FAKE_AWS
from bench.report import machine, table, verdict
from bench.server import HOST, free_port
from carbontrack.infra.package import LAMBDA_ZIP_LIMIT_MB, PACKAGES, build

TARGET_RATIO = 1.15
IMPORT_TARGET = 1.10  # issue 18: the handler's import against the floor
FIRST_EVENT_TARGET = 1.3  # issue 18: the headline against the floor with a DynamoDB client
TARGET_MB = 40.0
ROOT = Path(__file__).resolve().parents[1]
FLOOR = "import fastapi, boto3, mangum"
# For reading the DynamoDB figures: the floor plus the one client a DynamoDB app must build.
FLOOR_CLIENT = FLOOR + "; boto3.client('dynamodb', region_name='eu-central-1')"
KEY = "coldstart-bench-signing-key-0123456789abcdefghij"
HEADLINE = "api function, DynamoDB: GET /api/entries"
HANDLER_IMPORT = "import carbontrack.lambda_handler"

# A Lambda process never exits after its first event, so no process here pays for the
# interpreter's teardown (100-170 ms on this machine, growing with the objects alive): each one
# ends with os._exit once its work is done (stderr flushed: it carries -X importtime).
EXIT = "import os, sys; sys.stderr.flush(); os._exit(0)"
# The child: import the handler, serve the events, report the two phases to a file.
CHILD = (
    """
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
    + EXIT
)


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


@dataclass(frozen=True)
class Lambda:
    """Where a process finds its code: a package directory and the runtime's boto3."""

    package: Path
    runtime: Path

    def env(self, **extra: str) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": f"{self.package}{os.pathsep}{self.runtime}",
            **FAKE_AWS,
            **extra,
        }

    def run(self, code: str, env: dict[str, str], *flags: str) -> tuple[float, str]:
        """Run `code` in a fresh `python -S`: its wall time and its stderr."""
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-S", *flags, "-c", code],
            env=env,
            cwd=self.package,
            capture_output=True,
            text=True,
            timeout=120,
        )
        wall = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"child failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return wall, done.stderr


@dataclass(frozen=True)
class Case:
    """One function's first event: its code, its settings and the events it serves."""

    name: str
    where: Lambda
    settings: dict[str, str]
    events: list[Any]
    status: int = 200


def _store_settings(store: str, data_dir: Path, moto_url: str) -> dict[str, str]:
    settings = {"CARBONTRACK_DATA_DIR": str(data_dir), "CARBONTRACK_JWT_SECRET": KEY}
    if store == "dynamodb":
        settings |= {
            "CARBONTRACK_STORE": "dynamodb",
            "CARBONTRACK_DYNAMODB_ENDPOINT_URL": moto_url,
            "CARBONTRACK_DYNAMODB_TABLE_PREFIX": "bench-",
        }
    return settings


def _serve(case: Case, result: Path, *flags: str) -> tuple[float, str, dict[str, Any]]:
    env = case.where.env(
        **case.settings, BENCH_EVENTS=json.dumps(case.events), BENCH_RESULT=str(result)
    )
    wall, stderr = case.where.run(CHILD, env, *flags)
    reply: dict[str, Any] = json.loads(result.read_text())
    statuses = [status for status, _ in reply["replies"]]
    assert statuses[-1] == case.status, (case.name, reply["replies"])
    return wall, stderr, reply


def _register(where: Lambda, settings: dict[str, str], result: Path) -> str:
    """Register and log in one user through the handler; return the token."""
    user = {"email": "bench@example.org", "password": "correct horse battery", "name": "B"}
    login = {k: user[k] for k in ("email", "password")}
    events = [rest_event("POST", "/api/register", body=user)]
    events.append(rest_event("POST", "/api/login", body=login))
    setup = Case("setup", where, settings | {"CARBONTRACK_APP_PARTS": "api"}, events)
    _, _, reply = _serve(setup, result)
    token: str = json.loads(reply["replies"][1][1])["access_token"]
    return token


@contextmanager
def _moto_server() -> Iterator[str]:
    """A moto server on a free loopback port with CarbonTrack's tables (prefix bench-)."""
    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    from carbontrack.store.dynamodb.tables import create_tables

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    port = free_port()
    server = ThreadedMotoServer(ip_address=HOST, port=port, verbose=False)
    server.start()
    url = f"http://{HOST}:{port}"
    try:
        client = boto3.client(
            "dynamodb",
            endpoint_url=url,
            region_name=FAKE_AWS["AWS_DEFAULT_REGION"],
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        )
        create_tables(client, "bench-")
        yield url
    finally:
        server.stop()


def _cases(core: Lambda, explorer: Lambda, work: Path, moto_url: str, *, quick: bool) -> list[Case]:
    dynamo = _store_settings("dynamodb", work / "var-dynamo", moto_url)
    sqlite = _store_settings("sqlite", work / "var-sqlite", moto_url)
    dynamo_token = _register(core, dynamo, work / "setup.json")
    sqlite_token = _register(core, sqlite, work / "setup.json")
    health, login_page = rest_event("GET", "/api/health"), rest_event("GET", "/login")
    point = {"lat": 24.1, "lon": 82.6, "date": "2018-03-05"}  # by Sasan, a 3,960 MW coal plant
    why = rest_event("POST", "/api/reasoning", body=point)

    def entries(token: str) -> list[Any]:
        return [rest_event("GET", "/api/entries", token=token)]

    # (name, code, store, the parts served, the events)
    table: list[tuple[str, Lambda, dict[str, str], str, list[Any]]] = [
        (HEADLINE, core, dynamo, "api", entries(dynamo_token)),
        ("api function, DynamoDB: GET /api/health", core, dynamo, "api", [health]),
        ("api function, SQLite: GET /api/entries", core, sqlite, "api", entries(sqlite_token)),
        ("web function, DynamoDB: GET /login", core, dynamo, "web", [login_page]),
        ("explorer function, DynamoDB: POST /api/reasoning", explorer, dynamo, "explorer", [why]),
        (
            "one function, every part, DynamoDB: GET /api/entries",
            explorer,
            dynamo,
            "api,web,explorer",
            entries(dynamo_token),
        ),
    ]
    return [
        Case(name, where, store | {"CARBONTRACK_APP_PARTS": parts}, events)
        for name, where, store, parts, events in table
        if not quick or name == HEADLINE
    ]


def measure_cold_start(
    repeats: int, core: Lambda, explorer: Lambda, *, quick: bool = False
) -> dict[str, Any]:
    """Median wall times of fresh processes: the floors, the import and each first event."""
    with tempfile.TemporaryDirectory(prefix="carbontrack-coldstart-") as tmp, _moto_server() as url:
        work = Path(tmp)
        cases = _cases(core, explorer, work, url, quick=quick)
        result = work / "result.json"
        for case in cases:  # warm the bytecode caches of both packages
            _serve(case, result)
        walls: dict[str, list[float]] = {"floor": [], "floor+client": [], "import": []}
        walls |= {case.name: [] for case in cases}
        phases: dict[str, list[tuple[float, float]]] = {case.name: [] for case in cases}
        for _ in range(repeats):
            walls["floor"].append(core.run(f"{FLOOR}; {EXIT}", core.env())[0])
            walls["floor+client"].append(core.run(f"{FLOOR_CLIENT}; {EXIT}", core.env())[0])
            walls["import"].append(core.run(f"{HANDLER_IMPORT}; {EXIT}", core.env())[0])
            for case in cases:
                wall, _, reply = _serve(case, result)
                walls[case.name].append(wall)
                phases[case.name].append((reply["import_s"], reply["event_s"]))
        _, floor_importtime = core.run(f"{FLOOR}; {EXIT}", core.env(), "-X", "importtime")
        _, importtime, _ = _serve(cases[0], result, "-X", "importtime")
    return {
        "walls": {name: statistics.median(values) for name, values in walls.items()},
        "phases": {
            name: tuple(statistics.median(p[i] for p in values) for i in (0, 1))
            for name, values in phases.items()
        },
        "heaviest": _heaviest_beyond(importtime, _modules(floor_importtime)),
        "xray_s": _extra_import(core, "import aws_xray_sdk.core", repeats),
        "secrets_client_s": _extra_import(
            core, "boto3.client('secretsmanager', region_name='eu-central-1')", repeats
        ),
    }


def _parse_importtime(stderr: str) -> list[tuple[str, int]]:
    """(module, self microseconds) for each line of `-X importtime` output."""
    pattern = re.compile(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)")
    return [(m[2], int(m[1])) for m in map(pattern.match, stderr.splitlines()) if m]


def _modules(importtime: str) -> set[str]:
    return {module for module, _ in _parse_importtime(importtime)}


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


def _extra_import(where: Lambda, statement: str, repeats: int) -> float:
    """Median seconds that `statement` adds to a process that has imported the floor."""
    code = (
        f"import sys, time; {FLOOR}; t = time.perf_counter(); {statement}; "
        "print(time.perf_counter() - t, file=sys.stderr)"
    )
    times = [float(where.run(code, where.env())[1]) for _ in range(repeats)]
    return statistics.median(times)


def _runtime(directory: Path) -> Path:
    """boto3 alone, as the Lambda runtime provides it (pinned like the app's)."""
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    target = ["--no-compile", "--target", str(directory), "-c", str(ROOT / "constraints.txt")]
    subprocess.run([*pip, *target, "boto3"], check=True, timeout=600)
    return directory


def run(*, repeats: int = 5, quick: bool = False) -> bool:
    """Build the packages, measure, print the tables; True if every target is met.

    `quick` measures the headline and the issue 18 ratios only, without package sizes.
    """
    print(f"\nLambda cold start ({repeats} fresh processes per case) and package size ...")
    with tempfile.TemporaryDirectory(prefix="carbontrack-packages-") as tmp:
        work = Path(tmp)
        runtime = _runtime(work / "runtime")
        core, explorer = (Lambda(work / name, runtime) for name in ("core-host", "explorer-host"))
        build(PACKAGES["core"], core.package, host=True)
        if not quick:
            build(PACKAGES["explorer"], explorer.package, host=True)
        cold = measure_cold_start(repeats, core, explorer, quick=quick)
        lambda_sizes = {
            name: build(spec, work / f"{name}-lambda")
            for name, spec in PACKAGES.items()
            if not quick
        }
    passed = _print_cold_start(cold) & _print_first_event(cold)
    return _print_packages(lambda_sizes) and passed


def _print_cold_start(cold: dict[str, Any]) -> bool:
    floor = cold["walls"]["floor"]
    print(f"{machine()}; python -S, PYTHONPATH package:runtime; warm bytecode caches; medians")
    client = cold["walls"]["floor+client"]
    rows = [["floor: " + FLOOR, f"{floor * 1000:.0f}", "", "", "1.00x", ""]]
    rows.append(
        [
            "floor and a DynamoDB client",
            f"{client * 1000:.0f}",
            "",
            "",
            f"{client / floor:.2f}x",
            "(info)",
        ]
    )
    passed = True
    for name, (import_s, event_s) in cold["phases"].items():
        ratio = cold["walls"][name] / floor
        headline = name == HEADLINE
        passed &= ratio <= TARGET_RATIO or not headline
        rows.append(
            [
                name,
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
        f"target: {HEADLINE} <= {TARGET_RATIO:g}x the floor. Not in these figures: X-Ray SDK "
        f"import with tracing on +{cold['xray_s'] * 1000:.0f} ms; a Secrets Manager client "
        f"+{cold['secrets_client_s'] * 1000:.0f} ms (production) and its GetSecretValue"
    )
    print(f"\nHeaviest imports beyond the floor, {HEADLINE} (self time, -X importtime, one run):")
    print(table(["package", "ms"], [[p, f"{ms:.1f}"] for p, ms in cold["heaviest"]]))
    return passed


def _print_first_event(cold: dict[str, Any]) -> bool:
    """Issue 18's two ratios: the handler's import, and the first event on DynamoDB."""
    walls = cold["walls"]
    checks = [
        (f"{HANDLER_IMPORT} / floor", walls["import"] / walls["floor"], IMPORT_TARGET),
        (
            f"{HEADLINE} / floor and a DynamoDB client",
            walls[HEADLINE] / walls["floor+client"],
            FIRST_EVENT_TARGET,
        ),
    ]
    rows = [
        [name, f"{ratio:.2f}x", f"{target:g}x", verdict(ratio <= target)]
        for name, ratio, target in checks
    ]
    print(f"\nThe first Lambda event (issue 18); {HANDLER_IMPORT}: {walls['import'] * 1000:.0f} ms")
    print(table(["ratio", "measured", "target", "result"], rows))
    return all(ratio <= target for _, ratio, target in checks)


def _print_packages(sizes: dict[str, dict[str, float]]) -> bool:
    passed = True
    for name, by_dist in sizes.items():
        total = sum(by_dist.values())
        limit = TARGET_MB if name == "core" else LAMBDA_ZIP_LIMIT_MB
        ok = total < limit
        passed &= ok
        print(f"\nLambda package `{name}` (python3.12, arm64), unzipped, {len(by_dist)} dists")
        top = list(by_dist.items())[:12]
        print(table(["distribution", "MB"], [[d, f"{mb:.1f}"] for d, mb in top]))
        print(f"total {total:.1f} MB (target < {limit:g} MB: {verdict(ok)})")
    return passed
