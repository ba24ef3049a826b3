"""Activity-entry use cases: log, read, correct, delete. Every co2e_kg records its factor."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from carbontrack.domain import footprint, periods, spread
from carbontrack.domain.errors import Conflict, NotFound
from carbontrack.domain.models import Entry, Factor, Page, User
from carbontrack.services import achievements, factors
from carbontrack.store.base import Store

MAX_NOTE_CHARS = 500
UPDATE_ATTEMPTS = 5  # reads and writes of an entry that other requests keep changing


@dataclass(frozen=True, slots=True)
class EntryInput:
    """What a user logs. `timestamp` None means now; `activity_id` the everyday activity chosen."""

    factor_id: str
    quantity: float
    unit: str
    timestamp: datetime | None = None
    note: str | None = None
    activity_id: str | None = None
    period_start: date | None = None  # a bill over a period: both days given, or neither
    period_end: date | None = None


@dataclass(frozen=True, slots=True)
class EntryPatch:
    """Fields to change; None leaves a field as it is (see `clear_note`, `set_period`)."""

    factor_id: str | None = None
    quantity: float | None = None
    unit: str | None = None
    timestamp: datetime | None = None
    note: str | None = None
    clear_note: bool = False
    set_period: bool = False  # replace the period with period_start..period_end (None: none)
    period_start: date | None = None
    period_end: date | None = None


def build_entry(
    *, store: Store, user: User, data: EntryInput, now: datetime, entry_id: str | None = None
) -> Entry:
    """Validate an input and compute its footprint, without writing anything."""
    factor, resolution = factors.resolve_for_user(store=store, factor_id=data.factor_id, user=user)
    return new_entry(
        user=user, data=data, factor=factor, resolution=resolution, now=now, entry_id=entry_id
    )


def new_entry(
    *,
    user: User,
    data: EntryInput,
    factor: Factor,
    resolution: tuple[str, ...],
    now: datetime,
    entry_id: str | None = None,
) -> Entry:
    """An entry for `data` computed with an already-resolved factor."""
    timestamp = (data.timestamp or now).astimezone(UTC)
    footprint.check_timestamp(timestamp, now=now)
    today = periods.local_day(now, user.time_zone)
    spread.check_period(data.period_start, data.period_end, today=today)
    co2e = footprint.co2e_kg(quantity=data.quantity, unit=data.unit, factor=factor)
    requested = data.factor_id if data.factor_id != factor.factor_id else None
    if data.activity_id is not None:
        # The everyday activity is the first step of how the factor was chosen.
        resolution = (f"activity {data.activity_id} -> {data.factor_id}", *resolution)
    return Entry(
        entry_id=entry_id or str(uuid.uuid4()),
        user_id=user.user_id,
        timestamp=timestamp,
        day=periods.local_day(timestamp, user.time_zone),
        category=factor.category,
        activity=factor.activity,
        quantity=data.quantity,
        unit=data.unit,
        co2e_kg=co2e,
        factor=footprint.factor_used(factor, requested_factor_id=requested, resolution=resolution),
        created_at=now,
        updated_at=now,
        note=data.note,
        period_start=data.period_start,
        period_end=data.period_end,
    )


def create_entry(*, store: Store, user: User, data: EntryInput) -> Entry:
    """Log one activity."""
    entry = build_entry(store=store, user=user, data=data, now=datetime.now(UTC))
    store.entries.add(entry)
    achievements.on_entry_written(store=store, user=user, now=entry.created_at)
    return entry


def preview_entry(*, store: Store, user: User, data: EntryInput) -> Entry:
    """What logging `data` now would record (factor, kg CO2e), without writing anything."""
    return build_entry(store=store, user=user, data=data, now=datetime.now(UTC))


def get_entry(*, store: Store, user: User, entry_id: str) -> Entry:
    """One of the user's entries; `NotFound` for anyone else's."""
    entry = store.entries.get(user.user_id, entry_id)
    if entry is None:
        raise NotFound("entry not found")
    return entry


def list_entries(
    *,
    store: Store,
    user: User,
    since: datetime | None,
    until: datetime | None,
    category: str | None,
    limit: int,
    cursor: str | None,
) -> Page[Entry]:
    """The user's entries newest first, one page at a time."""
    factors.check_category(category)
    return store.entries.list_for_user(
        user.user_id, since=since, until=until, category=category, limit=limit, cursor=cursor
    )


def update_entry(*, store: Store, user: User, entry_id: str, patch: EntryPatch) -> Entry:
    """Change an entry; a new factor, quantity or unit recomputes its footprint.

    The store writes only what the patch changes, and only if the entry is still as read;
    if another request changed it meanwhile, the patch is applied again to what is there
    now, so both changes stand. `Conflict` if it keeps changing.
    """
    for _ in range(UPDATE_ATTEMPTS):
        current = get_entry(store=store, user=user, entry_id=entry_id)
        updated = _patched(store=store, user=user, current=current, patch=patch)
        try:
            return store.entries.update(current, updated)
        except Conflict:
            continue
    raise Conflict("the entry kept changing while this change was applied; try again")


def _patched(*, store: Store, user: User, current: Entry, patch: EntryPatch) -> Entry:
    """`current` with the patch applied (its footprint recomputed if the patch needs it)."""
    now = datetime.now(UTC)
    note = None if patch.clear_note else (patch.note if patch.note is not None else current.note)
    updated = replace(current, note=note, updated_at=now)
    if patch.timestamp is not None:
        timestamp = patch.timestamp.astimezone(UTC)
        footprint.check_timestamp(timestamp, now=now)
        day = periods.local_day(timestamp, user.time_zone)
        updated = replace(updated, timestamp=timestamp, day=day)
    if patch.set_period:
        today = periods.local_day(now, user.time_zone)
        spread.check_period(patch.period_start, patch.period_end, today=today)
        updated = replace(updated, period_start=patch.period_start, period_end=patch.period_end)
    if patch.factor_id is not None or patch.quantity is not None or patch.unit is not None:
        # A note or date change keeps the recorded factor: the footprint of an old
        # entry must not drift because the profile country or catalogue changed.
        data = EntryInput(
            factor_id=patch.factor_id
            or current.factor.requested_factor_id
            or current.factor.factor_id,
            quantity=current.quantity if patch.quantity is None else patch.quantity,
            unit=patch.unit or current.unit,
            timestamp=updated.timestamp,
            note=note,
            period_start=updated.period_start,
            period_end=updated.period_end,
        )
        rebuilt = build_entry(store=store, user=user, data=data, now=now)
        # Only a new timestamp moves the entry to another day: a changed profile time
        # zone must not move existing entries between days.
        updated = replace(
            rebuilt, entry_id=current.entry_id, created_at=current.created_at, day=updated.day
        )
    return updated


def delete_entry(*, store: Store, user: User, entry_id: str) -> None:
    """Delete one of the user's entries."""
    store.entries.delete(user.user_id, entry_id)
