"""CSV export and all-or-nothing CSV import of a user's entries.

Import accepts exactly what export produces. It uses the concrete `factorId` of each row
(not the factor that was asked for), so an export imported again gives the same co2eKg.
Extra columns are ignored; `co2eKg` and `day` (the local calendar day of the activity in
the user's time zone) are always recomputed, never trusted from the file. `periodStart` and
`periodEnd` (a bill over a period, both empty for none) may be absent, as in older exports. A
cell that a spreadsheet would run as a formula goes out after a single quote and comes back
without it (`spreadsheet.py`), so every note reads back exactly as it was.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

from carbontrack.domain import dates
from carbontrack.domain.errors import AlreadyExists, DomainError, InvalidInput, InvalidRows
from carbontrack.domain.models import Entry, Factor, User
from carbontrack.services import achievements, factors, spreadsheet
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
    "periodStart",
    "periodEnd",
)
REQUIRED = ("timestamp", "quantity", "unit", "factorId")
MAX_ROWS = 200_000
MAX_ROW_ERRORS = 100  # report the first hundred; a file that bad needs fixing as a whole
EXPORT_PAGE = 500
_NOTHING = "nothing was imported"


def export_csv(*, store: Store, user: User) -> Iterator[str]:
    """The user's entries as CSV text chunks, newest first, one page per chunk."""
    buffer = io.StringIO()
    # CRLF, as RFC 4180 has it: csv quotes a field holding any line-terminator character, so
    # a note's bare CR is quoted too (with "\n" alone it went out unquoted and split the row).
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    cursor: str | None = None
    while True:
        page = store.entries.list_for_user(user.user_id, limit=EXPORT_PAGE, cursor=cursor)
        writer.writerows(map(spreadsheet.neutralise, _row(entry)) for entry in page.items)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _row(entry: Entry) -> tuple[str, ...]:
    timestamp = entry.timestamp.isoformat().replace("+00:00", "Z")
    return (
        entry.entry_id,
        timestamp,
        entry.day.isoformat(),
        entry.category,
        entry.activity,
        _number(entry.quantity),
        entry.unit,
        _number(entry.co2e_kg),
        entry.factor.factor_id,
        entry.factor.requested_factor_id or "",
        entry.factor.dataset,
        str(entry.factor.year),
        entry.factor.source,
        entry.note or "",
        "" if entry.period_start is None else entry.period_start.isoformat(),
        "" if entry.period_end is None else entry.period_end.isoformat(),
    )


def _number(value: float) -> str:
    """The shortest text of `value` to 12 significant digits: 0.494976, not 0.49497599999999997."""
    # Products of factors carry binary noise past the 15th digit; 12 digits is beyond any
    # factor's published precision, and float() of this text gives back the rounded value.
    # + 0.0: -0.0 would be "-0.0", a cell led by "-".
    return repr(float(f"{value:.12g}") + 0.0)


def import_csv(*, store: Store, user: User, text: str) -> int:
    """Validate every row, then write all of them in one step or none; returns the count."""
    # newline="": the csv module then sees each CR and LF itself, so one inside a quoted
    # field stays in the value and a bare CR ends a row, as in files saved on old Macs.
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise InvalidRows(f"1 row(s) have errors; {_NOTHING}", rows=[_unreadable(1, exc)]) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InvalidInput(f"CSV header lacks column(s): {', '.join(missing)}", field="file")
    now = datetime.now(UTC)
    entries, errors = _parse_rows(reader, store=store, user=user, now=now)
    if errors:
        raise InvalidRows(f"{len(errors)} row(s) have errors; {_NOTHING}", rows=errors)
    if not entries:
        raise InvalidInput("the file has no rows", field="file")
    try:
        store.entries.add_many(entries)
    except AlreadyExists:
        raise AlreadyExists(
            f"some entries in this file already exist (was it imported before?); {_NOTHING}"
        ) from None
    achievements.on_entry_written(store=store, user=user, now=now)
    return len(entries)


def _parse_rows(
    reader: csv.DictReader[str], *, store: Store, user: User, now: datetime
) -> tuple[list[Entry], list[dict[str, object]]]:
    """Every row as an entry, or the first `MAX_ROW_ERRORS` errors (row 1 is the header)."""
    resolve = _memo_resolver(store=store, user=user)
    entries: list[Entry] = []
    errors: list[dict[str, object]] = []
    seen_ids: set[str] = set()
    for line, row in _records(reader, errors):
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
    return entries, errors


def _records(
    reader: csv.DictReader[str], errors: list[dict[str, object]]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, cells) per record; a record csv cannot read ends the file as an error."""
    for line in itertools.count(2):
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # a field over csv's size limit, a stray quote, ...
            errors.append(_unreadable(line, exc))
            return
        yield line, {name: spreadsheet.restore(cell or "") for name, cell in row.items() if name}


def _unreadable(line: int, exc: csv.Error) -> dict[str, object]:
    return {"row": line, "field": None, "message": f"this row is not readable as CSV ({exc})"}


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
        period_start=_parse_day(row.get("periodStart"), field="periodStart"),
        period_end=_parse_day(row.get("periodEnd"), field="periodEnd"),
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
    return dates.parse_instant((raw or "").strip(), field="timestamp")


def _parse_day(raw: str | None, *, field: str) -> date | None:
    value = (raw or "").strip()
    return dates.parse_day(value, field=field) if value else None


def _parse_note(raw: str | None) -> str | None:
    # Not stripped: an export read back gives each note exactly as it was.
    note = raw or ""
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
