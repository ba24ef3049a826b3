"""Grid-factor fallback chain (country -> region -> World) and the packaged country map."""

from __future__ import annotations

import pycountry
import pytest

from carbontrack.datasets import load_catalogue
from carbontrack.datasets.countries import load_country_regions
from carbontrack.domain.electricity import (
    GRID_LOCAL_FACTOR_ID,
    CountryRegions,
    grid_factor_id,
    resolve_grid_factor,
)
from carbontrack.domain.models import Factor

COUNTRIES = {
    "DE": CountryRegions(alpha2="DE", alpha3="DEU", name="Germany", regions=("EU", "Europe")),
    "FR": CountryRegions(alpha2="FR", alpha3="FRA", name="France", regions=("EU", "Europe")),
    "XK": CountryRegions(alpha2="XK", alpha3="XKX", name="Kosovo", regions=("Europe",)),
    "AQ": CountryRegions(alpha2="AQ", alpha3="ATA", name="Antarctica", regions=()),
}


def make_factor(factor_id: str, *, co2e_kg_per_unit: float = 0.3) -> Factor:
    return Factor(
        factor_id=factor_id,
        category="electricity",
        activity="Grid electricity",
        unit="kWh",
        unit_type="energy",
        co2e_kg_per_unit=co2e_kg_per_unit,
        region="test",
        source="test",
        dataset="ember-grid-intensity",
        year=2024,
        licence="CC-BY-SA-4.0",
    )


def lookup(*factor_ids: str) -> dict[str, Factor]:
    return {factor_id: make_factor(factor_id) for factor_id in factor_ids}


WORLD_ID = "ember:grid-intensity:world"
EUROPE_ID = "ember:grid-intensity:europe"


def test_country_with_a_value_resolves_in_one_step() -> None:
    factors = lookup("ember:grid-intensity:DEU", WORLD_ID)
    factor, steps = resolve_grid_factor("DE", factors.get, countries=COUNTRIES)
    assert factor.factor_id == "ember:grid-intensity:DEU"
    assert steps == ("country DE -> ember:grid-intensity:DEU: found",)


def test_country_without_value_falls_back_to_its_region() -> None:
    factor, steps = resolve_grid_factor("XK", lookup(EUROPE_ID, WORLD_ID).get, countries=COUNTRIES)
    assert factor.factor_id == EUROPE_ID
    assert steps == ("country XK: no Ember value", f"region Europe -> {EUROPE_ID}: found")


def test_eu_member_tries_eu_before_its_continent() -> None:
    factors = lookup("ember:grid-intensity:eu", EUROPE_ID, WORLD_ID)
    factor, steps = resolve_grid_factor("fr", factors.get, countries=COUNTRIES)
    assert factor.factor_id == "ember:grid-intensity:eu"
    assert steps == ("country FR: no Ember value", "region EU -> ember:grid-intensity:eu: found")


def test_missing_regions_fall_back_to_world() -> None:
    factor, steps = resolve_grid_factor("FR", lookup(WORLD_ID).get, countries=COUNTRIES)
    assert factor.factor_id == WORLD_ID
    assert steps == (
        "country FR: no Ember value",
        "region EU: no Ember value",
        "region Europe: no Ember value",
        f"World -> {WORLD_ID}: found",
    )


@pytest.mark.parametrize("country", [None, "", "  "])
def test_no_country_uses_world(country: str | None) -> None:
    factor, steps = resolve_grid_factor(country, lookup(WORLD_ID).get, countries=COUNTRIES)
    assert factor.factor_id == WORLD_ID
    assert steps == ("no country set in profile", f"World -> {WORLD_ID}: found")


def test_unknown_code_uses_world() -> None:
    _, steps = resolve_grid_factor("ZZ", lookup(WORLD_ID).get, countries=COUNTRIES)
    assert steps == ("country ZZ: not an ISO 3166 country code", f"World -> {WORLD_ID}: found")


def test_missing_world_is_a_broken_catalogue() -> None:
    with pytest.raises(RuntimeError, match=WORLD_ID):
        resolve_grid_factor("AQ", lookup().get, countries=COUNTRIES)


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ("DEU", "ember:grid-intensity:DEU"),
        ("World", WORLD_ID),
        ("EU", "ember:grid-intensity:eu"),
        ("Latin America and Caribbean", "ember:grid-intensity:latin-america-and-caribbean"),
    ],
)
def test_grid_factor_ids(area: str, expected: str) -> None:
    assert grid_factor_id(area) == expected


@pytest.mark.parametrize(
    ("country", "expected_id", "expected_kg_per_kwh"),
    [
        ("DE", "ember:grid-intensity:DEU", 0.34206),  # Germany 2024, 342.06 g/kWh
        ("XK", "ember:grid-intensity:XKX", 0.95872),  # Kosovo: XK -> Ember's XKX
        ("MC", EUROPE_ID, 0.285),  # Monaco: no Ember value, UN M49 Europe
        ("EH", "ember:grid-intensity:africa", 0.54509),  # Western Sahara via Natural Earth
        (None, WORLD_ID, 0.47294),
    ],
)
def test_packaged_data_resolves(
    country: str | None, expected_id: str, expected_kg_per_kwh: float
) -> None:
    factor, _ = resolve_grid_factor(country, load_catalogue().get, countries=load_country_regions())
    assert factor.factor_id == expected_id
    assert factor.co2e_kg_per_unit == pytest.approx(expected_kg_per_kwh, rel=1e-12)


def test_local_grid_factor_shows_the_world_value() -> None:
    catalogue = load_catalogue()
    local, world = catalogue.get(GRID_LOCAL_FACTOR_ID), catalogue.get(WORLD_ID)
    assert local is not None
    assert world is not None
    assert (local.category, local.unit, local.region) == ("electricity", "kWh", "local")
    assert local.co2e_kg_per_unit == world.co2e_kg_per_unit
    assert local.year == world.year == 2024


def test_country_map_codes_agree_with_iso_3166() -> None:
    countries = load_country_regions()
    iso = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    assert {k: v.alpha3 for k, v in countries.items() if k != "XK"} == iso
    assert countries["XK"].alpha3 == "XKX"


def test_every_inhabited_country_without_ember_value_has_a_region() -> None:
    catalogue = load_catalogue()
    uninhabited = {"ATA", "ATF", "BVT", "HMD", "SGS"}
    missing = [
        c.alpha3
        for c in load_country_regions().values()
        if catalogue.get(grid_factor_id(c.alpha3)) is None
        and c.alpha3 not in uninhabited
        and not any(catalogue.get(grid_factor_id(r)) for r in c.regions)
    ]
    assert missing == []


def test_region_names_are_ember_regions() -> None:
    catalogue = load_catalogue()
    regions = {r for c in load_country_regions().values() for r in c.regions}
    assert all(catalogue.get(grid_factor_id(r)) is not None for r in regions)
