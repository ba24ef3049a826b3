"""The first event of a container: the catalogue check beside the build, the paused collector."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import pytest

from carbontrack.datasets import PACKAGED_DATASETS, defra
from carbontrack.services import factors as factors_service
from carbontrack.store.base import Store
from carbontrack.store.dynamodb import DynamoStore
from tests.api.factor_ids import PETROL_CAR
from tests.backends import AWS_REGION

from .events import rest_event
from .helpers import Invoke

WRITES = ("PutItem", "BatchWriteItem", "TransactWriteItems", "UpdateItem", "DeleteItem")


@pytest.fixture
def deployed_store(deployment: dict[str, str]) -> Iterator[DynamoStore]:
    """The deployment's tables, read and written directly (not through a container)."""
    store = DynamoStore(region=AWS_REGION, prefix=deployment["CARBONTRACK_DYNAMODB_TABLE_PREFIX"])
    yield store
    store.close()


def _checksums(store: Store) -> dict[str, str]:
    return store.factors.checksums([dataset.dataset_id for dataset in PACKAGED_DATASETS])


def test_a_cold_start_loads_a_changed_dataset_before_it_serves(
    invoke: Invoke, deployed_store: DynamoStore
) -> None:
    factors_service.sync_catalogue(store=deployed_store)
    deployed_store.factors.replace_dataset(replace(defra.DATASET, sha256="0" * 64), [])
    assert deployed_store.factors.get(PETROL_CAR) is None

    assert invoke(rest_event("GET", "/api/health"))["statusCode"] == 200
    packaged = {dataset.dataset_id: dataset.sha256 for dataset in PACKAGED_DATASETS}
    assert _checksums(deployed_store) == packaged
    assert deployed_store.factors.get(PETROL_CAR) is not None


def test_a_cold_start_on_an_up_to_date_catalogue_only_reads_its_checksums(
    invoke: Invoke, deployed_store: DynamoStore, aws_calls: Counter[str]
) -> None:
    factors_service.sync_catalogue(store=deployed_store)
    aws_calls.clear()
    assert invoke(rest_event("GET", "/api/health"))["statusCode"] == 200
    assert aws_calls["BatchGetItem"] == 1
    assert {name: aws_calls[name] for name in WRITES} == dict.fromkeys(WRITES, 0)


def test_a_failed_catalogue_check_fails_the_cold_start_and_the_next_event_builds_again(
    invoke: Invoke, deployed_store: DynamoStore
) -> None:
    def unreachable(*, store: Store) -> list[str]:
        raise ConnectionError("DynamoDB unreachable")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(factors_service, "sync_catalogue", unreachable)
        with pytest.raises(ConnectionError, match="DynamoDB unreachable"):
            invoke(rest_event("GET", "/api/health"))

    assert invoke(rest_event("GET", "/api/health"))["statusCode"] == 200
    assert deployed_store.factors.get(PETROL_CAR) is not None


def test_the_first_event_freezes_what_the_build_made_and_collections_resume(
    invoke: Invoke,
) -> None:
    frozen = gc.get_freeze_count()
    assert invoke(rest_event("GET", "/api/health"))["statusCode"] == 200
    assert gc.get_freeze_count() > frozen
    assert gc.isenabled()


def test_importing_the_handler_freezes_its_imports_and_leaves_the_collector_as_it_was() -> None:
    code = (
        "import gc\n"
        "import carbontrack.lambda_handler\n"
        "assert gc.isenabled() and gc.get_freeze_count() > 0\n"
        "gc.disable()\n"
        "import importlib\n"
        "importlib.reload(carbontrack.lambda_handler)\n"
        "assert not gc.isenabled()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
