"""Read a packaged data file only if its bytes match the checksum recorded for it.

Shared by the factor datasets (`datasets/manifest.py`) and the CO2 explorer's data
(`explorer/data/manifest.py`), each with its own package and table of checksums.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from importlib.resources import files


def read_verified(package: str, path: str, checksums: Mapping[str, str]) -> bytes:
    """Return the bytes of `path` inside `package` after checking them against `checksums`."""
    resource = files(package)
    for part in path.split("/"):
        resource = resource.joinpath(part)
    data = resource.read_bytes()
    expected = checksums.get(path)
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        where = package.replace(".", "/")
        raise RuntimeError(
            f"data file {where}/{path} does not match its recorded checksum "
            f"(expected sha256 {expected}, got {actual}); reinstall CarbonTrack or update "
            "the manifest together with the file's provenance"
        )
    return data
