"""Unit parsing and conversion: known ratios, friendly errors, and properties over all units."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbontrack.domain.errors import InvalidInput, UnitMismatch
from carbontrack.domain.units import UNIT_TYPES, canonical_unit, convert, unit_type, units_for

# Spellings users type, per type: the UI lists plus aliases, plurals and case variants.
SPELLINGS: dict[str, list[str]] = {
    "distance": ["km", "KM", "kms", "mile", "miles", "mi", "Miles", "m", "metres", "nmi"],
    "energy": ["kWh", "kwh", "MWh", "Mwh", "GJ", "MJ", "therm", "therms", "mmBtu", "MMBTU"],
    "volume": ["L", "l", "litre", "liters", "gallon", "gallons", "imperial_gallon", "m3", "m³"],
    "mass": ["kg", "g", "t", "tonne", "tonnes", "metric_ton", "short_ton", "short ton", "lb"],
    "room_night": ["room_night", "room nights", "night", "nights", "Room per night"],
    "freight": ["tonne_km", "tkm", "tonne.km", "tonne*km", "short_ton_mile"],
    "meal": ["meal", "meals", "Meal"],
}
# More volume spellings (kept apart to stay within the line length).
SPELLINGS["volume"] += ["m^3", "cubic metre", "scf", "ccf", "Mcf", "ft3", "US gallon"]

same_type_pairs = st.sampled_from(UNIT_TYPES).flatmap(
    lambda kind: st.tuples(st.sampled_from(SPELLINGS[kind]), st.sampled_from(SPELLINGS[kind]))
)
different_type_pairs = st.tuples(st.sampled_from(UNIT_TYPES), st.sampled_from(UNIT_TYPES)).filter(
    lambda kinds: kinds[0] != kinds[1]
)
quantities = st.floats(min_value=1e-6, max_value=1e12)


@pytest.mark.parametrize(
    ("spelling", "expected_type", "expected_canonical"),
    [
        ("km", "distance", "km"),
        ("miles", "distance", "mile"),
        ("mi", "distance", "mile"),
        ("kWh", "energy", "kWh"),
        ("Mwh", "energy", "MWh"),
        ("GJ", "energy", "GJ"),
        ("therm", "energy", "therm"),
        ("MMBtu", "energy", "mmBtu"),
        ("L", "volume", "L"),
        ("litre", "volume", "L"),
        ("liter", "volume", "L"),
        ("gallon", "volume", "gallon"),
        ("m3", "volume", "m3"),
        ("scf", "volume", "scf"),
        ("kg", "mass", "kg"),
        ("t", "mass", "tonne"),
        ("tonne", "mass", "tonne"),
        ("short_ton", "mass", "short_ton"),
        ("room_night", "room_night", "room_night"),
        ("night", "room_night", "room_night"),
        ("meals", "meal", "meal"),
        ("tonne.km", "freight", "tonne_km"),
    ],
)
def test_common_spellings_parse(spelling: str, expected_type: str, expected_canonical: str) -> None:
    assert unit_type(spelling) == expected_type
    assert canonical_unit(spelling) == expected_canonical


@pytest.mark.parametrize(
    ("quantity", "from_unit", "to_unit", "expected"),
    [
        (1, "mile", "km", 1.609344),
        (1, "gallon", "L", 3.785411784),  # US gallon
        (1, "imperial_gallon", "L", 4.54609),
        (1, "scf", "m3", 0.028316846592),
        (1, "therm", "kWh", 29.307107017222222),  # 1e5 Btu(IT) of 1055.05585262 J
        (1, "mmBtu", "therm", 10),
        (1, "MWh", "kWh", 1000),
        (1, "GJ", "kWh", 277.77777777777777),
        (1, "short_ton", "kg", 907.18474),
        (2, "t", "kg", 2000),
        (1, "tonne_km", "short_ton_mile", 1000 / (907.18474 * 1.609344)),
        (3, "nights", "room_night", 3),
    ],
)
def test_known_conversions(quantity: float, from_unit: str, to_unit: str, expected: float) -> None:
    assert convert(quantity, from_unit=from_unit, to_unit=to_unit) == pytest.approx(
        expected, rel=1e-12
    )


def test_mismatch_names_both_types_and_examples() -> None:
    with pytest.raises(UnitMismatch) as caught:
        convert(5, from_unit="L", to_unit="km")
    expected = "unit 'L' is a volume; this factor needs a distance (e.g. km, mile)"
    assert caught.value.message == expected
    assert caught.value.field == "unit"
    assert isinstance(caught.value, InvalidInput)


@pytest.mark.parametrize(
    ("unit", "hint"),
    [
        ("ton", "short_ton"),
        ("passenger.km", "per-passenger factors already count one passenger"),
        ("furlong", "try e.g. km"),
        ("", "try e.g."),
        ("2 km", "try e.g."),
        ("km/h", "try e.g."),
        ("k m", "try e.g."),
        ("dimensionless", "try e.g."),
    ],
)
def test_unknown_unit_message_names_unit_and_helps(unit: str, hint: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        unit_type(unit)
    assert repr(unit) in caught.value.message
    assert hint in caught.value.message
    assert not isinstance(caught.value, UnitMismatch)


@pytest.mark.parametrize("kind", UNIT_TYPES)
def test_units_for_lists_canonical_spellings_of_that_type(kind: str) -> None:
    spellings = units_for(kind)
    assert spellings
    assert all(unit_type(s) == kind and canonical_unit(s) == s for s in spellings)


def test_units_for_unknown_type_raises() -> None:
    with pytest.raises(InvalidInput, match="speed"):
        units_for("speed")


def test_overflow_is_refused_not_returned_as_infinity() -> None:
    with pytest.raises(InvalidInput, match="too large"):
        convert(1e308, from_unit="km", to_unit="m")


@settings(deadline=None)
@given(same_type_pairs, quantities)
def test_round_trip_returns_the_quantity(pair: tuple[str, str], quantity: float) -> None:
    a, b = pair
    there = convert(quantity, from_unit=a, to_unit=b)
    assert math.isclose(convert(there, from_unit=b, to_unit=a), quantity, rel_tol=1e-9)


@settings(deadline=None)
@given(same_type_pairs, quantities, st.floats(min_value=1e-3, max_value=1e3))
def test_conversion_is_linear(pair: tuple[str, str], quantity: float, scale: float) -> None:
    a, b = pair
    scaled = convert(quantity * scale, from_unit=a, to_unit=b)
    assert math.isclose(scaled, scale * convert(quantity, from_unit=a, to_unit=b), rel_tol=1e-9)


@settings(deadline=None)
@given(quantities)
def test_mile_is_exactly_1_609344_km(quantity: float) -> None:
    assert convert(quantity, from_unit="mile", to_unit="km") == pytest.approx(
        quantity * 1.609344, rel=1e-12
    )
    assert convert(quantity, from_unit="km", to_unit="miles") == pytest.approx(
        quantity / 1.609344, rel=1e-12
    )


@settings(deadline=None)
@given(different_type_pairs, st.data())
def test_wrong_dimension_always_raises_mismatch(
    kinds: tuple[str, str], data: st.DataObject
) -> None:
    a = data.draw(st.sampled_from(SPELLINGS[kinds[0]]))
    b = data.draw(st.sampled_from(SPELLINGS[kinds[1]]))
    with pytest.raises(UnitMismatch):
        convert(1.0, from_unit=a, to_unit=b)


@settings(deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", max_size=12))
def test_unknown_names_raise_invalid_input(suffix: str) -> None:
    unit = "zq" + suffix  # no accepted unit starts with "zq"
    with pytest.raises(InvalidInput, match="zq"):
        unit_type(unit)


@settings(deadline=None)
@given(st.text(max_size=30))
def test_any_text_parses_or_raises_invalid_input(text: str) -> None:
    try:
        kind = unit_type(text)
    except InvalidInput:
        return
    assert kind in UNIT_TYPES


@settings(deadline=None)
@given(same_type_pairs, st.floats(allow_nan=False, allow_infinity=False))
def test_finite_input_never_gives_nan(pair: tuple[str, str], quantity: float) -> None:
    try:
        result = convert(quantity, from_unit=pair[0], to_unit=pair[1])
    except InvalidInput:
        return
    assert math.isfinite(result)
