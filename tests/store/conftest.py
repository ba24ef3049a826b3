"""The store contract suite runs every test once per backend in `STORE_FACTORIES`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from carbontrack.store.base import Store
from tests.backends import STORE_FACTORIES, StoreFactory


@pytest.fixture(scope="session", params=list(STORE_FACTORIES))
def store_factory(request: pytest.FixtureRequest) -> StoreFactory:
    """The factory of one backend; for tests that open stores themselves (hypothesis)."""
    if request.param == "dynamodb":
        request.getfixturevalue("aws_moto")
    factory: StoreFactory = STORE_FACTORIES[request.param]
    return factory


@pytest.fixture
def store(store_factory: StoreFactory, tmp_path: Path) -> Iterator[Store]:
    """A fresh store of one backend, closed after the test."""
    opened = store_factory(tmp_path)
    yield opened
    opened.close()
