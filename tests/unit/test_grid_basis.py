"""Each grid factor names its basis: Ember life-cycle, DEFRA and eGRID direct (issue 16)."""

from __future__ import annotations

import json

import pytest

from carbontrack.datasets.catalogue import load_catalogue
from carbontrack.datasets.manifest import EMBER_FILE, read_verified
from carbontrack.domain.electricity import GRID_LOCAL_FACTOR_ID
from carbontrack.domain.models import Factor
from carbontrack.domain.reduction_actions import UK_GRID_2020


@pytest.fixture(scope="module")
def factors() -> dict[str, Factor]:
    return {f.factor_id: f for f in load_catalogue().factors}


def test_every_ember_factor_says_life_cycle(factors: dict[str, Factor]) -> None:
    ember = [f for f in factors.values() if f.dataset == "ember-grid-intensity"]
    # One per entry of the shipped file, plus "grid electricity in your country".
    assert len(ember) == len(json.loads(read_verified(EMBER_FILE))) + 1
    assert factors[GRID_LOCAL_FACTOR_ID] in ember
    for factor in ember:
        assert "life-cycle" in factor.activity, factor.activity
        assert "life-cycle basis (not direct combustion)" in factor.source, factor.source


def test_ember_values_are_life_cycle_in_the_shipped_data(factors: dict[str, Factor]) -> None:
    # Nearly all-hydro Paraguay and hydro/geothermal Iceland and Norway would be ~0 g/kWh on a
    # direct-combustion basis; Ember's life-cycle figures are 24.86, 28.33 and 30.75 g/kWh.
    entries = json.loads(read_verified(EMBER_FILE))
    for iso3 in ("PRY", "ISL", "NOR"):
        grams = entries[iso3]["emissions_intensity_gco2_per_kwh"]
        assert 20 <= grams <= 35, (iso3, grams)
        assert factors[f"ember:grid-intensity:{iso3}"].co2e_kg_per_unit == grams / 1000


def test_defra_and_egrid_electricity_say_direct_combustion(factors: dict[str, Factor]) -> None:
    uk = factors[UK_GRID_2020]
    assert uk.co2e_kg_per_unit == 0.23314  # DEFRA 2020 UK electricity, generation
    assert "direct combustion" in uk.activity
    egrid = [
        f
        for f in factors.values()
        if f.dataset == "epa-ghg-hub-2025" and f.category == "electricity"
    ]
    assert len(egrid) == 28  # 27 subregions and the US average
    for factor in egrid:
        assert "direct combustion" in factor.activity, factor.activity
        assert "direct combustion" in factor.source, factor.source
    # No grid factor is left without its basis.
    grid = [f for f in factors.values() if f.activity.lower().startswith(("grid", "uk grid"))]
    assert all("life-cycle" in f.activity or "direct" in f.activity for f in grid)
