"""Equivalents a person can picture: km in an average petrol car, from the DEFRA factor."""

from __future__ import annotations

import dataclasses

import pytest

from carbontrack.datasets.catalogue import load_catalogue
from carbontrack.domain.equivalents import CAR_FACTOR_ID, car_km
from carbontrack.domain.models import Factor

# DEFRA/BEIS 2020 conversion factors, Passenger vehicles > Cars (by size) > Average car >
# Petrol: 0.1743 kg CO2e per km (the flat file's published value).
DEFRA_PETROL_CAR_PER_KM = 0.1743


def _car() -> Factor:
    car = load_catalogue().get(CAR_FACTOR_ID)
    assert car is not None
    return car


def test_the_car_is_the_defra_average_petrol_car() -> None:
    car = _car()
    assert (car.co2e_kg_per_unit, car.unit, car.dataset) == (0.1743, "km", "defra-ghg-cf-2020")


@pytest.mark.parametrize(
    ("co2e_kg", "text"),
    [
        # 25 kg / 0.1743 kg/km = 143.43 km -> 2 significant digits: 140 km.
        (25.0, "≈ 140 km in an average petrol car"),
        # 2.5 kg / 0.1743 = 14.34 km -> 14 km.
        (2.5, "≈ 14 km in an average petrol car"),
        # 0.61 kg / 0.1743 = 3.4997 km -> 3.5 km.
        (0.61, "≈ 3.5 km in an average petrol car"),
        # 2,000 kg / 0.1743 = 11,474.5 km -> 11,000 km.
        (2000.0, "≈ 11,000 km in an average petrol car"),
    ],
)
def test_km_in_an_average_petrol_car(co2e_kg: float, text: str) -> None:
    found = car_km(co2e_kg, car=_car())
    assert found is not None
    assert found.text == text
    assert found.amount == pytest.approx(co2e_kg / DEFRA_PETROL_CAR_PER_KM)
    assert (found.unit, found.factor_id) == ("km", CAR_FACTOR_ID)
    assert "Average car > Petrol" in found.source


def test_nothing_to_picture_for_zero_or_a_trifle() -> None:
    car = _car()
    assert car_km(0.0, car=car) is None
    # 0.01 kg / 0.1743 = 0.057 km: under the 0.1 km worth picturing.
    assert car_km(0.01, car=car) is None


def test_a_factor_not_per_km_gives_no_car_equivalent() -> None:
    assert car_km(5.0, car=dataclasses.replace(_car(), unit="mile")) is None
