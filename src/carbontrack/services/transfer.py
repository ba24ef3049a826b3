"""CSV export and all-or-nothing CSV import of a user's entries.

Import accepts exactly what export produces. It uses the concrete `factorId` of each row
(not the factor that was asked for), so an export imported again gives the same co2eKg.
Extra columns are ignored; `co2eKg` and `day` (the local calendar day of the activity in
the user's time zone) are always recomputed, never trusted from the file.
"""

from __future__ import annotations

import csv
import io
import math
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from carbontrack.domain.errors import AlreadyExists, DomainError, InvalidInput, InvalidRows
from carbontrack.domain.models import Entry, Factor, User
from carbontrack.services import achievements, factors
from carbontrack.services.entries import MAX_NOTE_CHARS, EntryInput, new_entry
from carbontrack.store.base import Store

COLUMNS = (
    "entryId",
    "timestamp",
    "day",
    "category",
    "activity",
    "quantity",
    "unit",
    "co2eKg",
    "factorId",
    "requestedFactorId",
    "dataset",
    "year",
    "source",
    "note",
)
REQUIRED = ("timestamp", "quantity", "unit", "factorId")
MAX_ROWS = 200_000
MAX_ROW_ERRORS = 100  # report the first hundred; a file that bad needs fixing as a whole
EXPORT_PAGE = 500


def export_csv(*, store: Store, user: User) -> Iterator[str]:
    """The user's entries as CSV text chunks, newest first, one page per chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    cursor: str | None = None
    while True:
        page = store.entries.list_for_user(user.user_id, limit=EXPORT_PAGE, cursor=cursor)
        writer.writerows(_row(entry) for entry in page.items)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _row(entry: Entry) -> tuple[object, ...]:
    timestamp = entry.timestamp.isoformat().replace("+00:00", "Z")
    return (
        entry.entry_id,
        timestamp,
        entry.day.isoformat(),
        entry.category,
        entry.activity,
        repr(entry.quantity),
        entry.unit,
        repr(entry.co2e_kg),
        entry.factor.factor_id,
        entry.factor.requested_factor_id or "",
        entry.factor.dataset,
        entry.factor.year,
        entry.factor.source,
        entry.note or "",
    )


def import_csv(*, store: Store, user: User, text: str) -> int:
    """Validate every row, then write all of them in one step or none; returns the count."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput(f"CSV header lacks column(s): {', '.join(missing)}", field="file")
    now = datetime.now(UTC)
    resolve = _memo_resolver(store=store, user=user)
    entries: list[Entry] = []
    errors: list[dict[str, object]] = []
    seen_ids: set[str] = set()
    for line, row in enumerate(reader, start=2):
        if len(entries) + len(errors) >= MAX_ROWS:
            raise InvalidInput(f"a file may hold at most {MAX_ROWS} rows", field="file")
        try:
            entry = _parse_row(row, user=user, resolve=resolve, now=now)
            _check_unique_in_file(entry.entry_id, seen_ids)
            entries.append(entry)
        except DomainError as exc:
            errors.append({"row": line, "field": exc.field, "message": exc.message})
            if len(errors) >= MAX_ROW_ERRORS:
                break
    if errors:
        raise InvalidRows(f"{len(errors)} row(s) have errors; nothing was imported", rows=errors)
    if not entries:
        raise InvalidInput("the file has no rows", field="file")
    try:
        store.entries.add_many(entries)
    except AlreadyExists:
        raise AlreadyExists(
            "some entries in this file already exist (was it imported before?); "
            "nothing was imported"
        ) from None
    achievements.on_entry_written(store=store, user=user, now=now)
    return len(entries)


def _check_unique_in_file(entry_id: str, seen: set[str]) -> None:
    # Ids already in the store are caught by add_many (AlreadyExists, nothing written),
    # so a file imported twice cannot double a footprint.
    if entry_id in seen:
        raise InvalidInput(f"entry {entry_id} appears twice in the file", field="entryId")
    seen.add(entry_id)


Resolver = Callable[[str], tuple[Factor, tuple[str, ...]]]


def _memo_resolver(*, store: Store, user: User) -> Resolver:
    """Resolve each factor id once per import, not once per row."""
    cache: dict[str, tuple[Factor, tuple[str, ...]]] = {}

    def resolve(factor_id: str) -> tuple[Factor, tuple[str, ...]]:
        if factor_id not in cache:
            cache[factor_id] = factors.resolve_for_user(store=store, factor_id=factor_id, user=user)
        return cache[factor_id]

    return resolve


def _parse_row(row: dict[str, str], *, user: User, resolve: Resolver, now: datetime) -> Entry:
    data = EntryInput(
        factor_id=(row.get("factorId") or "").strip(),
        quantity=_parse_quantity(row.get("quantity")),
        unit=(row.get("unit") or "").strip(),
        timestamp=_parse_timestamp(row.get("timestamp")),
        note=_parse_note(row.get("note")),
    )
    factor, resolution = resolve(data.factor_id)
    return new_entry(
        user=user,
        data=data,
        factor=factor,
        resolution=resolution,
        now=now,
        entry_id=_parse_entry_id(row.get("entryId")),
    )


def _parse_quantity(raw: str | None) -> float:
    try:
        value = float((raw or "").strip())
    except ValueError:
        raise InvalidInput(f"quantity {raw!r} is not a number", field="quantity") from None
    if not math.isfinite(value):
        raise InvalidInput("quantity must be a finite number >= 0", field="quantity")
    return value


def _parse_timestamp(raw: str | None) -> datetime:
    try:
        parsed = datetime.fromisoformat((raw or "").strip())
    except ValueError:
        raise InvalidInput(f"timestamp {raw!r} is not ISO 8601", field="timestamp") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _parse_note(raw: str | None) -> str | None:
    note = (raw or "").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidInput(f"note is longer than {MAX_NOTE_CHARS} characters", field="note")
    return note or None


def _parse_entry_id(raw: str | None) -> str | None:
    value = (raw or "").strip()
    if not value:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise InvalidInput(f"entryId {value!r} is not a UUID", field="entryId") from None
