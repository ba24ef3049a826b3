"""Equivalents beside a footprint, with the catalogue's own factors (domain/equivalents.py)."""

from __future__ import annotations

from carbontrack.domain import equivalents
from carbontrack.domain.equivalents import Equivalent
from carbontrack.domain.models import Factor
from carbontrack.store.base import Store


def car_factor(*, store: Store) -> Factor | None:
    """The factor the car equivalent divides by, for the page to cite."""
    return store.factors.get(equivalents.CAR_FACTOR_ID)


def for_co2e(*, store: Store, co2e_kg: float) -> list[Equivalent]:
    """The equivalents of `co2e_kg` (none if the car factor is not in this store's catalogue)."""
    car = car_factor(store=store)
    found = None if car is None else equivalents.car_km(co2e_kg, car=car)
    return [] if found is None else [found]
