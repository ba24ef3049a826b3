"""Every unit and alias the product accepts, pinned to its published definition.

Sources, cited per unit below:
  SP811  NIST SP 811 (2008 ed.), Guide for the Use of the SI, Appendix B.8 (factors in bold
         are exact) and its footnotes; https://www.nist.gov/pml/special-publication-811
  SI     The International System of Units (SI Brochure, 9th ed., 2019), Table 7 (prefixes)
  HB44   NIST Handbook 44, Appendix C: 1 U.S. gallon = 231 cubic inches exactly
  EPA    EPA GHG Emission Factors Hub: natural gas per mmBtu (million Btu) and per scf
         (standard cubic foot, a volume of gas); 1 therm = 100,000 Btu
  EIA    U.S. Energy Information Administration glossary: Ccf = 100 cubic feet,
         Mcf = 1,000 cubic feet (natural gas volumes)
  DEFRA  UK Government GHG Conversion Factors: hotel stay, per room per night
  A meal is a count of plates of one of CarbonTrack's stated recipes (food_meals.csv).
Exact values are asserted to 1e-12 relative (float rounding only); a value a source
publishes rounded is asserted to that rounding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from carbontrack.domain import units
from carbontrack.domain.units import UNIT_TYPES, convert, units_for

EXACT = 1e-12

# Exact base definitions (SP811 B.8, bold): foot, inch, pound.
FOOT_M = 0.3048
INCH_M = 0.0254
POUND_KG = 0.45359237
# SP811 footnote 9: the International Table Btu is exactly 1.055 055 852 62 E+03 J
# (B.8 lists it rounded, 1.055 056 E+03 J).
BTU_IT_J = 1055.05585262
CUBIC_FOOT_M3 = FOOT_M**3  # 0.028 316 846 592 m3 exactly; SP811 B.8 lists 2.831 685 E-02
US_GALLON_M3 = 231 * INCH_M**3  # HB44: 231 in3 = 3.785 411 784 E-03 m3 exactly
UK_GALLON_M3 = 4.54609e-3  # SP811 B.8: gallon [Canadian and U.K. (Imperial)], exact
# SP811 B.8 lists both therms: the product's therm is 100,000 International Table Btu,
# the therm (EC) (the UK's gas-billing therm); the therm (U.S.), 100,000 Btu at 59 degF, is
# 1.054 804 E+08 J. EPA's factors are per mmBtu and EPA's therm is 100,000 Btu, so a
# therm logged against them is 0.1 mmBtu exactly whichever Btu a bill means.
THERM_EC_J, THERM_EC_ROUNDING = 1.05506e8, 5e-6  # 6 significant digits
THERM_US_J = 1.054804e8


@dataclass(frozen=True, slots=True)
class Published:
    """A unit's spellings (name, symbol, aliases) and its size in a reference unit."""

    spellings: tuple[str, ...]
    reference: str
    value: float
    source: str


PUBLISHED: tuple[Published, ...] = (
    Published(("metre", "m", "meter"), "m", 1.0, "SI base unit"),
    Published(("kilometre", "km", "kilometer"), "m", 1e3, "SI prefix kilo"),
    Published(("mile", "mi", "statute_mile"), "m", 1609.344, "SP811 B.8 mile, exact"),
    Published(("nautical_mile", "nmi"), "m", 1852.0, "SP811 B.8 mile, nautical, exact"),
    Published(("gram", "g"), "kg", 1e-3, "SI prefix milli on the kilogram's gram"),
    Published(("kilogram", "kg"), "kg", 1.0, "SI base unit"),
    Published(
        ("tonne", "t", "metric_ton", "metric_tonne"), "kg", 1e3, "SP811 B.8 ton, metric, exact"
    ),
    Published(("pound", "lb", "lbs"), "kg", POUND_KG, "SP811 B.8 pound (avoirdupois), exact"),
    Published(("short_ton", "us_ton"), "kg", 2000 * POUND_KG, "SP811 B.8 ton, short (2000 lb)"),
    Published(("long_ton", "uk_ton", "imperial_ton"), "kg", 2240 * POUND_KG, "SP811 B.8 ton, long"),
    Published(("joule", "J"), "J", 1.0, "SI derived unit"),
    Published(("megajoule", "MJ"), "J", 1e6, "SI prefix mega"),
    Published(("gigajoule", "GJ"), "J", 1e9, "SI prefix giga"),
    Published(("watt_hour", "Wh"), "J", 3.6e3, "SP811 B.8 watt hour, exact"),
    Published(("kilowatt_hour", "kWh"), "J", 3.6e6, "SP811 B.8 kilowatt hour, exact"),
    Published(("megawatt_hour", "MWh"), "J", 3.6e9, "SI prefix mega on the watt hour"),
    Published(("gigawatt_hour", "GWh"), "J", 3.6e12, "SI prefix giga on the watt hour"),
    Published(("british_thermal_unit", "Btu"), "J", BTU_IT_J, "SP811 footnote 9, Btu_IT"),
    Published(("therm", "thm"), "J", 1e5 * BTU_IT_J, "SP811 B.8 therm (EC); EPA therm"),
    Published(("million_btu", "mmBtu"), "J", 1e6 * BTU_IT_J, "EPA mmBtu = 10^6 Btu"),
    Published(("cubic_metre", "m3", "cubic_meter"), "m3", 1.0, "SI derived unit"),
    Published(("litre", "L", "liter"), "m3", 1e-3, "SP811 B.8 liter, exact"),
    Published(("gallon", "gal", "us_gallon"), "m3", US_GALLON_M3, "HB44 gallon (U.S.)"),
    Published(
        ("imperial_gallon", "uk_gallon", "imp_gal"), "m3", UK_GALLON_M3, "SP811 B.8 gallon (UK)"
    ),
    Published(("cubic_foot", "ft3", "cu_ft"), "m3", CUBIC_FOOT_M3, "SP811 B.8 foot, cubed"),
    Published(("standard_cubic_foot", "scf"), "m3", CUBIC_FOOT_M3, "EPA scf: a cubic foot"),
    Published(("hundred_cubic_feet", "ccf"), "m3", 100 * CUBIC_FOOT_M3, "EIA Ccf"),
    Published(("thousand_cubic_feet", "Mcf"), "m3", 1000 * CUBIC_FOOT_M3, "EIA Mcf"),
    Published(("room_night", "night", "room_per_night"), "room_night", 1.0, "DEFRA hotel stay"),
    Published(("meal", "meals"), "meal", 1.0, "one plate of a recipe in food_meals.csv"),
    Published(("tonne_km", "tkm", "t_km", "tonne_kilometre"), "tonne_km", 1.0, "1 t x 1 km"),
    # Freight has no SI unit here: 1 short ton x 1 mile in tonne-km, from the exact values.
    Published(
        ("short_ton_mile",), "tonne_km", 2000 * POUND_KG * 1609.344 / 1e6, "short ton x mile"
    ),
)

SPELLINGS = [(spelling, unit) for unit in PUBLISHED for spelling in unit.spellings]


@pytest.mark.parametrize(("spelling", "unit"), SPELLINGS, ids=[s for s, _ in SPELLINGS])
def test_each_spelling_converts_by_its_published_definition(spelling: str, unit: Published) -> None:
    assert math.isclose(
        convert(1.0, from_unit=spelling, to_unit=unit.reference), unit.value, rel_tol=EXACT
    ), unit.source
    assert math.isclose(
        convert(1.0, from_unit=unit.reference, to_unit=spelling), 1 / unit.value, rel_tol=EXACT
    ), unit.source


def test_every_unit_and_alias_the_product_accepts_is_pinned() -> None:
    # The product's own list of definitions: a unit or alias added there needs a line above.
    offered = {
        name.strip().lower()
        for definition, _ in units._UNITS
        for i, name in enumerate(definition.split("="))
        if i != 1  # the value, e.g. "1000 * metre"
    }
    pinned = {spelling.lower() for spelling, _ in SPELLINGS}
    assert offered == pinned


@pytest.mark.parametrize("kind", UNIT_TYPES)
def test_every_unit_offered_in_the_pickers_is_pinned(kind: str) -> None:
    pinned = {spelling for spelling, _ in SPELLINGS}
    assert set(units_for(kind)) <= pinned


def test_the_therm_is_the_ec_therm_and_a_tenth_of_an_mmbtu() -> None:
    therm_j = convert(1.0, from_unit="therm", to_unit="J")
    assert math.isclose(therm_j, THERM_EC_J, rel_tol=THERM_EC_ROUNDING)
    assert not math.isclose(therm_j, THERM_US_J, rel_tol=1e-4)  # not the therm (U.S.)
    assert math.isclose(convert(1.0, from_unit="therm", to_unit="mmBtu"), 0.1, rel_tol=EXACT)


def test_rounded_nist_listings_agree_with_the_exact_values() -> None:
    # SP811 B.8 lists these to 7 significant digits: each exact value rounds to its listing.
    listed = {"ft3": ("m3", 2.831685e-2), "gallon": ("m3", 3.785412e-3)}
    listed |= {"Btu": ("J", 1.055056e3), "long_ton": ("kg", 1.016047e3)}
    for spelling, (reference, value) in listed.items():
        got = convert(1.0, from_unit=spelling, to_unit=reference)
        half_last_digit = 0.5 * 10 ** (math.floor(math.log10(value)) - 6)
        assert abs(got - value) <= half_last_digit, spelling
