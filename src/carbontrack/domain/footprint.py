"""Footprint maths: a quantity in some unit times a factor gives kg CO2e. Pure."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from carbontrack.domain import units
from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.models import Factor, FactorUsed

MAX_QUANTITY = 1e9  # a billion km, kWh or kg: beyond any person's or small company's activity
MAX_FUTURE = timedelta(days=1)
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)  # sanity floor for activity timestamps


@lru_cache(maxsize=4096)
def unit_ratio(from_unit: str, to_unit: str) -> float:
    """How many `to_unit` make one `from_unit` (all our units are linear, no offsets)."""
    return units.convert(1.0, from_unit=from_unit, to_unit=to_unit)


def check_quantity(quantity: float) -> None:
    """A finite number, zero or more, and not absurdly large."""
    if not math.isfinite(quantity) or quantity < 0:
        raise InvalidInput("quantity must be a finite number >= 0", field="quantity")
    if quantity > MAX_QUANTITY:
        raise InvalidInput(f"quantity must be at most {MAX_QUANTITY:g}", field="quantity")


def check_timestamp(timestamp: datetime, *, now: datetime) -> None:
    """Not more than a day in the future, not before 1970."""
    if timestamp > now + MAX_FUTURE:
        raise InvalidInput("timestamp is more than a day in the future", field="timestamp")
    if timestamp < EARLIEST:
        raise InvalidInput("timestamp is before 1970", field="timestamp")


def co2e_kg(*, quantity: float, unit: str, factor: Factor) -> float:
    """kg CO2e for `quantity` `unit` of the factor's activity; converts units of one dimension."""
    check_quantity(quantity)
    return quantity * unit_ratio(unit, factor.unit) * factor.co2e_kg_per_unit


def factor_used(
    factor: Factor, *, requested_factor_id: str | None = None, resolution: tuple[str, ...] = ()
) -> FactorUsed:
    """The provenance record kept with each entry."""
    return FactorUsed(
        factor_id=factor.factor_id,
        dataset=factor.dataset,
        year=factor.year,
        source=factor.source,
        co2e_kg_per_unit=factor.co2e_kg_per_unit,
        unit=factor.unit,
        requested_factor_id=requested_factor_id,
        resolution=resolution,
    )
