"""Fossil power plants (WRI GPPD), countries and large cities (Natural Earth 1:110m).

- co2/wri_gppd_fossil_plants_co2_estimates_dfg.csv: 8,602 gas, coal and oil plants of the WRI
  Global Power Plant Database (CC BY 4.0) with Data For Good's CO2 estimates (Apache-2.0). Its
  first, unnamed column is the row index Data For Good gave each plant; it is our plant id.
  Some CO2 estimates are impossible (a 454 MW plant listed at 473 Mt/yr), so each estimate is
  bounded by what the plant could emit running flat out all year on the dirtiest fuel:
  capacity x 8,760 h x 1 t CO2/MWh. The file files landfill gas, biogas and waste plants
  under "Gas power plant"; `fossil` is False for those (by name, `NON_FOSSIL_NAME`).
- co2/naturalearth_ne_110m_admin_0_countries.geojson: 177 country polygons (public domain;
  coarse coastlines, so a point within a few km of a coast may land on the wrong side).
- co2/naturalearth_ne_110m_populated_places_simple.geojson: 243 places; we keep those with a
  population (pop_max) of at least a million as "large cities".
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from carbontrack.explorer.data.manifest import (
    NE_COUNTRIES_FILE,
    NE_PLACES_FILE,
    WRI_PLANTS_FILE,
    read_verified,
)

PLANTS_SOURCE = "WRI Global Power Plant Database (CC BY 4.0), CO2 estimates by Data For Good"
NATURAL_EARTH_SOURCE = "Natural Earth 1:110m (public domain)"

# The dirtiest fossil generation (lignite, oil) emits about 1 t CO2 per MWh; 8,760 h in a year.
MAX_T_CO2_PER_MWH = 1.0
HOURS_PER_YEAR = 8760.0
CO2_ESTIMATE_YEAR = 2018
_CO2_COLUMN = "tCO2_emitted_in_2018_with estimated_data_extrapolated"
_FUELS = {"Coal power plant": "coal", "Gas power plant": "gas", "Oil power plant": "oil"}

LARGE_CITY_MIN_POPULATION = 1_000_000

# Plants the file lists as gas whose fuel is not fossil gas: landfill gas, biogas, sewage gas,
# biomass and municipal waste (whose CO2 is largely biogenic). "Waste coal" and "coal mine
# methane" are fossil and stay. Read from the name, the only place the file says so.
NON_FOSSIL_NAME = re.compile(
    r"landfill|biogas|biomass|wastewater|waste water|sewage|digester"
    r"|municipal (?:solid )?waste|solid waste|waste (?:incineration|combustion|to energy)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class PowerPlant:
    """A fossil power plant; `co2_t_per_yr` is the bounded 2018 estimate, None if unknown."""

    plant_id: str
    name: str
    country: str
    fuel: str
    capacity_mw: float
    lat: float
    lon: float
    co2_t_per_yr: float | None
    co2_capped: bool
    fossil: bool = True  # False for landfill gas, biogas and waste plants (NON_FOSSIL_NAME)


@dataclass(frozen=True, slots=True)
class City:
    """A populated place of Natural Earth 1:110m."""

    name: str
    country: str
    population: int
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Country:
    """A country's name, ISO alpha-3 code and its polygon(s) as GeoJSON geometry."""

    name: str
    iso_a3: str
    geometry: dict[str, Any]


def bounded_co2_t_per_yr(estimate_t: float | None, capacity_mw: float) -> tuple[float | None, bool]:
    """Return the CO2 estimate bounded by capacity x 8,760 h x 1 t/MWh, and whether it was cut."""
    if estimate_t is None:
        return None, False
    ceiling = capacity_mw * HOURS_PER_YEAR * MAX_T_CO2_PER_MWH
    if estimate_t > ceiling:
        return ceiling, True
    return estimate_t, False


@cache
def load_power_plants() -> tuple[PowerPlant, ...]:
    """Every fossil plant of the WRI file, in file order (cached; checksum verified)."""
    text = read_verified(WRI_PLANTS_FILE).decode("utf-8-sig")
    return tuple(_plant(row) for row in csv.DictReader(io.StringIO(text)))


def _plant(row: dict[str, str]) -> PowerPlant:
    capacity_mw = float(row["capacity_mw"])
    raw = row[_CO2_COLUMN]
    co2, capped = bounded_co2_t_per_yr(float(raw) if raw else None, capacity_mw)
    name = row["name"].strip()
    return PowerPlant(
        plant_id=row[""],
        name=name,
        country=row["country_long"],
        fuel=_FUELS[row["primary_fuel"]],
        capacity_mw=capacity_mw,
        lat=float(row["latitude"]),
        lon=float(row["longitude"]),
        co2_t_per_yr=co2,
        co2_capped=capped,
        fossil=NON_FOSSIL_NAME.search(name) is None,
    )


@cache
def load_countries() -> tuple[Country, ...]:
    """The Natural Earth 1:110m countries, in file order (cached; checksum verified)."""
    features = json.loads(read_verified(NE_COUNTRIES_FILE))["features"]
    return tuple(_country(feature) for feature in features)


def _country(feature: dict[str, Any]) -> Country:
    props = feature["properties"]
    # ISO_A3 is "-99" for a few (France, Norway, Kosovo, ...): Natural Earth's own code stands in.
    iso = props["ISO_A3"] if props["ISO_A3"] != "-99" else props["ADM0_A3"]
    return Country(name=str(props["NAME"]), iso_a3=str(iso), geometry=feature["geometry"])


@cache
def load_large_cities() -> tuple[City, ...]:
    """Natural Earth places with at least a million people (cached; checksum verified)."""
    features = json.loads(read_verified(NE_PLACES_FILE))["features"]
    cities = (_city(feature) for feature in features)
    return tuple(city for city in cities if city.population >= LARGE_CITY_MIN_POPULATION)


def _city(feature: dict[str, Any]) -> City:
    props = feature["properties"]
    lon, lat = feature["geometry"]["coordinates"]
    return City(
        name=str(props["name"]),
        country=str(props["adm0name"]),
        population=int(props["pop_max"]),
        lat=float(lat),
        lon=float(lon),
    )
