"""Equivalents a person can picture beside a footprint: "≈ 14 km in an average petrol car".

Each equivalent divides the kg CO2e by a sourced factor from the catalogue and names that
factor, so the comparison is as traceable as the footprint itself (docs/data-sources.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from carbontrack.domain.models import Factor

# DEFRA/BEIS 2020, Passenger vehicles > Cars (by size) > Average car > Petrol, per vehicle km.
CAR_FACTOR_ID = "defra:ghg-cf-2020:passenger-vehicles.cars-by-size.average-car.petrol"
MIN_KM = 0.1  # below this a distance is too small to picture


@dataclass(frozen=True, slots=True)
class Equivalent:
    """`amount` of `unit` of something familiar with the same kg CO2e, and the factor used."""

    amount: float
    unit: str
    text: str
    factor_id: str
    source: str


def car_km(co2e_kg: float, *, car: Factor) -> Equivalent | None:
    """The km an average petrol car drives for `co2e_kg`; None if under 0.1 km or not per km."""
    if co2e_kg <= 0 or car.unit != "km" or car.co2e_kg_per_unit <= 0:
        return None
    km = co2e_kg / car.co2e_kg_per_unit
    if km < MIN_KM:
        return None
    text = f"≈ {_rounded(km)} km in an average petrol car"
    return Equivalent(km, "km", text, car.factor_id, car.source)


def _rounded(value: float) -> str:
    # An equivalent is an order of size, not a measurement: 2 significant digits (140 km,
    # 14 km, 3.5 km, 0.42 km).
    if value < 10:
        return f"{value:.2g}"
    return f"{round(value, 1 - int(math.log10(value))):,.0f}"
