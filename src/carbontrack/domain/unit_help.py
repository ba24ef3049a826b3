"""What each unit on the log form is, in one line with its size, for people who meet a therm once.

The sizes are not written here: each is computed by `units.convert` from the one set of
definitions in units.py (pinned to NIST, EPA and EIA in tests/unit/test_unit_definitions.py),
so the help cannot drift from the arithmetic that the footprint uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from carbontrack.domain.units import convert


@dataclass(frozen=True, slots=True)
class UnitHelp:
    """A unit's name and what it is for; `size_in` the unit its size is stated in, if any."""

    name: str
    about: str
    size_in: str | None = None


# Keyed by the display spelling (units.canonical_unit), as the unit menu's values are.
_HELP: dict[str, UnitHelp] = {
    "m": UnitHelp("metre", "", "km"),
    "km": UnitHelp("kilometre", "1,000 metres", "mile"),
    "mile": UnitHelp("mile", "the statute mile", "km"),
    "nmi": UnitHelp("nautical mile", "used at sea and in the air", "km"),
    "g": UnitHelp("gram", "", "kg"),
    "kg": UnitHelp("kilogram", "", "lb"),
    "tonne": UnitHelp("tonne", "a metric ton", "kg"),
    "lb": UnitHelp("pound", "", "kg"),
    "short_ton": UnitHelp("short ton", "the US ton of 2,000 lb", "kg"),
    "long_ton": UnitHelp("long ton", "the UK ton of 2,240 lb", "kg"),
    "J": UnitHelp("joule", "the SI unit of energy", "Wh"),
    "MJ": UnitHelp("megajoule", "a million joules", "kWh"),
    "GJ": UnitHelp("gigajoule", "a billion joules", "kWh"),
    "Wh": UnitHelp("watt-hour", "one watt for one hour", "kWh"),
    "kWh": UnitHelp(
        "kilowatt-hour", "1,000 watts for one hour, the unit on electricity bills", "MJ"
    ),
    "MWh": UnitHelp("megawatt-hour", "1,000 kWh", "kWh"),
    "GWh": UnitHelp("gigawatt-hour", "a million kWh", "MWh"),
    "Btu": UnitHelp("British thermal unit", "heat to warm 1 lb of water by 1 °F", "Wh"),
    "therm": UnitHelp("therm", "100,000 Btu, a unit on UK and US gas bills", "kWh"),
    "mmBtu": UnitHelp("million Btu (mmBtu)", "10 therms, as US fuel data is stated", "kWh"),
    "m3": UnitHelp("cubic metre", "a unit on gas and water meters", "L"),
    "L": UnitHelp("litre", "", "gallon"),
    "gallon": UnitHelp("US gallon", "", "L"),
    "imperial_gallon": UnitHelp("imperial gallon", "the UK gallon", "L"),
    "ft3": UnitHelp("cubic foot", "", "L"),
    "scf": UnitHelp("standard cubic foot (scf)", "a cubic foot of gas at standard conditions", "L"),
    "ccf": UnitHelp("ccf", "100 cubic feet of gas, a unit on US gas bills", "m3"),
    "Mcf": UnitHelp("Mcf", "1,000 cubic feet of gas", "m3"),
    "room_night": UnitHelp("room-night", "one hotel room for one night"),
    "meal": UnitHelp("meal", "one whole meal of the stated recipe"),
    "tonne_km": UnitHelp("tonne-km", "one tonne of goods carried one kilometre"),
    "short_ton_mile": UnitHelp("short ton-mile", "one short ton carried one mile", "tonne_km"),
}

PASSENGER_KM = (
    "passenger-km: one person carried one kilometre. A factor per passenger-km already counts "
    "your own seat only, so enter the distance you travelled."
)


def describe(unit: str) -> str | None:
    """One line on `unit` (a display spelling) with its size, e.g. "therm: ... = 29.31 kWh"."""
    help_ = _HELP.get(unit)
    if help_ is None:
        return None
    parts = [help_.about] if help_.about else []
    if help_.size_in is not None:
        value = convert(1.0, from_unit=unit, to_unit=help_.size_in)
        parts.append(f"1 {_spoken(unit)} = {_number(value)} {_spoken(help_.size_in)}")
    return f"{help_.name}: {'; '.join(parts)}" if parts else help_.name


def descriptions() -> dict[str, str]:
    """One line per unit that has help, keyed by display spelling (for the page and its script)."""
    return {unit: line for unit in _HELP if (line := describe(unit)) is not None}


def per_passenger(activity: str) -> bool:
    """Whether a factor's own description says it is per passenger (flights, rail, bus)."""
    return "passenger" in activity.lower()


def _spoken(unit: str) -> str:
    return unit.replace("_", " ")  # imperial_gallon -> imperial gallon


def _number(value: float) -> str:
    # Four significant digits, with thousands separators: 1 mile = 1.609 km, 1 GJ = 277.8 kWh.
    text = f"{value:,.4g}"
    return text if "e" not in text else f"{value:.4g}"
