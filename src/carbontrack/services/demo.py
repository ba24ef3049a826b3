"""A demo account with a realistic year of activity, for trying the app and for screenshots.

The pattern is a UK commuter household: car on most weekdays, the train once a week,
seasonal gas heating, monthly electricity and water, two short-haul holidays, a few hotel
nights and weekly household waste. Values are drawn from a fixed seed, so every demo is alike.
The account also gets the achievements that year earns and a monthly reduction goal, so its
dashboard shows every part filled in.

`create` makes the one known demo login (`carbontrack demo`); `create_for_visitor` makes a fresh,
private one per click of the front door's "Try the demo", where `offered` allows it.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from carbontrack.domain.electricity import GRID_LOCAL_FACTOR_ID
from carbontrack.domain.models import Entry, Factor, User
from carbontrack.services import accounts, achievements, factors, goals
from carbontrack.services.entries import EntryInput, new_entry
from carbontrack.settings import Settings
from carbontrack.store.base import Store

DEMO_EMAIL = "demo@carbontrack.local"
DEMO_PASSWORD = "carbontrack-demo"  # noqa: S105 - a published demo login; refused in production
VISITOR_DOMAIN = "demo.carbontrack.local"  # "Try the demo" accounts: demo-<random>@ this
SEED = 2026

PETROL_CAR = "defra:ghg-cf-2020:passenger-vehicles.cars-by-size.average-car.petrol"
NATIONAL_RAIL = "defra:ghg-cf-2020:business-travel-land.rail.national-rail"
BUS = "defra:ghg-cf-2020:business-travel-land.bus.average-local-bus"
SHORT_HAUL = (
    "defra:ghg-cf-2020:business-travel-air.flights.short-haul-to-from-uk.economy-class.with-rf"
)
NATURAL_GAS = "defra:ghg-cf-2020:fuels.gaseous-fuels.natural-gas.energy-gross-cv"
HOTEL_UK = "defra:ghg-cf-2020:hotel-stay.hotel-stay.uk"
RESIDUAL_WASTE = "defra:ghg-cf-2020:waste-disposal.refuse.household-residual-waste.landfill"
WATER = "defra:ghg-cf-2020:water-supply.water-supply.water-supply"

DEMO_GOAL = goals.GoalInput(kind="reduction", period="month", target_reduction_percent=10.0)

# Typical UK monthly gas use for heating and hot water (kWh), January first.
GAS_KWH_BY_MONTH = (1700, 1500, 1200, 800, 500, 300, 250, 250, 400, 800, 1200, 1600)


def exists(*, store: Store) -> bool:
    """Whether the demo account is there."""
    return store.users.get_by_email(DEMO_EMAIL) is not None


def create(*, store: Store, reset: bool = False, now: datetime | None = None) -> int:
    """Create the demo account with a year of entries; 0 if it already exists and not `reset`."""
    existing = store.users.get_by_email(DEMO_EMAIL)
    if existing is not None:
        if not reset:
            return 0
        store.users.delete(existing.user_id)
    user = accounts.register(store=store, email=DEMO_EMAIL, password=DEMO_PASSWORD, name="Demo")
    _, count = _fill(store=store, user=user, now=now or datetime.now(UTC))
    return count


def offered(settings: Settings) -> bool:
    """Whether the front door offers "Try the demo": a local install (SQLite), never production.

    Each click makes an account with a year of entries; on a shared deployment that is storage
    anyone could fill, so only a developer's or evaluator's own copy offers it.
    """
    return settings.environment != "production" and settings.store == "sqlite"


def create_for_visitor(
    *, store: Store, settings: Settings, client: str, now: datetime | None = None
) -> User:
    """A fresh demo account for one visitor, filled as `create`'s; counted as a sign-up.

    A random email keeps visitors from seeing each other's data, and a random password nobody
    is told means the account is reached only through the session that made it.
    """
    user = accounts.sign_up(
        store=store,
        settings=settings,
        client=client,
        email=f"demo-{secrets.token_hex(8)}@{VISITOR_DOMAIN}",
        password=secrets.token_urlsafe(32),
        name="Demo",
    )
    filled, _ = _fill(store=store, user=user, now=now or datetime.now(UTC))
    return filled


def _fill(*, store: Store, user: User, now: datetime) -> tuple[User, int]:
    """Give `user` the demo's country, year of entries, achievements and goal."""
    user = accounts.update_profile(
        store=store,
        user=user,
        changes=accounts.ProfileChanges(country="GB", time_zone="Europe/London"),
    )
    entries = list(_year_of_entries(store=store, user=user, now=now))
    store.entries.add_many(entries)
    achievements.on_entry_written(store=store, user=user, now=now)
    goals.create_goal(store=store, user=user, data=DEMO_GOAL)
    return user, len(entries)


def _year_of_entries(*, store: Store, user: User, now: datetime) -> Iterator[Entry]:
    """The year up to `now`, today included, so that the current month is never empty."""
    return (entry for entry in _pattern(store=store, user=user, now=now) if entry.timestamp <= now)


def _pattern(*, store: Store, user: User, now: datetime) -> Iterator[Entry]:
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    resolved: dict[str, tuple[Factor, tuple[str, ...]]] = {}

    def entry(factor_id: str, quantity: float, unit: str, when: datetime, note: str) -> Entry:
        if factor_id not in resolved:
            resolved[factor_id] = factors.resolve_for_user(
                store=store, factor_id=factor_id, user=user
            )
        factor, chain = resolved[factor_id]
        data = EntryInput(factor_id, round(quantity, 1), unit, when, note)
        return new_entry(user=user, data=data, factor=factor, resolution=chain, now=now)

    start = (now - timedelta(days=364)).replace(hour=0, minute=0, second=0, microsecond=0)
    for day in range(365):
        date = start + timedelta(days=day)
        if date.weekday() < 5 and rng.random() < 0.8:
            yield entry(PETROL_CAR, rng.uniform(28, 36), "km", date.replace(hour=8), "commute")
        if date.weekday() == 2:
            yield entry(NATIONAL_RAIL, rng.uniform(50, 70), "km", date.replace(hour=9), "office")
        if date.weekday() == 5 and rng.random() < 0.5:
            yield entry(BUS, rng.uniform(4, 10), "km", date.replace(hour=11), "town")
        if date.weekday() == 0:
            yield entry(RESIDUAL_WASTE, rng.uniform(6, 10), "kg", date.replace(hour=7), "bin day")
        if date.day == 1:
            month = date.month - 1
            yield entry(GRID_LOCAL_FACTOR_ID, rng.uniform(220, 300), "kWh", date, "meter")
            yield entry(
                NATURAL_GAS, GAS_KWH_BY_MONTH[month] * rng.uniform(0.9, 1.1), "kWh", date, "meter"
            )
            yield entry(WATER, rng.uniform(8, 11), "m3", date, "water bill")
        if day in (120, 270):
            for leg in (0, 7):
                yield entry(
                    SHORT_HAUL, 1100, "km", date + timedelta(days=leg, hours=6), "holiday flight"
                )
        if day in (60, 200, 320):
            yield entry(HOTEL_UK, 2, "room_night", date.replace(hour=20), "work trip")
