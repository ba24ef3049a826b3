"""The catalogue sync at start-up: load what changed, and read no data file otherwise."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from dataclasses import replace
from importlib.resources import files
from pathlib import Path

import pytest

from carbontrack import verified
from carbontrack.datasets import (
    PACKAGED_DATASETS,
    Catalogue,
    build_catalogue,
    catalogue,
    defra,
    load_catalogue,
    manifest,
    owid_food,
)
from carbontrack.datasets.catalogue import PACKAGED_INPUTS
from carbontrack.services import factors as factors_service
from carbontrack.services.factors import sync_catalogue
from carbontrack.store.base import Store
from tests.api.factor_ids import PETROL_CAR

BEEF_MEAL = owid_food.MEAL_PREFIX + "beef"


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


def _release(
    root: Path, monkeypatch: pytest.MonkeyPatch, path: str, edit: Callable[[str], str]
) -> None:
    """Simulate a release that changes one packaged file: a tmp copy of the data, new manifest."""
    source = Path(str(files("carbontrack.datasets")))
    for folder in ("factors", "reference"):
        shutil.copytree(source / folder, root / folder)
    changed = root / path
    changed.write_text(edit(changed.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setattr(verified, "files", lambda _package: root)
    monkeypatch.setitem(manifest.SHA256, path, hashlib.sha256(changed.read_bytes()).hexdigest())
    released = tuple(
        replace(d, sha256=manifest.inputs_checksum(PACKAGED_INPUTS[d.dataset_id]))
        for d in PACKAGED_DATASETS
    )
    # The packaged datasets' checksums are computed at import; a release recomputes them.
    monkeypatch.setattr(catalogue, "PACKAGED_DATASETS", released)
    monkeypatch.setattr(factors_service, "PACKAGED_DATASETS", released)


def test_a_recipe_only_change_reloads_the_food_dataset(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sync_catalogue(store=store)
    before = store.factors.get(BEEF_MEAL)
    assert before is not None
    _release(
        tmp_path,
        monkeypatch,
        manifest.FOOD_MEALS_FILE,
        lambda text: text.replace("beef-beef-herd,150,", "beef-beef-herd,100,"),
    )
    assert sync_catalogue(store=store, load=build_catalogue) == [owid_food.DATASET.dataset_id]
    after = store.factors.get(BEEF_MEAL)
    assert after is not None
    assert after.co2e_kg_per_unit == pytest.approx(before.co2e_kg_per_unit - 0.050 * 99.48)
    assert sync_catalogue(store=store, load=_no_files) == []


@pytest.mark.parametrize(
    ("path", "dataset_id"),
    [
        (manifest.FOOD_PORTIONS_FILE, owid_food.DATASET.dataset_id),
        (manifest.COUNTRY_REGIONS_FILE, defra.DATASET.dataset_id),
    ],
)
def test_a_change_to_any_input_file_reloads_its_dataset_only(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str, dataset_id: str
) -> None:
    sync_catalogue(store=store)
    _release(tmp_path, monkeypatch, path, lambda text: text + "\n")
    assert sync_catalogue(store=store, load=build_catalogue) == [dataset_id]
    assert sync_catalogue(store=store, load=_no_files) == []
