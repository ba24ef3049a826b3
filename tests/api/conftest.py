"""Fixtures for API tests that look at one backend's calls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from carbontrack.api.app import create_app
from carbontrack.settings import Settings
from carbontrack.store.dynamodb import DynamoStore
from tests.backends import TableItems, dynamodb_store_with


@pytest.fixture
def dynamo(
    dynamodb_catalogue: TableItems, settings: Settings, tmp_path: Path
) -> Iterator[tuple[TestClient, DynamoStore]]:
    """The app over a fresh DynamoDB (moto) store, and that store, for counting its calls."""
    store = dynamodb_store_with(tmp_path / "calls", dynamodb_catalogue)
    with TestClient(create_app(settings, store=store)) as client:
        yield client, store
    store.close()
