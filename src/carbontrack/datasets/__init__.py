"""Packaged emission-factor datasets (copied, checksummed) and the catalogue built from them."""

from carbontrack.datasets.catalogue import (
    PACKAGED_DATASETS,
    Catalogue,
    build_catalogue,
    load_catalogue,
)

__all__ = ["PACKAGED_DATASETS", "Catalogue", "build_catalogue", "load_catalogue"]
