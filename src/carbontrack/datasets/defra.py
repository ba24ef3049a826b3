"""UK Government GHG conversion factors 2020 (BEIS, published with DEFRA): personal subset.

We keep DEFRA's headline direct factors (kg CO2e per unit) and skip well-to-tank (WTT) and
transmission & distribution (T&D) rows; see docs/data-sources.md for every rule below.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping

from carbontrack.datasets.manifest import (
    COUNTRY_REGIONS_FILE,
    DEFRA_FILE,
    inputs_checksum,
    read_verified,
)
from carbontrack.datasets.slugs import slug
from carbontrack.domain.electricity import CountryRegions
from carbontrack.domain.models import Dataset, Factor

# Every file the factors are built from: the hotel rows take their country codes from the map.
INPUT_FILES = (DEFRA_FILE, COUNTRY_REGIONS_FILE)

DATASET = Dataset(
    dataset_id="defra-ghg-cf-2020",
    name="UK Government GHG Conversion Factors for Company Reporting 2020 (BEIS/DEFRA)",
    provider="defra",
    version="2020",
    source_url=(
        "https://www.gov.uk/government/publications/greenhouse-gas-reporting-conversion-factors-2020"
    ),
    licence="OGL-UK-3.0",
    attribution=(
        "Contains public sector information licensed under the Open Government Licence v3.0 "
        "(© Crown copyright 2020)"
    ),
    file=DEFRA_FILE,
    sha256=inputs_checksum(INPUT_FILES),
)

_ID_PREFIX = "defra:ghg-cf-2020:"
_YEAR = 2020
_REGION = "GB"

# level_1 -> category. Anything else (WTT-*, Transmission and distribution) is skipped.
_CATEGORY = {
    "Fuels": "heating",
    "Bioenergy": "heating",
    "Passenger vehicles": "transport",
    "UK electricity for Evs": "transport",
    "Business travel- land": "transport",
    "Business travel- sea": "transport",
    "Business travel- air": "flights",
    "UK electricity": "electricity",
    "Heat and steam": "heating",
    "Hotel stay": "hotels",
    "Material use": "purchases",
    "Waste disposal": "waste",
    "Water supply": "water",
    "Water treatment": "water",
}
# People log these fuels when they fill a vehicle, so they sit with transport, not heating;
# DEFRA's "Biofuel" rows are the road-transport biofuels.
_TRANSPORT_FUELS = frozenset(
    {
        "Petrol (average biofuel blend)",
        "Petrol (100% mineral petrol)",
        "Diesel (average biofuel blend)",
        "Diesel (100% mineral diesel)",
        "CNG",
        "Aviation spirit",
        "Aviation turbine fuel",
        "Marine gas oil",
        "Marine fuel oil",
    }
)
# Cars and motorbikes come from "Passenger vehicles"; the business-travel copies are the same.
_LAND_MODE = {"Bus": "Bus", "Rail": "Rail", "Taxis": "Taxi"}
# Same dimension as a row we keep: Net CV duplicates Gross CV (DEFRA's headline), miles
# duplicate km, million litres duplicate cubic metres (checked in tests/unit/test_catalogue.py).
_DROPPED_UOM = frozenset({"kWh (Net CV)", "miles", "million litres"})

# uom -> (Factor.unit, Factor.unit_type, activity suffix)
_UNITS = {
    "kWh": ("kWh", "energy", "per kWh"),
    "kWh (Gross CV)": ("kWh", "energy", "per kWh (gross calorific value)"),
    "GJ": ("GJ", "energy", "per GJ"),
    "litres": ("L", "volume", "per litre"),
    "cubic metres": ("m3", "volume", "per m3"),
    "kg": ("kg", "mass", "per kg"),
    "tonnes": ("tonne", "mass", "per tonne"),
    "km": ("km", "distance", "per vehicle km"),
    "passenger.km": ("km", "distance", "per passenger km"),
    "tonne.km": ("tonne_km", "freight", "per tonne km"),
    "Room per night": ("room_night", "room_night", "per room per night"),
}

_FUEL_LABEL = {
    "Diesel": "diesel",
    "Petrol": "petrol",
    "Hybrid": "hybrid",
    "CNG": "CNG",
    "LPG": "LPG",
    "Unknown": "unknown fuel",
    "Plug-in Hybrid Electric Vehicle": "plug-in hybrid",
    "Battery Electric Vehicle": "battery electric",
}

# DEFRA hotel country names that differ from the ISO names in reference/country_regions.csv.
_HOTEL_REGIONS = {
    "UK": "GB",
    "UK (London)": "GB",
    "Caribbean Region": "Caribbean",
    "China (Hong Kong)": "HK",
    "Czech Republic": "CZ",
    "Turkey": "TR",
}

_LEVELS = ("level_1", "level_2", "level_3", "level_4", "column_text")


def load_factors(countries: Mapping[str, CountryRegions]) -> list[Factor]:
    """Return the DEFRA 2020 factors CarbonTrack offers, read from the packaged CSV."""
    text = read_verified(DEFRA_FILE).decode("utf-8")
    rows = [(row, _item(row)) for row in csv.DictReader(io.StringIO(text)) if _keep(row)]
    repeated = Counter(item for _, item in rows)
    regions = {c.name.lower(): c.alpha2 for c in countries.values()}
    return [
        _factor(row, item, unit_suffix=repeated[item] > 1, regions=regions) for row, item in rows
    ]


def _keep(row: Mapping[str, str]) -> bool:
    if row["factor_2020"] == "" or row["level_1"] not in _CATEGORY:
        return False
    if row["uom"] in _DROPPED_UOM:
        return False
    if row["level_1"] == "Business travel- land" and row["level_2"] not in _LAND_MODE:
        return False
    # DEFRA's tailpipe factor for battery cars is 0 by definition: offering it would let a
    # driver log zero; their factor is the "UK electricity for EVs" charging one.
    return not (
        row["level_1"] == "Passenger vehicles" and row["column_text"] == "Battery Electric Vehicle"
    )


def _item(row: Mapping[str, str]) -> str:
    return ".".join(slug(row[level]) for level in _LEVELS if row[level])


def _factor(
    row: Mapping[str, str], item: str, *, unit_suffix: bool, regions: Mapping[str, str]
) -> Factor:
    try:
        unit, unit_type, per = _UNITS[row["uom"]]
    except KeyError:
        raise RuntimeError(f"DEFRA row with unexpected unit {row['uom']!r}: {row}") from None
    if unit_suffix:
        item += "." + slug(row["uom"])
    path = " > ".join(row[level] for level in _LEVELS if row[level])
    return Factor(
        factor_id=_ID_PREFIX + item,
        category=_category(row),
        activity=f"{_describe(row)}, {per}",
        unit=unit,
        unit_type=unit_type,
        co2e_kg_per_unit=float(row["factor_2020"]),
        region=_region(row, regions),
        source=f"BEIS/DEFRA GHG conversion factors 2020: {path} ({row['uom']})",
        dataset=DATASET.dataset_id,
        year=_YEAR,
        licence=DATASET.licence,
    )


def _category(row: Mapping[str, str]) -> str:
    is_motor_fuel = row["level_1"] == "Fuels" and row["level_3"] in _TRANSPORT_FUELS
    if is_motor_fuel or row["level_2"] == "Biofuel":
        return "transport"
    return _CATEGORY[row["level_1"]]


def _region(row: Mapping[str, str], regions: Mapping[str, str]) -> str:
    if row["level_1"] != "Hotel stay":
        return _REGION
    country = row["level_3"]
    region = _HOTEL_REGIONS.get(country) or regions.get(country.lower())
    if region is None:
        raise RuntimeError(f"DEFRA hotel country {country!r} has no ISO code mapping")
    return region


def _describe(row: Mapping[str, str]) -> str:
    level_1, level_2, level_3, level_4, column = (row[level] for level in _LEVELS)
    fuel = _FUEL_LABEL.get(column, column)
    if level_1 == "Passenger vehicles":
        note = " (fuel burnt only; log charging separately)" if fuel == "plug-in hybrid" else ""
        return _describe_vehicle(level_2, level_3, fuel) + note
    if level_1 == "UK electricity for Evs":
        return f"EV charging, UK grid electricity: {_describe_vehicle(level_2, level_3, fuel)}"
    if level_1 == "UK electricity":
        return "UK grid electricity (direct combustion at generation, excl. T&D losses)"
    if level_1 == "Business travel- air":
        radiative = "with" if column == "With RF" else "without"
        return f"Flight, {_lower_first(level_3)}, {level_4.lower()}, {radiative} radiative forcing"
    if level_1 == "Business travel- land":
        return f"{_LAND_MODE[level_2]}: {_lower_first(level_3)}"
    if level_1 == "Business travel- sea":
        return f"Ferry: {_lower_first(level_3)}"
    if level_1 == "Hotel stay":
        return f"Hotel stay, {level_3}"
    if level_1 == "Material use":
        return f"{level_3}: {column.lower()}"
    if level_1 == "Waste disposal":
        return f"Waste: {level_3}, {column.lower()}"
    if level_1 == "Bioenergy":
        # DEFRA reports the biogenic CO2 of bioenergy "outside of scopes": only CH4 and N2O here.
        return f"{level_3} (CH4 and N2O only; biogenic CO2 excluded as DEFRA reports it)"
    return level_3  # fuels, heat and steam, water


def _describe_vehicle(level_2: str, level_3: str, fuel: str) -> str:
    if level_2 == "Motorbike":
        return f"Motorbike, {level_3.lower()}"
    if level_2 == "Vans":
        return f"Van {level_3}, {fuel}"
    car = level_3 if level_2 == "Cars (by size)" else f"{level_3} car (market segment)"
    return f"{car}, {fuel}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
