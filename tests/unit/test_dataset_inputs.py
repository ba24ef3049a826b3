"""Each dataset's checksum covers every file its factors are built from, and only those."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from carbontrack.datasets import PACKAGED_DATASETS, defra, ember, epa, manifest, owid_food
from carbontrack.datasets.catalogue import PACKAGED_INPUTS
from carbontrack.datasets.countries import load_country_regions
from carbontrack.domain.models import Dataset


class _RecordingChecksums(dict[str, str]):
    """The manifest's checksums, noting every path `read_verified` looks up."""

    def __init__(self, recorded: dict[str, str]) -> None:
        super().__init__(recorded)
        self.read: set[str] = set()

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        self.read.add(key)
        return super().get(key, default)


_BUILDERS: dict[str, Callable[[], object]] = {
    # Uncached: the country map must be read now, not come from an earlier test's cache.
    defra.DATASET.dataset_id: lambda: defra.load_factors(load_country_regions.__wrapped__()),
    epa.DATASET.dataset_id: epa.load_factors,
    ember.DATASET.dataset_id: ember.load_factors,
    owid_food.DATASET.dataset_id: lambda: (owid_food.load_factors(), owid_food.load_portions()),
}


@pytest.mark.parametrize("dataset_id", [d.dataset_id for d in PACKAGED_DATASETS])
def test_every_file_a_dataset_is_built_from_is_declared(
    dataset_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    recording = _RecordingChecksums(manifest.SHA256)
    monkeypatch.setattr(manifest, "SHA256", recording)
    _BUILDERS[dataset_id]()
    assert recording.read == set(PACKAGED_INPUTS[dataset_id])


@pytest.mark.parametrize(
    ("dataset", "path"),
    [(d, path) for d in PACKAGED_DATASETS for path in PACKAGED_INPUTS[d.dataset_id]],
    ids=lambda value: getattr(value, "dataset_id", value),
)
def test_a_change_to_any_input_file_changes_the_dataset_checksum(
    dataset: Dataset, path: str
) -> None:
    inputs = PACKAGED_INPUTS[dataset.dataset_id]
    assert manifest.inputs_checksum(inputs) == dataset.sha256
    changed = {**manifest.SHA256, path: "0" * 64}
    assert manifest.inputs_checksum(inputs, changed) != dataset.sha256


def test_the_combined_checksum_ignores_the_order_the_inputs_are_declared_in() -> None:
    inputs = PACKAGED_INPUTS[owid_food.DATASET.dataset_id]
    assert manifest.inputs_checksum(reversed(inputs)) == manifest.inputs_checksum(inputs)
