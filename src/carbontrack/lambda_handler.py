"""AWS Lambda entry points: the API behind API Gateway, and the daily backup to S3.

`carbontrack.lambda_handler.handler` serves API Gateway REST API proxy events (payload 1.0)
with Mangum over the same `create_app(settings)` as `carbontrack serve` (lifespan off).
`carbontrack.lambda_handler.backup_handler` runs the backend-neutral backup
(`services.backup.export`) on the EventBridge schedule.
`carbontrack.lambda_handler.inventory_handler` refreshes the operations console's AWS
inventory (`ops.job`): on its daily schedule, or on demand when the API invokes it
asynchronously; it fails the invocation when any scope failed, after storing the rest
(docs/operations.md). Each builds what it needs on its first
event (settings, secrets, store, app, boto3 clients) and keeps it for the container's life:
importing this module builds nothing. The deployment package installs `.[aws]` (mangum,
aws-lambda-powertools[tracer]).

Environment (settings.py documents every CARBONTRACK_* variable):

- `CARBONTRACK_ENVIRONMENT=production`, `CARBONTRACK_STORE=dynamodb`,
  `CARBONTRACK_DYNAMODB_REGION`, `CARBONTRACK_DYNAMODB_TABLE_PREFIX`: every function.
- `CARBONTRACK_APP_PARTS`: the part of the app one `handler` function serves (`api`, `web` or
  `explorer`; the stack has one function for each, so a cold start imports only its part).
- `CARBONTRACK_JWT_SECRET_ARN`: the ARN (or name) of the Secrets Manager secret whose
  SecretString is the JWT signing key, at least 32 bytes (`GenerateSecretString` with
  PasswordLength >= 32 and no template). Each app function reads it once per container
  (`secretsmanager:GetSecretValue`). The backup function needs the variable too, for the
  production settings check, but never reads the secret: its role needs no access to it.
- `CARBONTRACK_GEMINI_API_KEY_SECRET_ARN`: optional, the same for the Gemini API key (with
  `CARBONTRACK_REASONING_PROVIDER=gemini`). Bedrock needs no key: the role's
  `bedrock:InvokeModel` (`CARBONTRACK_REASONING_PROVIDER=bedrock`).
- `CARBONTRACK_BACKUP_BUCKET`, `CARBONTRACK_BACKUP_PREFIX` (default `backups/`): the backup
  function writes `<prefix><YYYY-MM-DD>/records.jsonl`, then `.../manifest.json`
  (`s3:PutObject`), the date being the schedule's (the event's `time`): a retried event
  rewrites the same keys. A prefix with a manifest holds a complete backup; restore it with
  `carbontrack backup restore <directory>` after downloading both files. The export is staged
  in /tmp (the function's ephemeral storage must hold it).
- `CARBONTRACK_INVENTORY_ROLE_ARNS`, `CARBONTRACK_INVENTORY_EXTERNAL_ID`,
  `CARBONTRACK_INVENTORY_REGIONS`, `CARBONTRACK_PRIMARY_REGION`: what the inventory function
  refreshes. It never traces: a refresh makes thousands of AWS calls on a pool of threads.
- `POWERTOOLS_LOG_LEVEL` (default INFO), `POWERTOOLS_TRACE_DISABLED`,
  `POWERTOOLS_METRICS_DISABLED`: Powertools' own. Logs are JSON on stdout from the
  `carbontrack` logger (every `carbontrack.*` module logs through it) with the Lambda request
  id, cold start and the API Gateway request id as correlation id, and one line per request;
  metrics are EMF in namespace `CarbonTrack`, service `carbontrack`: `ColdStart`,
  `ServerErrors` (0 or 1 per request), `BackupRecords`, and per refresh `InventoryScopes`,
  `InventoryResources`, `InventoryFailedScopes` and `InventoryFailedRuns` (0 or 1). X-Ray
  tracing (botocore patched) runs where the function has tracing on (`Tracing: Active`),
  never off Lambda.

Secrets: in production Lambda refuses a plain `CARBONTRACK_JWT_SECRET` or
`CARBONTRACK_GEMINI_API_KEY` (a function's environment is readable by anyone allowed
`lambda:GetFunctionConfiguration`, and is stored with the stack); a development stage may use
either. Rotating a secret takes effect as containers are replaced (a deploy replaces them all).
Nothing here logs a secret: events (passwords, tokens) are never logged, traces never capture
responses (tokens), and settings hold keys as `SecretStr`.
"""

# ruff: noqa: E402 (the collector is paused before the imports, see below)
from __future__ import annotations

import gc

# Cyclic collections are paused while this module imports its dependencies (FastAPI, pydantic,
# Powertools, the app's modules: objects that live as long as the container, which collections
# in the middle of the import only walk again and again), and resumed at its end with what was
# imported frozen, as `_collections_paused` does for the build (docs/benchmarks.md, issue 18).
_COLLECTING = gc.isenabled()
gc.disable()

import os
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from mangum import Mangum
from pydantic import SecretStr

from carbontrack.api.app import create_app
from carbontrack.settings import MIN_SECRET_BYTES, Settings, get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools import Tracer
    from fastapi import FastAPI
    from mangum.types import LambdaContext

    Event = dict[str, Any]
    Handler = Callable[[Event, LambdaContext], dict[str, Any]]

SERVICE = "carbontrack"  # also the logger's name: the parent of every carbontrack.* logger
METRICS_NAMESPACE = "CarbonTrack"
_PLAIN_SECRETS = {
    "jwt_secret": "CARBONTRACK_JWT_SECRET",
    "gemini_api_key": "CARBONTRACK_GEMINI_API_KEY",
}
_SECRET_ARNS = {"jwt_secret": "jwt_secret_arn", "gemini_api_key": "gemini_api_key_secret_arn"}
_INVENTORY_METRICS = {
    "InventoryScopes": "scopes",
    "InventoryResources": "resources",
    "InventoryFailedScopes": "failedScopes",
}
_TRUTHY = {"1", "true", "t", "yes", "y", "on"}


def handler(event: Event, context: LambdaContext) -> dict[str, Any]:
    """Serve one API Gateway REST API proxy event (payload 1.0) with the app."""
    return _api()(event, context)


def backup_handler(event: Event, context: LambdaContext) -> dict[str, Any]:
    """Back up every user's data to the backup bucket (the daily EventBridge schedule)."""
    return _backup()(event, context)


def inventory_handler(event: Event, context: LambdaContext) -> dict[str, Any]:
    """Refresh the AWS inventory: everything configured (the daily schedule) or one run."""
    return _inventory()(event, context)


@cache
def _api() -> Handler:
    """The instrumented app, built on the container's first event and kept."""
    tracer = _tracer()  # first: botocore is patched before the store builds its client
    with _collections_paused():
        asgi = Mangum(_app(_with_secrets(_lambda_settings())), lifespan="off")
    logger, metrics = _observability()

    def serve(event: Event, context: LambdaContext) -> dict[str, Any]:
        started = time.perf_counter()
        response = asgi(event, context)
        status = int(response["statusCode"])
        metrics.add_metric(name="ServerErrors", unit=MetricUnit.Count, value=int(status >= 500))
        logger.info(
            "request",
            extra={
                "method": event.get("httpMethod"),
                "path": event.get("path"),
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response

    return _instrumented(serve, tracer, correlation_id_path=correlation_paths.API_GATEWAY_REST)


def _app(settings: Settings) -> FastAPI:
    """The app over its store, the catalogue checked while the routes are built.

    The check is one read by key (on a new container, also its connection to DynamoDB): on a
    thread of its own it waits for the network while the routes are built. The app serves
    nothing before the check has ended, and a failed check fails the build.
    """
    from carbontrack.services.factors import sync_catalogue
    from carbontrack.store import build_store

    store = build_store(settings)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="catalogue") as pool:
        checked = pool.submit(sync_catalogue, store=store)
        app = create_app(settings, store=store, check_catalogue=False)
        checked.result()
    return app


@cache
def _backup() -> Handler:
    """The backup job, built on the container's first event and kept."""
    import boto3

    from carbontrack.services import backup
    from carbontrack.store import build_store

    tracer = _tracer()
    settings = _lambda_settings()
    bucket = settings.backup_bucket
    if bucket is None:
        raise RuntimeError("CARBONTRACK_BACKUP_BUCKET must name the bucket the backups go to")
    store = build_store(settings)
    s3 = boto3.client("s3")
    logger, metrics = _observability()

    def run(event: Event, context: LambdaContext) -> dict[str, Any]:
        prefix = f"{settings.backup_prefix}{scheduled_day(event).isoformat()}/"
        with tempfile.TemporaryDirectory(prefix="carbontrack-backup-") as tmp:
            directory = Path(tmp) / "backup"
            manifest = backup.export(store=store, path=directory)
            # The manifest goes last: a prefix that has one holds a complete backup.
            for name, content_type in (
                (backup.RECORDS_FILE, "application/jsonl"),
                (backup.MANIFEST_FILE, "application/json"),
            ):
                s3.upload_file(
                    str(directory / name),
                    bucket,
                    prefix + name,
                    ExtraArgs={"ContentType": content_type},
                )
        counts: dict[str, int] = manifest["counts"]
        metrics.add_metric(name="BackupRecords", unit=MetricUnit.Count, value=sum(counts.values()))
        logger.info("backup uploaded", extra={"bucket": bucket, "prefix": prefix, "counts": counts})
        return {"bucket": bucket, "prefix": prefix, "counts": counts, "sha256": manifest["sha256"]}

    return _instrumented(run, tracer, correlation_id_path=None)


@cache
def _inventory() -> Handler:
    """The inventory refresh, built on the container's first event and kept."""
    from carbontrack.ops import job as inventory
    from carbontrack.store import build_store

    settings = _lambda_settings()
    store = build_store(settings)
    logger, metrics = _observability()

    def run(event: Event, context: LambdaContext) -> dict[str, Any]:
        failed = 1  # a bad payload, a failed scope: every invocation counts 0 or 1
        try:
            result = refresh(event)
            failed = 0
            return result
        finally:
            metrics.add_metric(name="InventoryFailedRuns", unit=MetricUnit.Count, value=failed)

    def refresh(event: Event) -> dict[str, Any]:
        job = inventory.job_of(event)
        outcome = inventory.run(store=store, settings=settings, job=job)
        if outcome is None:
            logger.info(
                "inventory refresh skipped: another run is going", extra={"runId": job.run_id}
            )
            return {"runId": job.run_id, "skipped": True}
        summary = inventory.summary(job, outcome)
        for name, key in _INVENTORY_METRICS.items():
            metrics.add_metric(name=name, unit=MetricUnit.Count, value=summary[key])
        logger.info("inventory refreshed", extra=summary)
        if outcome.failed:
            raise inventory.failure(outcome)
        return summary

    # No tracer: the refresh's AWS calls run on a pool of threads, thousands of them a run.
    return _instrumented(run, None, correlation_id_path=None)


def scheduled_day(event: Mapping[str, Any]) -> date:
    """The UTC day an EventBridge event was scheduled for (its `time`); today without one."""
    when = event.get("time")
    if when is None:
        return datetime.now(UTC).date()
    return datetime.fromisoformat(str(when)).astimezone(UTC).date()


@contextmanager
def _collections_paused() -> Iterator[None]:
    """No cyclic garbage collection while the container builds its app.

    The build (route modules, schemas, a boto3 client) allocates objects that live as long as
    the container; collections in the middle of it only walk them again and again (a probe
    with the collector off for a whole cold start saved about 12% of it, docs/benchmarks.md).
    Reference counting still frees everything else. At the end the objects alive are frozen
    (`gc.freeze`): the collections that resume never walk them, or the first request would
    pay for a collection of all of them (docs/benchmarks.md, issue 18).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _lambda_settings() -> Settings:
    """The settings, with Lambda's rule for production: keys come from Secrets Manager only."""
    settings = get_settings()
    if settings.environment == "production":
        plain = [env for field, env in _PLAIN_SECRETS.items() if getattr(settings, field)]
        if plain:
            raise RuntimeError(
                f"{' and '.join(plain)} set as plain environment values: on Lambda in production "
                "the keys come from Secrets Manager (set CARBONTRACK_JWT_SECRET_ARN and "
                "CARBONTRACK_GEMINI_API_KEY_SECRET_ARN instead)"
            )
    return settings


def _with_secrets(settings: Settings) -> Settings:
    """The settings with the keys their secrets hold, read once (one GetSecretValue each)."""
    wanted = {
        field: arn
        for field, arn_field in _SECRET_ARNS.items()
        if (arn := getattr(settings, arn_field)) is not None
    }
    if not wanted:
        return settings
    import boto3

    client = boto3.client("secretsmanager")
    values: dict[str, SecretStr] = {}
    for field, arn in wanted.items():
        value = client.get_secret_value(SecretId=arn).get("SecretString")
        if not value:
            raise RuntimeError(f"the secret {arn} holds no SecretString")
        values[field] = SecretStr(value)
    key = values.get("jwt_secret")
    if key is not None and len(key.get_secret_value().encode()) < MIN_SECRET_BYTES:
        raise RuntimeError(
            f"the secret {settings.jwt_secret_arn} holds a JWT key shorter than "
            f"{MIN_SECRET_BYTES} bytes"
        )
    return settings.model_copy(update=values)


@cache
def _observability() -> tuple[Logger, Metrics]:
    """Powertools' JSON logger and EMF metrics, one of each per container."""
    return Logger(service=SERVICE), Metrics(namespace=METRICS_NAMESPACE, service=SERVICE)


def _tracer() -> Tracer | None:
    """Powertools' Tracer where the function traces; None elsewhere.

    Even a disabled Tracer imports the X-Ray SDK, whose recorder builds a botocore client on
    import (about 0.15 s here): a container that will not trace should not pay for it.
    """
    if not tracing_enabled(os.environ):
        return None
    from aws_lambda_powertools import Tracer

    return Tracer(service=SERVICE, patch_modules=("botocore",))


def tracing_enabled(environ: Mapping[str, str]) -> bool:
    """Powertools' rule for tracing: on Lambda (not SAM local), unless POWERTOOLS_TRACE_DISABLED."""
    disabled = environ.get("POWERTOOLS_TRACE_DISABLED", "false").strip().lower() in _TRUTHY
    on_lambda = "LAMBDA_TASK_ROOT" in environ and "AWS_SAM_LOCAL" not in environ
    return on_lambda and not disabled


def _instrumented(
    function: Handler, tracer: Tracer | None, *, correlation_id_path: str | None
) -> Handler:
    """`function` with the request's context in every log line, its metrics flushed, traced."""
    if tracer is not None:
        # Responses carry tokens: traces keep errors, never responses.
        function = tracer.capture_lambda_handler(function, capture_response=False)
    logger, metrics = _observability()
    function = logger.inject_lambda_context(
        function, log_event=False, correlation_id_path=correlation_id_path, clear_state=True
    )
    return cast("Handler", metrics.log_metrics(function, capture_cold_start_metric=True))


gc.freeze()
if _COLLECTING:
    gc.enable()
