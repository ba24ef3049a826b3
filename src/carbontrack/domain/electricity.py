"""Grid electricity "in my country": pick the Ember factor for a profile's country.

The fallback chain is country -> its regions (EU membership first, then the Ember continental
region) -> World, and every step tried is returned so an entry can show how its factor was
chosen. Pure: the only inputs are the factor lookup and the country -> region map.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from carbontrack.domain.models import Factor

GRID_LOCAL_FACTOR_ID: str = "ember:grid-intensity:local"
WORLD: str = "World"

_ID_PREFIX = "ember:grid-intensity:"
_ISO3 = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class CountryRegions:
    """An ISO 3166 country and the Ember regions to try for it, most specific first."""

    alpha2: str  # e.g. "DE"
    alpha3: str  # e.g. "DEU"; Kosovo is "XKX" as in Ember
    name: str
    regions: tuple[str, ...]  # Ember region names, e.g. ("EU", "Europe"); World is implied


def grid_factor_id(area: str) -> str:
    """Return the Ember factor id for an ISO alpha-3 code or an Ember region name."""
    if _ISO3.fullmatch(area):
        return _ID_PREFIX + area
    return _ID_PREFIX + re.sub(r"[^a-z0-9]+", "-", area.lower()).strip("-")


def resolve_grid_factor(
    country_alpha2: str | None,
    get_factor: Callable[[str], Factor | None],
    *,
    countries: Mapping[str, CountryRegions],
) -> tuple[Factor, tuple[str, ...]]:
    """Return the Ember grid factor for a country, falling back to region then World.

    `countries` is the country map (`datasets.countries.load_country_regions()`), passed in:
    this module is pure and reads no file.
    """
    steps: list[str] = []
    regions: tuple[str, ...] = ()
    code = (country_alpha2 or "").strip().upper()
    info = countries.get(code)
    if not code:
        steps.append("no country set in profile")
    elif info is None:
        steps.append(f"country {code}: not an ISO 3166 country code")
    else:
        factor_id = grid_factor_id(info.alpha3)
        factor = get_factor(factor_id)
        if factor is not None:
            return factor, (f"country {code} -> {factor_id}: found",)
        steps.append(f"country {code}: no Ember value")
        regions = info.regions
    for region in regions:
        factor_id = grid_factor_id(region)
        factor = get_factor(factor_id)
        if factor is not None:
            steps.append(f"region {region} -> {factor_id}: found")
            return factor, tuple(steps)
        steps.append(f"region {region}: no Ember value")
    return _world(get_factor, steps)


def _world(
    get_factor: Callable[[str], Factor | None], steps: list[str]
) -> tuple[Factor, tuple[str, ...]]:
    factor_id = grid_factor_id(WORLD)
    factor = get_factor(factor_id)
    if factor is None:
        raise RuntimeError(f"the factor catalogue has no {factor_id} factor")
    steps.append(f"{WORLD} -> {factor_id}: found")
    return factor, tuple(steps)
