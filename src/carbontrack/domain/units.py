"""Units that users type, checked and converted with pint over a small curated registry.

We define our own unit list instead of loading pint's default registry: users get exactly the
spellings below (case-insensitive, plurals allowed), and nothing surprising such as "k m"
(Boltzmann constant x metre), SI prefixes on anything, or an ambiguous bare "ton".
"gallon" is the US gallon; "therm" and "mmBtu" use the International Table Btu.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from carbontrack.domain.errors import InvalidInput, UnitMismatch

# (pint definition, display spelling). The display spelling is what canonical_unit() returns
# and what the catalogue stores in Factor.unit.
_UNITS: tuple[tuple[str, str], ...] = (
    ("metre = [length] = m = meter", "m"),
    ("kilometre = 1000 * metre = km = kilometer", "km"),
    ("mile = 1609.344 * metre = mi = statute_mile", "mile"),
    ("nautical_mile = 1852 * metre = nmi", "nmi"),
    ("gram = [mass] = g", "g"),
    ("kilogram = 1000 * gram = kg", "kg"),
    ("tonne = 1000 * kilogram = t = metric_ton = metric_tonne", "tonne"),
    ("pound = 0.45359237 * kilogram = lb = lbs", "lb"),
    ("short_ton = 2000 * pound = us_ton", "short_ton"),
    ("long_ton = 2240 * pound = uk_ton = imperial_ton", "long_ton"),
    ("joule = [energy] = J", "J"),
    ("megajoule = 1e6 * joule = MJ", "MJ"),
    ("gigajoule = 1e9 * joule = GJ", "GJ"),
    ("watt_hour = 3600 * joule = Wh", "Wh"),
    ("kilowatt_hour = 1e3 * watt_hour = kWh", "kWh"),
    ("megawatt_hour = 1e6 * watt_hour = MWh", "MWh"),
    ("gigawatt_hour = 1e9 * watt_hour = GWh", "GWh"),
    ("british_thermal_unit = 1055.05585262 * joule = Btu", "Btu"),
    ("therm = 1e5 * british_thermal_unit = thm", "therm"),
    ("million_btu = 1e6 * british_thermal_unit = mmBtu", "mmBtu"),
    ("cubic_metre = metre ** 3 = m3 = cubic_meter", "m3"),
    ("litre = 1e-3 * cubic_metre = L = liter", "L"),
    ("gallon = 3.785411784 * litre = gal = us_gallon", "gallon"),
    ("imperial_gallon = 4.54609 * litre = uk_gallon = imp_gal", "imperial_gallon"),
    ("cubic_foot = 0.028316846592 * cubic_metre = ft3 = cu_ft", "ft3"),
    ("standard_cubic_foot = cubic_foot = scf", "scf"),
    ("hundred_cubic_feet = 100 * cubic_foot = ccf", "ccf"),
    ("thousand_cubic_feet = 1000 * cubic_foot = mcf", "Mcf"),
    ("room_night = [room_night] = night = room_per_night", "room_night"),
    # A whole meal of a stated recipe (datasets/reference/food_meals.csv): a count, like a night.
    ("meal = [meal] = meals", "meal"),
    ("tonne_km = tonne * kilometre = tkm = t_km = tonne_kilometre", "tonne_km"),
    ("short_ton_mile = short_ton * mile", "short_ton_mile"),
)

_DISPLAY: dict[str, str] = {d.split("=", 1)[0].strip(): shown for d, shown in _UNITS}

# Dimensionality (sorted items) -> unit type.
_TYPE_BY_DIMENSION: dict[tuple[tuple[str, int], ...], str] = {
    (("[length]", 1),): "distance",
    (("[energy]", 1),): "energy",
    (("[length]", 3),): "volume",
    (("[mass]", 1),): "mass",
    (("[room_night]", 1),): "room_night",
    (("[meal]", 1),): "meal",
    (("[length]", 1), ("[mass]", 1)): "freight",
}

UNIT_TYPES: tuple[str, ...] = tuple(_TYPE_BY_DIMENSION.values())

_UNITS_FOR: dict[str, tuple[str, ...]] = {
    "distance": ("km", "mile", "m"),
    "energy": ("kWh", "MWh", "GJ", "MJ", "therm", "mmBtu"),
    "volume": ("L", "m3", "gallon", "imperial_gallon", "scf", "ccf"),
    "mass": ("kg", "tonne", "lb", "short_ton"),
    "room_night": ("room_night",),
    "meal": ("meal",),
    "freight": ("tonne_km", "short_ton_mile"),
}

_PHRASE: dict[str, str] = {
    "distance": "a distance",
    "energy": "an energy",
    "volume": "a volume",
    "mass": "a mass",
    "room_night": "a number of room-nights",
    "meal": "a number of meals",
    "freight": "a freight amount (mass x distance)",
}

_TON_HINT = "'ton' is ambiguous: use 'tonne' (1000 kg) or 'short_ton' (2000 lb)"
_PASSENGER_HINT = (
    "log the distance you travelled (e.g. km, mile): per-passenger factors already count one "
    "passenger"
)
_HINTS: dict[str, str] = {
    "ton": _TON_HINT,
    "tons": _TON_HINT,
    "ton_mile": _TON_HINT,
    "ton_miles": _TON_HINT,
    "passenger_km": _PASSENGER_HINT,
    "passenger_mile": _PASSENGER_HINT,
    "passenger_miles": _PASSENGER_HINT,
    "pkm": _PASSENGER_HINT,
}

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
_SEPARATORS = re.compile(r"[\s.*·-]+")


@dataclass(frozen=True, slots=True)
class _Parsed:
    name: str  # the pint unit name, e.g. "kilometre"
    unit_type: str


@cache
def _registry() -> Any:
    # Deferred: importing pint costs ~150 ms, paid on the first conversion, not at import.
    import pint

    registry: Any = pint.UnitRegistry(None, case_sensitive=False, on_redefinition="raise")
    for definition, _ in _UNITS:
        registry.define(definition)
    return registry


def _normalise(unit: str) -> str:
    text = unit.strip().replace("³", "3").replace("**3", "3").replace("^3", "3")
    return _SEPARATORS.sub("_", text)


def _unknown(unit: str, name: str) -> InvalidInput:
    hint = _HINTS.get(name.lower())
    if hint is None:
        hint = "try e.g. " + ", ".join(_UNITS_FOR[t][0] for t in UNIT_TYPES)
    return InvalidInput(f"unknown unit {unit!r}: {hint}", field="unit")


@lru_cache(maxsize=1024)
def _parse(unit: str) -> _Parsed:
    name = _normalise(unit)
    if not _NAME.fullmatch(name) or name.lower() in _HINTS:
        raise _unknown(unit, name)
    # Only identifiers reach pint, so its expression parser never sees user text.
    registry = _registry()
    try:
        pint_name = str(registry.get_name(name))
    except (AttributeError, KeyError, ValueError) as exc:  # pint's UndefinedUnitError
        raise _unknown(unit, name) from exc
    dimensionality = registry.Unit(pint_name).dimensionality
    key = tuple(sorted((str(dim), int(power)) for dim, power in dimensionality.items()))
    unit_type = _TYPE_BY_DIMENSION.get(key)
    if unit_type is None or pint_name not in _DISPLAY:
        raise _unknown(unit, name)
    return _Parsed(name=pint_name, unit_type=unit_type)


@lru_cache(maxsize=1024)
def _ratio(from_name: str, to_name: str) -> float:
    return float(_registry().Quantity(1.0, from_name).to(to_name).magnitude)


def unit_type(unit: str) -> str:
    """Return the unit type of `unit` ("distance", "energy", ...); InvalidInput if unknown."""
    return _parse(unit).unit_type


def canonical_unit(unit: str) -> str:
    """Return the stable display spelling of `unit`, e.g. "Miles" -> "mile"."""
    return _DISPLAY[_parse(unit).name]


def units_for(unit_type: str) -> list[str]:
    """Return a short list of common unit spellings accepted for `unit_type`."""
    try:
        return list(_UNITS_FOR[unit_type])
    except KeyError:
        known = ", ".join(UNIT_TYPES)
        raise InvalidInput(f"unknown unit type {unit_type!r} (known: {known})") from None


def convert(quantity: float, *, from_unit: str, to_unit: str) -> float:
    """Convert `quantity` from one unit to another of the same type; UnitMismatch otherwise."""
    source, target = _parse(from_unit), _parse(to_unit)
    if source.unit_type != target.unit_type:
        examples = ", ".join(_UNITS_FOR[target.unit_type][:2])
        raise UnitMismatch(
            f"unit {from_unit!r} is {_PHRASE[source.unit_type]}; this factor needs "
            f"{_PHRASE[target.unit_type]} (e.g. {examples})",
            field="unit",
        )
    if source.name == target.name:
        return quantity
    result = quantity * _ratio(source.name, target.name)
    if math.isfinite(quantity) and not math.isfinite(result):
        raise InvalidInput(f"{quantity!r} {from_unit} is too large to convert", field="quantity")
    return result
