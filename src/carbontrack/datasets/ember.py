"""Ember yearly grid carbon intensity per country and region, as republished by co2.js.

One factor per entry (latest year Ember has for it, 2022-2024), plus the "grid electricity in
my country" factor that the services resolve per user with domain.electricity.

Ember's intensities are **life-cycle** figures (upstream methane, supply chain and construction
included: Paraguay, almost all hydro, is 24.9 g/kWh), unlike DEFRA's and eGRID's direct
combustion factors, so every Ember factor says so in its name and source (docs/data-sources.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from carbontrack.datasets.manifest import EMBER_FILE, inputs_checksum, read_verified
from carbontrack.domain.electricity import GRID_LOCAL_FACTOR_ID, WORLD, grid_factor_id
from carbontrack.domain.models import Dataset, Factor

INPUT_FILES = (EMBER_FILE,)

DATASET = Dataset(
    dataset_id="ember-grid-intensity",
    name="Ember yearly electricity data: life-cycle grid CO2e intensity (via co2.js)",
    provider="ember",
    version="2022-2024",  # each entry carries its own latest year
    source_url="https://ember-energy.org/data/yearly-electricity-data/",
    licence="CC-BY-SA-4.0",
    attribution=(
        "Ember, yearly electricity data (CC BY-SA 4.0), as republished by The Green Web "
        "Foundation's co2.js in data/output/average-intensities.json"
    ),
    file=EMBER_FILE,
    sha256=inputs_checksum(INPUT_FILES),
)

BASIS = "life-cycle"  # Ember's methodology: full life-cycle emissions, all gases, CO2e
_SOURCE = f"Ember yearly electricity data via co2.js, {BASIS} basis (not direct combustion)"


def load_factors() -> list[Factor]:
    """Return one kg CO2e/kWh factor per Ember country or region, and the local-grid factor."""
    entries = json.loads(read_verified(EMBER_FILE))
    factors = [_factor(key, entry) for key, entry in entries.items()]
    world = next(f for f in factors if f.factor_id == grid_factor_id(WORLD))
    local = Factor(
        factor_id=GRID_LOCAL_FACTOR_ID,
        category="electricity",
        activity=(
            f"Grid electricity in your country (Ember, {BASIS}; falls back to region, then World)"
        ),
        unit="kWh",
        unit_type="energy",
        # Stands for the World value until resolved against the user's country.
        co2e_kg_per_unit=world.co2e_kg_per_unit,
        region="local",
        source=f"{_SOURCE}: resolved per user country; World value shown",
        dataset=DATASET.dataset_id,
        year=world.year,
        licence=DATASET.licence,
    )
    return [local, *factors]


def _factor(key: str, entry: Mapping[str, Any]) -> Factor:
    area = entry["country_code"] or entry["country_or_region"]
    if area != key:
        raise RuntimeError(f"Ember entry {key!r} names another area: {entry}")
    name, year = entry["country_or_region"], int(entry["year"])
    return Factor(
        factor_id=grid_factor_id(area),
        category="electricity",
        activity=f"Grid electricity, {name} ({year} average, {BASIS}), per kWh",
        unit="kWh",
        unit_type="energy",
        co2e_kg_per_unit=float(entry["emissions_intensity_gco2_per_kwh"]) / 1000,
        region=area,
        source=f"{_SOURCE}: {name}, {year}",
        dataset=DATASET.dataset_id,
        year=year,
        licence=DATASET.licence,
    )
