"""Flights by route: find airports, and log a flight from its airports instead of its km."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache

from carbontrack.datasets.airports import dataset_version, load_airports
from carbontrack.domain import flights
from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.flights import Airport, Cabin
from carbontrack.domain.models import Entry, User
from carbontrack.services import achievements, entries, factors
from carbontrack.store.base import Store

MAX_AIRPORTS = 50


@dataclass(frozen=True, slots=True)
class RouteInput:
    """A booking: from and to as IATA codes, one way or return, cabin, passengers, RF."""

    origin: str
    destination: str
    return_trip: bool = False
    cabin: Cabin = "economy"
    passengers: int = 1
    radiative_forcing: bool = True


def airport(code: str, *, field: str) -> Airport:
    """The airport with this IATA code (any case); `InvalidInput` naming `field` if none."""
    found = load_airports().get(code.strip().upper())
    if found is None:
        raise InvalidInput(f"unknown airport IATA code {code!r}", field=field)
    return found


def search_airports(*, query: str, limit: int) -> list[Airport]:
    """Airports whose IATA code, city or name hold every word of `query`, best matches first."""
    words = query.lower().split()
    if not words:
        return []
    text = " ".join(words)
    found = [a for a, haystack in _search_rows() if all(w in haystack for w in words)]
    found.sort(key=lambda a: (_rank(a, text), a.iata))
    return found[: min(limit, MAX_AIRPORTS)]


@cache
def _search_rows() -> tuple[tuple[Airport, str], ...]:
    """Each airport with the lower-case text a search looks in; built once per process."""
    return tuple((a, f"{a.iata} {a.city} {a.name}".lower()) for a in load_airports().values())


def _rank(found: Airport, text: str) -> int:
    """0 for the exact code, then the city, then a city or name that starts with the query."""
    city, name = found.city.lower(), found.name.lower()
    checks = (
        found.iata.lower() == text,
        city == text,
        city.startswith(text),
        name.startswith(text),
    )
    return next((i for i, hit in enumerate(checks) if hit), len(checks))


def plan(route: RouteInput) -> flights.FlightPlan:
    """The DEFRA factor, passenger-km and recorded steps of a route."""
    origin = airport(route.origin, field="route.from")
    destination = airport(route.destination, field="route.to")
    planned = flights.plan_flight(
        origin,
        destination,
        cabin=route.cabin,
        passengers=route.passengers,
        return_trip=route.return_trip,
        radiative_forcing=route.radiative_forcing,
    )
    airports_step = f"airports: airportsdata {dataset_version()} (MIT)"
    return replace(planned, resolution=(*planned.resolution, airports_step))


@dataclass(frozen=True, slots=True)
class FlightEstimate:
    """What a route would log: its plan (distance, haul, factor) and the entry, not written."""

    origin: Airport
    destination: Airport
    plan: flights.FlightPlan
    entry: Entry


def estimate(
    *,
    store: Store,
    user: User,
    route: RouteInput,
    now: datetime,
    timestamp: datetime | None = None,
    note: str | None = None,
) -> FlightEstimate:
    """The distance, haul and entry a route would log for `user`, without writing anything."""
    planned = plan(route)
    factor, _ = factors.resolve_for_user(store=store, factor_id=planned.factor_id, user=user)
    data = entries.EntryInput(
        factor_id=planned.factor_id,
        quantity=planned.passenger_km,
        unit=factor.unit,
        timestamp=timestamp,
        note=note,
    )
    entry = entries.new_entry(
        user=user, data=data, factor=factor, resolution=planned.resolution, now=now
    )
    return FlightEstimate(
        origin=airport(route.origin, field="route.from"),
        destination=airport(route.destination, field="route.to"),
        plan=planned,
        entry=entry,
    )


def build_flight_entry(
    *,
    store: Store,
    user: User,
    route: RouteInput,
    timestamp: datetime | None,
    note: str | None,
    now: datetime,
) -> Entry:
    """The entry a route logs (passenger-km of the DEFRA factor), without writing anything."""
    found = estimate(store=store, user=user, route=route, now=now, timestamp=timestamp, note=note)
    return found.entry


def create_flight_entry(
    *,
    store: Store,
    user: User,
    route: RouteInput,
    timestamp: datetime | None = None,
    note: str | None = None,
) -> Entry:
    """Log a flight by its route."""
    entry = build_flight_entry(
        store=store, user=user, route=route, timestamp=timestamp, note=note, now=datetime.now(UTC)
    )
    store.entries.add(entry)
    achievements.on_entry_written(store=store, user=user, now=entry.created_at)
    return entry
