"""The factor catalogue: every dataset CarbonTrack ships, loaded once per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from carbontrack.datasets import defra, ember, epa, owid_food
from carbontrack.datasets.countries import load_country_regions
from carbontrack.domain.categories import CATEGORIES
from carbontrack.domain.models import Dataset, Factor


@dataclass(frozen=True)
class Catalogue:
    """The shipped datasets and their factors, indexed by factor id and dataset id."""

    datasets: tuple[Dataset, ...]
    factors: tuple[Factor, ...]
    _by_id: dict[str, Factor] = field(init=False, repr=False, compare=False)
    _by_dataset: dict[str, tuple[Factor, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {factor.factor_id: factor for factor in self.factors}
        if len(by_id) != len(self.factors):
            raise ValueError("the catalogue has duplicate factor ids")
        grouped: dict[str, list[Factor]] = {d.dataset_id: [] for d in self.datasets}
        for factor in self.factors:
            if factor.dataset not in grouped or factor.category not in CATEGORIES:
                raise ValueError(f"factor {factor.factor_id} has an unknown dataset or category")
            grouped[factor.dataset].append(factor)
        # Frozen: the indexes are set once here and never change.
        object.__setattr__(self, "_by_id", by_id)
        object.__setattr__(self, "_by_dataset", {k: tuple(v) for k, v in grouped.items()})

    def factors_of(self, dataset_id: str) -> list[Factor]:
        """Return the factors of one dataset, in source order ([] for an unknown id)."""
        return list(self._by_dataset.get(dataset_id, ()))

    def get(self, factor_id: str) -> Factor | None:
        """Return the factor with this id, or None."""
        return self._by_id.get(factor_id)


# The shipped datasets, each with one checksum over its input files: known without reading them.
PACKAGED_DATASETS = (defra.DATASET, epa.DATASET, ember.DATASET, owid_food.DATASET)
# Dataset id -> every data file its factors are built from (what its checksum covers).
PACKAGED_INPUTS: dict[str, tuple[str, ...]] = {
    module.DATASET.dataset_id: module.INPUT_FILES for module in (defra, epa, ember, owid_food)
}


def build_catalogue() -> Catalogue:
    """Read and check every packaged data file and build a fresh catalogue (uncached)."""
    factors = (
        *defra.load_factors(load_country_regions()),
        *epa.load_factors(),
        *ember.load_factors(),
        *owid_food.load_factors(),
    )
    return Catalogue(datasets=PACKAGED_DATASETS, factors=factors)


@cache
def load_catalogue() -> Catalogue:
    """Return the process-wide catalogue, built on first use; RuntimeError if a file is altered."""
    return build_catalogue()
