"""The signed-in user's activity entries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Response, UploadFile
from fastapi.responses import StreamingResponse

from carbontrack.api.deps import CurrentUser, SignedIn, StoreDep
from carbontrack.api.responses import DomainJSON
from carbontrack.api.schemas import (
    EntryIn,
    EntryOut,
    EntryPage,
    EntryPatchIn,
    EntryQuery,
    ImportResult,
)
from carbontrack.api.schemas_flights import route_input
from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.models import Entry, Page
from carbontrack.services import accounts, activities, entries, flights, transfer

router = APIRouter(prefix="/api/entries", tags=["entries"])
ENTRY_JSON: DomainJSON[Entry] = DomainJSON(Entry)
PAGE_JSON: DomainJSON[Page[Entry]] = DomainJSON(Page[Entry])


def _bound(value: date | datetime | None, *, end: bool) -> datetime | None:
    """A bound in UTC; a bare day as `to` includes that whole day (UTC)."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value + timedelta(days=1 if end else 0), time(), UTC)


# The hot routes (docs/architecture.md): the token is checked on the event loop and the
# user read in the route's own thread, one thread hop per request.
@router.post("", status_code=201, response_model=EntryOut)
def create_entry(body: EntryIn, signed_in: SignedIn, store: StoreDep) -> Response:
    """Log an activity, or a flight by its `route`; kg CO2e is recorded with its factor."""
    user = accounts.signed_in_user(store=store, claims=signed_in)
    if body.route is not None:
        route = route_input(body.route)
        entry = flights.create_flight_entry(
            store=store, user=user, route=route, timestamp=body.timestamp, note=body.note
        )
        return ENTRY_JSON.response(entry, status_code=201)
    data = replace(_entry_input(body), period_start=body.period_start, period_end=body.period_end)
    entry = entries.create_entry(store=store, user=user, data=data)
    return ENTRY_JSON.response(entry, status_code=201)


def _entry_input(body: EntryIn) -> entries.EntryInput:
    """The entry an `activityId` or a `factorId` body asks for (EntryIn checked which)."""
    assert body.quantity is not None
    if body.activity_id is not None:
        return activities.entry_input(
            activity_id=body.activity_id,
            quantity=body.quantity,
            unit=body.unit,
            timestamp=body.timestamp,
            note=body.note,
        )
    assert body.factor_id is not None
    assert body.unit is not None
    return entries.EntryInput(
        factor_id=body.factor_id,
        quantity=body.quantity,
        unit=body.unit,
        timestamp=body.timestamp,
        note=body.note,
    )


@router.get("", response_model=EntryPage)
def list_entries(
    signed_in: SignedIn, store: StoreDep, query: Annotated[EntryQuery, Query()]
) -> Response:
    """The user's entries, newest first; pass `nextCursor` back as `cursor` for the next page."""
    page = entries.list_entries(
        store=store,
        user=accounts.signed_in_user(store=store, claims=signed_in),
        since=_bound(query.from_, end=False),
        until=_bound(query.to, end=True),
        category=query.category,
        limit=query.limit,
        cursor=query.cursor,
    )
    return PAGE_JSON.response(page)


@router.get(
    "/export",
    response_class=StreamingResponse,
    responses={
        200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}
    },
)
def export_entries(user: CurrentUser, store: StoreDep) -> StreamingResponse:
    """All the user's entries as CSV (the format import accepts)."""
    return StreamingResponse(
        transfer.export_csv(store=store, user=user),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="carbontrack-entries.csv"'},
    )


@router.post("/import", status_code=201, response_model=ImportResult)
def import_entries(file: UploadFile, user: CurrentUser, store: StoreDep) -> ImportResult:
    """Import a CSV: every row is checked first, then all are written or none."""
    try:
        text = file.file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the file is not UTF-8 text", field="file") from None
    return ImportResult(imported=transfer.import_csv(store=store, user=user, text=text))


@router.get("/{entry_id}", response_model=EntryOut)
def get_entry(entry_id: str, user: CurrentUser, store: StoreDep) -> Response:
    """One of the user's entries."""
    return ENTRY_JSON.response(entries.get_entry(store=store, user=user, entry_id=entry_id))


@router.patch("/{entry_id}", response_model=EntryOut)
def update_entry(entry_id: str, body: EntryPatchIn, user: CurrentUser, store: StoreDep) -> Response:
    """Change an entry; a new factor, quantity or unit recomputes co2eKg."""
    patch = entries.EntryPatch(
        factor_id=body.factor_id,
        quantity=body.quantity,
        unit=body.unit,
        timestamp=body.timestamp,
        note=body.note,
        clear_note="note" in body.model_fields_set and body.note is None,
        set_period=bool({"period_start", "period_end"} & body.model_fields_set),
        period_start=body.period_start,
        period_end=body.period_end,
    )
    updated = entries.update_entry(store=store, user=user, entry_id=entry_id, patch=patch)
    return ENTRY_JSON.response(updated)


@router.delete("/{entry_id}", status_code=204)
def delete_entry(entry_id: str, user: CurrentUser, store: StoreDep) -> Response:
    """Delete one of the user's entries."""
    entries.delete_entry(store=store, user=user, entry_id=entry_id)
    return Response(status_code=204)
