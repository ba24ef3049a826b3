"""Fixtures shared by every tier: settings and a fresh SQLite-backed app per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from carbontrack.api.app import create_app
from carbontrack.settings import Settings

TEST_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "var",
        jwt_secret=TEST_SECRET,  # type: ignore[arg-type]
        login_max_failures=3,
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    with TestClient(app) as test_client:
        yield test_client
    app.state.store.close()
