"""The catalogue sync at start-up: load what changed, and read no data file otherwise."""

from __future__ import annotations

from dataclasses import replace

from carbontrack.datasets import PACKAGED_DATASETS, Catalogue, defra, load_catalogue
from carbontrack.services.factors import sync_catalogue
from carbontrack.store.base import Store
from tests.api.factor_ids import PETROL_CAR


def _no_files() -> Catalogue:
    raise AssertionError("the sync read the data files of an up-to-date store")


def test_a_new_store_gets_every_dataset_then_a_sync_reads_no_file(store: Store) -> None:
    ids = [dataset.dataset_id for dataset in PACKAGED_DATASETS]
    assert sync_catalogue(store=store) == ids
    assert store.factors.datasets() == sorted(PACKAGED_DATASETS, key=lambda d: d.dataset_id)
    assert store.factors.get(PETROL_CAR) == load_catalogue().get(PETROL_CAR)
    assert sync_catalogue(store=store, load=_no_files) == []


def test_only_a_dataset_whose_checksum_differs_is_loaded_again(store: Store) -> None:
    sync_catalogue(store=store)
    store.factors.replace_dataset(replace(defra.DATASET, sha256="0" * 64), [])
    assert store.factors.get(PETROL_CAR) is None
    assert sync_catalogue(store=store) == [defra.DATASET.dataset_id]
    ids = [dataset.dataset_id for dataset in PACKAGED_DATASETS]
    assert store.factors.checksums(ids) == {d.dataset_id: d.sha256 for d in PACKAGED_DATASETS}
    assert store.factors.get(PETROL_CAR) == load_catalogue().get(PETROL_CAR)
