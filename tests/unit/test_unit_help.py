"""The log form's one-line unit help: every offered unit has one, with its published size."""

from __future__ import annotations

import pytest

from carbontrack.datasets.catalogue import load_catalogue
from carbontrack.domain import unit_help
from carbontrack.domain.units import UNIT_TYPES, canonical_unit, units_for


def test_every_unit_the_menu_can_offer_has_a_description() -> None:
    # The menu offers units_for(the factor's type) plus the factor's own unit.
    offered = {unit for kind in UNIT_TYPES for unit in units_for(kind)}
    offered |= {canonical_unit(factor.unit) for factor in load_catalogue().factors}
    described = unit_help.descriptions()
    assert offered - set(described) == set()


@pytest.mark.parametrize(
    ("unit", "size"),
    [
        # 100,000 Btu x 1055.05585262 J/Btu (NIST SP811 fn. 9) / 3.6e6 J/kWh = 29.307 kWh.
        ("therm", "1 therm = 29.31 kWh"),
        # 10^6 Btu = 10 therms = 293.07 kWh.
        ("mmBtu", "1 mmBtu = 293.1 kWh"),
        # A standard cubic foot is a cubic foot: 0.3048^3 m3 = 28.317 L (EPA, NIST SP811 B.8).
        ("scf", "1 scf = 28.32 L"),
        # 100 cubic feet (EIA) = 2.8317 m3.
        ("ccf", "1 ccf = 2.832 m3"),
        # 1 kWh = 1000 W x 3600 s = 3.6 MJ exactly.
        ("kWh", "1 kWh = 3.6 MJ"),
        # 1 mile = 1.609344 km exactly.
        ("mile", "1 mile = 1.609 km"),
        ("imperial_gallon", "1 imperial gallon = 4.546 L"),
    ],
)
def test_each_line_states_the_size_from_the_published_definition(unit: str, size: str) -> None:
    line = unit_help.describe(unit)
    assert line is not None
    assert line.endswith(size)


def test_a_unit_without_help_gets_none() -> None:
    assert unit_help.describe("furlong") is None


def test_passenger_km_is_explained_for_per_passenger_factors() -> None:
    assert unit_help.per_passenger("Flight, long-haul, economy, per passenger km")
    assert not unit_help.per_passenger("Average car, petrol, per vehicle km")
    assert "one person carried one kilometre" in unit_help.PASSENGER_KM
