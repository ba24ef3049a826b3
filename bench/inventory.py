"""Issue 14: the time of one inventory refresh, concurrent against sequential, and the
DynamoDB calls per stored resource.

A moto server on 127.0.0.1 holds 3 accounts x 4 regions with about 2,000 resources (DynamoDB
tables, SNS topics, CloudWatch alarms, EventBridge rules); every collector runs, the Cost
Explorer scope included. moto answers a call in a fraction of a millisecond of its own CPU,
while AWS answers across a network: a refresh against AWS waits on round trips, which is what
a pool of workers overlaps. So the server also plays a round trip (`--inventory-latency-ms`,
a sleep per request that holds no lock) and each refresh is measured both ways: with no
added latency (CPU-bound: what two cores allow) and with it (the shape of the real thing).
Sequential is the same refresh with one worker, measured in the same run.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import boto3
import httpx2 as httpx

from bench.report import machine, table, verdict
from bench.server import HOST, free_port, serve_process
from carbontrack.ops import services
from carbontrack.ops.model import RefreshOutcome
from carbontrack.settings import Settings
from carbontrack.store.base import Store
from carbontrack.store.dynamodb import DynamoStore
from carbontrack.store.dynamodb.metrics import CallCounter
from carbontrack.store.dynamodb.tables import create_tables
from carbontrack.store.sqlite import SqliteStore

REGIONS = ("eu-central-1", "us-east-1", "eu-west-1", "us-west-2")
ROLE_ACCOUNTS = ("222222222222", "333333333333")  # reached by AssumeRole, beside the current one
EXTERNAL_ID = "carbontrack-bench"
TARGET_SPEEDUP = 4.0
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": REGIONS[0],
}
# A threaded moto server whose every request first sleeps for the configured round trip;
# POST /_bench/latency?ms=N sets it (0 while the scene is built).
_SERVE = """
import sys, time
from urllib.parse import parse_qs
from moto.server import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple
moto = DomainDispatcherApplication(create_backend_app)
latency = [0.0]
def app(environ, start_response):
    if environ.get("PATH_INFO") == "/_bench/latency":
        latency[0] = float(parse_qs(environ.get("QUERY_STRING", ""))["ms"][0]) / 1000
        start_response("204 No Content", [])
        return [b""]
    if latency[0]:
        time.sleep(latency[0])
    return moto(environ, start_response)
run_simple(sys.argv[1], int(sys.argv[2]), app, threaded=True, request_handler=MotoRequestHandler)
"""


def run(*, resources: int, latency_ms: float, workers: int) -> bool:
    """Build the scene, time the refreshes, count the DynamoDB calls; True if the target holds."""
    print(f"\n## Inventory refresh: concurrent vs sequential ({machine()})")
    print(f"1-min load average {os.getloadavg()[0]:.1f} at start")
    saved = {name: os.environ.get(name) for name in (*CREDENTIALS, "AWS_ENDPOINT_URL")}
    with tempfile.TemporaryDirectory() as tmp, _moto(Path(tmp) / "moto.log") as url:
        os.environ.update(CREDENTIALS | {"AWS_ENDPOINT_URL": url})
        try:
            made = _scene(resources)
            settings = _settings(Path(tmp), workers)
            rows, speedup = _timings(url, settings, Path(tmp), latency_ms)
            calls_row = _dynamodb_calls(url, settings)
        finally:
            _restore(saved)
    print(f"{made} resources made in {len(REGIONS)} regions of {1 + len(ROLE_ACCOUNTS)} accounts")
    print(table(("added latency", "workers", "seconds", "scopes", "resources", "failed"), rows))
    passed = speedup >= TARGET_SPEEDUP
    print(
        f"speed-up with {latency_ms:g} ms per call: {speedup:.1f}x "
        f"(target >= {TARGET_SPEEDUP:g}x) {verdict(passed)}"
    )
    print(calls_row)
    print(f"1-min load average {os.getloadavg()[0]:.1f} at end")
    return passed


@contextmanager
def _moto(log_path: Path) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-c", _SERVE, HOST, str(port)]
    with (
        log_path.open("w+") as log,
        serve_process(
            "moto", command, port=port, env=CREDENTIALS, ready_path="/moto-api/", log=log
        ),
    ):
        yield f"http://{HOST}:{port}"


def _restore(saved: dict[str, str | None]) -> None:
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _settings(tmp: Path, workers: int) -> Settings:
    return Settings(
        data_dir=tmp / "var",
        jwt_secret="bench-secret-bench-secret-bench-secret",
        primary_region=REGIONS[0],
        inventory_regions=REGIONS,
        inventory_role_arns=tuple(
            f"arn:aws:iam::{account}:role/carbontrack-inventory" for account in ROLE_ACCOUNTS
        ),
        inventory_external_id=EXTERNAL_ID,
        inventory_workers=workers,
    )


def _sessions() -> list[boto3.Session]:
    """The current account and one session per role account (moto's AssumeRole)."""
    sessions = [boto3.Session()]
    sts = boto3.client("sts")
    for account in ROLE_ACCOUNTS:
        creds = sts.assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/carbontrack-inventory",
            RoleSessionName="bench",
            ExternalId=EXTERNAL_ID,
        )["Credentials"]
        sessions.append(
            boto3.Session(
                aws_access_key_id=creds["AccessKeyId"],
                aws_secret_access_key=creds["SecretAccessKey"],
                aws_session_token=creds["SessionToken"],
            )
        )
    return sessions


def _scene(resources: int) -> int:
    """About `resources` resources spread evenly over accounts x regions; returns the count."""
    scopes = [(session, region) for session in _sessions() for region in REGIONS]
    each = max(4, resources // len(scopes))
    made = 0
    for number, (session, region) in enumerate(scopes):
        made += _fill(session, region, each, tag=f"s{number}")
    return made


def _fill(session: boto3.Session, region: str, count: int, *, tag: str) -> int:
    """`count` resources in one account and region: a quarter of each of four kinds."""
    dynamodb = session.client("dynamodb", region_name=region)
    sns = session.client("sns", region_name=region)
    cloudwatch = session.client("cloudwatch", region_name=region)
    events = session.client("events", region_name=region)
    quarter = count // 4
    for index in range(quarter):
        name = f"carbontrack-bench-{tag}-{index}"
        dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        topic = sns.create_topic(Name=name)["TopicArn"]
        cloudwatch.put_metric_alarm(
            AlarmName=name,
            Namespace="AWS/Lambda",
            MetricName="Errors",
            Statistic="Sum",
            Period=300,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            AlarmActions=[topic],
        )
        events.put_rule(Name=name, ScheduleExpression="rate(1 day)", State="ENABLED")
    return quarter * 4


def _timings(
    url: str, settings: Settings, tmp: Path, latency_ms: float
) -> tuple[list[tuple[str, ...]], float]:
    """Each refresh on a fresh SQLite store: (no latency, added) x (1 worker, the pool)."""
    rows: list[tuple[str, ...]] = []
    seconds: dict[tuple[float, int], float] = {}
    for latency in (0.0, latency_ms):
        httpx.post(f"{url}/_bench/latency", params={"ms": latency}).raise_for_status()
        for workers in (1, settings.inventory_workers):
            store = SqliteStore(tmp / f"inventory-{latency:g}-{workers}.sqlite3")
            elapsed, outcome = _timed(
                store, settings.model_copy(update={"inventory_workers": workers})
            )
            store.close()
            seconds[(latency, workers)] = elapsed
            rows.append(_row(latency, workers, elapsed, outcome))
    httpx.post(f"{url}/_bench/latency", params={"ms": 0}).raise_for_status()
    speedup = seconds[(latency_ms, 1)] / seconds[(latency_ms, settings.inventory_workers)]
    return rows, speedup


def _timed(store: Store, settings: Settings) -> tuple[float, RefreshOutcome]:
    request = services.refresh_request(settings=settings)
    started = time.perf_counter()
    outcome = services.refresh(store=store, settings=settings, request=request)
    return time.perf_counter() - started, outcome


def _row(latency: float, workers: int, elapsed: float, outcome: RefreshOutcome) -> tuple[str, ...]:
    stored = sum(status.resource_count for status in outcome.statuses)
    return (
        f"{latency:g} ms",
        str(workers),
        f"{elapsed:.1f}",
        str(len(outcome.statuses)),
        str(stored),
        str(len(outcome.failed)),
    )


def _dynamodb_calls(url: str, settings: Settings) -> str:
    """One refresh into a DynamoDB store on the same moto: its calls per stored resource."""
    store = DynamoStore(region=REGIONS[0], prefix="bench-inventory-", endpoint_url=url)
    create_tables(store.client, prefix="bench-inventory-")
    with CallCounter(store.client) as calls:
        _, outcome = _timed(store, settings)
    stored = sum(status.resource_count for status in outcome.statuses)
    scopes = len(outcome.statuses)
    count = len(calls.operations)
    by_operation = Counter(calls.operations)
    return (
        f"DynamoDB store: {count} calls for {stored} resources in {scopes} scopes "
        f"({count / max(stored, 1):.3f} per resource; "
        f"{', '.join(f'{op} {n}' for op, n in sorted(by_operation.items()))})"
    )
