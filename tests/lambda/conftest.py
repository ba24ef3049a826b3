"""Each test: a fresh Lambda container, and a deployment in moto to run it against.

The deployment is what the stack gives the functions: the tables, the JWT key's secret, the
backup bucket and the environment naming them.
"""

from __future__ import annotations

import copy
import logging
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.client import BaseClient

from carbontrack import lambda_handler
from carbontrack.settings import get_settings
from carbontrack.store.dynamodb.tables import create_tables
from tests.backends import AWS_REGION

from .events import LambdaContext
from .helpers import JWT_KEY, Invoke


@pytest.fixture
def aws_calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Every AWS API call any boto3 client makes during the test, by operation name."""
    calls: Counter[str] = Counter()
    make_api_call = BaseClient._make_api_call

    def counted(self: BaseClient, operation_name: str, api_params: dict[str, Any]) -> Any:
        calls[operation_name] += 1
        return make_api_call(self, operation_name, api_params)

    monkeypatch.setattr(BaseClient, "_make_api_call", counted)
    return calls


@pytest.fixture
def fresh_container(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A new container: nothing built yet, the next event is a cold start; logging put back."""
    carbontrack_logger = logging.getLogger(lambda_handler.SERVICE)
    saved = {name: copy.copy(value) for name, value in vars(carbontrack_logger).items()}
    root_filters = {handler: list(handler.filters) for handler in logging.root.handlers}
    monkeypatch.setattr("aws_lambda_powertools.logging.logger.is_cold_start", True)
    monkeypatch.setattr("aws_lambda_powertools.metrics.provider.cold_start.is_cold_start", True)
    caches = (get_settings, lambda_handler._api, lambda_handler._backup, lambda_handler._inventory)
    for cached in (*caches, lambda_handler._observability):
        cached.cache_clear()
    yield
    for cached in (*caches, lambda_handler._observability):
        cached.cache_clear()
    # Powertools configures the `carbontrack` logger in place; later tests expect it plain.
    vars(carbontrack_logger).clear()
    vars(carbontrack_logger).update(saved)
    for handler, filters in root_filters.items():
        handler.filters[:] = filters


@pytest.fixture
def deployment(
    aws_moto: None, fresh_container: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> dict[str, str]:
    """What the stack gives the functions: tables, the JWT key's secret, a bucket, the env."""
    prefix = f"t{uuid.uuid4().hex[:12]}-"
    create_tables(boto3.client("dynamodb", region_name=AWS_REGION), prefix)
    secrets = boto3.client("secretsmanager", region_name=AWS_REGION)
    secret_arn = secrets.create_secret(Name=f"{prefix}jwt", SecretString=JWT_KEY)["ARN"]
    bucket = f"{prefix}backups"
    boto3.client("s3", region_name=AWS_REGION).create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": AWS_REGION}
    )
    env = {
        "CARBONTRACK_ENVIRONMENT": "production",
        "CARBONTRACK_STORE": "dynamodb",
        "CARBONTRACK_DYNAMODB_REGION": AWS_REGION,
        "CARBONTRACK_DYNAMODB_TABLE_PREFIX": prefix,
        "CARBONTRACK_JWT_SECRET_ARN": secret_arn,
        "CARBONTRACK_BACKUP_BUCKET": bucket,
        "CARBONTRACK_DATA_DIR": str(tmp_path / "var"),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in ("CARBONTRACK_JWT_SECRET", "CARBONTRACK_GEMINI_API_KEY", "LAMBDA_TASK_ROOT"):
        monkeypatch.delenv(name, raising=False)
    return env


@pytest.fixture
def invoke(deployment: dict[str, str]) -> Invoke:
    """Invoke `handler` with an event, as the Lambda runtime does, and check the reply's shape."""

    def call(event: dict[str, Any]) -> dict[str, Any]:
        reply = lambda_handler.handler(event, LambdaContext())
        assert set(reply) == {
            "statusCode",
            "headers",
            "multiValueHeaders",
            "body",
            "isBase64Encoded",
        }
        assert reply["isBase64Encoded"] is False
        return reply

    return call
