"""Fixtures of the ops tests: the issue 14 scene in moto, and a store to refresh into."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from carbontrack.store.base import Store
from tests.backends import STORE_FACTORIES
from tests.ops import scene
from tests.ops.scene import reset_moto


@pytest.fixture
def built(aws_moto: None) -> Iterator[scene.Scene]:
    reset_moto()
    yield scene.build(today=datetime.now(UTC).date())
    reset_moto()


@pytest.fixture
def store(aws_moto: None, tmp_path: Path) -> Iterator[Store]:
    """SQLite: the storage contract suite covers both backends (tests/store)."""
    opened = STORE_FACTORIES["sqlite"](tmp_path / "store")
    yield opened
    opened.close()
