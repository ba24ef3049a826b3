"""Fixtures shared by every tier: settings and a fresh SQLite-backed app per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from moto import mock_aws
from moto.backends import get_backend
from moto.core.model_instances import reset_model_data
from moto.core.routing import ServiceOperationRouter
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.responses import DynamoHandler

from carbontrack.api.app import create_app
from carbontrack.services import security
from carbontrack.settings import Settings
from carbontrack.store.dynamodb.metrics import CallCounter
from tests.api.helpers import app_client
from tests.backends import (
    FAKE_AWS_ENV,
    TableItems,
    canonical_moto_numbers,
    dynamodb_store,
    dynamodb_store_with,
    moto_active,
    one_backup_per_table,
    routers_built_one_at_a_time,
    serialized_moto_dynamodb,
    snapshot_tables,
)

TEST_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789"
# argon2id at its minimum cost. The product's profile (RFC 9106 low memory: 64 MiB, 3 passes)
# takes about 0.3 s a hash here, and registering and signing in hundreds of test users would
# spend minutes on it; tests/unit/test_security.py checks that profile (marker real_argon2).
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.node.get_closest_marker("real_argon2") is None:
        monkeypatch.setattr(security, "_hasher", lambda: FAST_HASHER)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "var",
        jwt_secret=TEST_SECRET,  # type: ignore[arg-type]
        login_max_failures=3,
        # Every TestClient request comes from one address ("testclient"), and a test may sign
        # up many users; tests of the sign-up limit set their own (tests/api/test_guessing.py).
        register_max_per_address=10_000,
    )


@pytest.fixture(params=["sqlite", "dynamodb"])
def client(
    request: pytest.FixtureRequest, settings: Settings, tmp_path: Path
) -> Iterator[TestClient]:
    """The whole app over a fresh store of each backend; DynamoDB requests may never Scan."""
    if request.param == "sqlite":
        with app_client(settings) as test_client:
            yield test_client
        return
    store = dynamodb_store_with(
        tmp_path / "dynamodb", request.getfixturevalue("dynamodb_catalogue")
    )
    app = create_app(settings, store=store)
    with CallCounter(store.client) as calls, TestClient(app) as test_client:
        yield test_client
    store.close()
    assert "Scan" not in calls.counts(), "an API request scanned a DynamoDB table"


@pytest.fixture(scope="session")
def dynamodb_catalogue(aws_moto: None, tmp_path_factory: pytest.TempPathFactory) -> TableItems:
    """The tables of a fresh DynamoDB store as `create_app` leaves them: the factor catalogue.

    Loading the catalogue into moto, which every app over a fresh store does at start, takes
    about 0.3 s of the 0.35 s a DynamoDB API test's setup took. The API and web tests start
    from a fresh store holding a copy of these tables instead (its `create_app` then finds
    the catalogue up to date); they still build the app over their own store, and the
    catalogue is still loaded into an empty store by `create_app`, here, once per process.
    """
    directory = tmp_path_factory.mktemp("catalogue")
    store = dynamodb_store(directory / "dynamodb")
    create_app(
        Settings(data_dir=directory / "var", jwt_secret=TEST_SECRET),  # type: ignore[arg-type]
        store=store,
    )
    catalogue = snapshot_tables(store)
    store.close()
    assert catalogue, "create_app loaded no factor catalogue into the store"
    return catalogue


@pytest.fixture(autouse=True)
def _empty_moto_after_each_test() -> Iterator[None]:
    """Drop every in-process moto table after each test.

    Every test builds its own store anyway; left in place, the tables of all earlier tests
    pile up, and moto deep-copies all of them on every transaction (quadratic run time).
    moto also keeps every model object it ever made (each table and item, for its server's
    dashboard) until its mock stops; `reset_model_data` lets those of the dropped tables go,
    as moto's own reset does; without it a process grows by megabytes a test (to 4.8 GB over
    the whole suite in one process).
    """
    yield
    if moto_active:
        get_backend("dynamodb").reset()
        reset_model_data()


@pytest.fixture(scope="session")
def aws_moto() -> Iterator[None]:
    """Fake AWS credentials and an in-process moto for the whole session."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in FAKE_AWS_ENV.items():
            env.setenv(name, value)
        env.setattr(DynamoHandler, "call_action", serialized_moto_dynamodb())
        env.setattr(DynamoDBBackend, "transact_write_items", one_backup_per_table())
        env.setattr(ServiceOperationRouter, "_get_router", routers_built_one_at_a_time())
        for name, operation in canonical_moto_numbers().items():
            env.setattr(DynamoType, name, operation)
        with mock_aws():
            moto_active.append(True)
            try:
                yield
            finally:
                moto_active.clear()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse a hypothesis test that keeps a per-example deadline: we keep no timed tests."""
    timed = []
    for item in items:
        test = getattr(item, "obj", None)
        if not hasattr(test, "hypothesis"):
            continue
        # Hypothesis keeps a test's settings here; if that ever moves, fail loudly.
        chosen = test._hypothesis_internal_use_settings  # type: ignore[union-attr]
        if chosen.deadline is not None:
            timed.append(item.nodeid)
    if timed:
        raise pytest.UsageError(f"set @settings(deadline=None) on: {', '.join(timed)}")
