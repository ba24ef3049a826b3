"""Packaged emission-factor datasets (copied, checksummed) and the catalogue built from them."""

from carbontrack.datasets.catalogue import Catalogue, build_catalogue, load_catalogue

__all__ = ["Catalogue", "build_catalogue", "load_catalogue"]
