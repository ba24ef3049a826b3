"""Realistic entries for the benchmarks, and the CSV that CarbonTrack's own export makes of them."""

from __future__ import annotations

import random
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from carbontrack.domain.models import Entry, User
from carbontrack.services import factors, transfer
from carbontrack.services.entries import EntryInput, new_entry
from carbontrack.services.factors import sync_catalogue
from carbontrack.store.base import Store
from carbontrack.store.sqlite import SqliteStore

PETROL_CAR = "defra:ghg-cf-2020:passenger-vehicles.cars-by-size.average-car.petrol"
UK_GRID = "defra:ghg-cf-2020:uk-electricity.electricity-generated.electricity-uk"
NOTES = (None, None, None, "commute", 'school run, "rainy"', "meter reading")
SEED = 2026
EPOCH = datetime(2025, 12, 31, tzinfo=UTC)


def entry_body(rng: random.Random | None = None) -> dict[str, object]:
    """One POST /api/entries body: a petrol-car trip."""
    rng = rng or random.Random(SEED)
    return {
        "factorId": PETROL_CAR,
        "quantity": round(rng.uniform(1, 80), 1),
        "unit": "km",
        "timestamp": "2025-06-01T08:30:00Z",
        "note": "commute",
    }


def new_store(path: Path) -> Store:
    """A fresh SQLite store with the factor catalogue loaded."""
    store = SqliteStore(path)
    sync_catalogue(store=store)
    return store


def new_user(store: Store) -> User:
    """A user written straight to the store (the benchmarks never log in as this one)."""
    user = User(
        user_id=str(uuid.uuid4()),
        email=f"bench-{uuid.uuid4().hex[:8]}@example.org",
        name="Bench",
        password_hash="unused",
        created_at=datetime.now(UTC),
        country="GB",
    )
    store.users.add(user)
    return user


def export_text(count: int) -> str:
    """`count` entries of car trips and electricity readings, as `export_csv` writes them."""
    with tempfile.TemporaryDirectory() as tmp:
        store = new_store(Path(tmp) / "seed.sqlite3")
        try:
            user = new_user(store)
            store.entries.add_many(list(_entries(store, user, count)))
            return "".join(transfer.export_csv(store=store, user=user))
        finally:
            store.close()


def _entries(store: Store, user: User, count: int) -> Iterator[Entry]:
    rng = random.Random(SEED)
    resolved = {
        fid: factors.resolve_for_user(store=store, factor_id=fid, user=user)
        for fid in (PETROL_CAR, UK_GRID)
    }
    now = datetime.now(UTC)
    for i in range(count):
        if i % 4 == 3:
            fid, quantity, unit = UK_GRID, round(rng.uniform(50, 400), 1), "kWh"
        else:
            fid, quantity, unit = (
                PETROL_CAR,
                round(rng.uniform(1, 80), 1),
                rng.choice(("km", "mile")),
            )
        when = EPOCH - timedelta(seconds=rng.randrange(2 * 365 * 86400))
        data = EntryInput(
            factor_id=fid, quantity=quantity, unit=unit, timestamp=when, note=rng.choice(NOTES)
        )
        factor, resolution = resolved[fid]
        yield new_entry(user=user, data=data, factor=factor, resolution=resolution, now=now)
