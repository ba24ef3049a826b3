"""The user's entries at /history: filter, page, edit, delete, and CSV import and export.

- Filters are GET parameters (`from` and `to`: local calendar days, both included;
  `category`), so a filtered page can be bookmarked; "Older" follows the store's cursor.
- Edit (/history/{id}/edit) uses the log form's checks, and sends only the fields that
  changed to `services.entries.update_entry`: a note or date change keeps the recorded factor.
- Delete asks first, on a page of its own (/history/{id}/delete) that works without
  JavaScript; the POST carries the CSRF token.
- Import is all or nothing (`services.transfer.import_csv`): the page lists each bad row with
  its line and reason, and says that nothing was imported.
- Another user's entry id is a 404 page, exactly like an id that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from carbontrack.api.deps import StoreDep
from carbontrack.domain import dates
from carbontrack.domain.categories import CATEGORIES
from carbontrack.domain.dates import FIRST_DAY, LAST_DAY
from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.models import Entry, Page, User
from carbontrack.services import entries, range_totals, transfer
from carbontrack.store.base import Store
from carbontrack.web.app import entry_form, history_edit, history_import, session
from carbontrack.web.app.history_edit import HISTORY
from carbontrack.web.app.templating import render

router = APIRouter()
router.include_router(history_edit.router)  # /history/{id}/edit, /history/{id}/delete
router.include_router(history_import.router)  # /history/import

PAGE_SIZE = 20
CATEGORY_OPTIONS = (("", "All categories"), *((c, c.capitalize()) for c in CATEGORIES))


@dataclass
class Filters:
    """The history filters as typed, and what is wrong with them."""

    from_day: str = ""
    to_day: str = ""
    category: str = ""
    sort: str = ""  # "" (newest first) or "amount" (largest first, within the page shown)
    errors: dict[str, str] = field(default_factory=dict)

    def query(self, **extra: str) -> str:
        """The filters (and `extra`) as a query string, empty values left out."""
        values = {"from": self.from_day, "to": self.to_day, "category": self.category}
        values |= {"sort": self.sort, **extra}
        return urlencode({k: v for k, v in values.items() if v})

    def url(self, **extra: str) -> str:
        """/history with these filters."""
        query = self.query(**extra)
        return f"{HISTORY}?{query}" if query else HISTORY


@dataclass(frozen=True, slots=True)
class Bounds:
    """The UTC range and category the store is asked for."""

    since: datetime | None
    until: datetime | None
    category: str | None
    first: date | None = None  # the local days asked for, both included
    last: date | None = None


@router.get(HISTORY)
def history_page(
    request: Request,
    user: session.PageUser,
    store: StoreDep,
    from_day: Annotated[str, Query(alias="from")] = "",
    to_day: Annotated[str, Query(alias="to")] = "",
    category: str = "",
    sort: str = "",
    cursor: str = "",
) -> Response:
    """The user's entries newest first (or a page by amount), filtered, one page at a time."""
    filters = Filters(
        from_day=from_day.strip(),
        to_day=to_day.strip(),
        category=category.strip(),
        sort="amount" if sort.strip() == "amount" else "",
    )
    bounds = _bounds(filters, user.time_zone)
    page: Page[Entry] = Page()
    total = None
    if bounds is not None:
        page = _page_of(store, user, bounds, cursor, filters)
        total = _total(store, user, bounds)
    shown = list(page.items)
    if filters.sort == "amount":
        # The store keeps entries in date order (DynamoDB key: user id + timestamp), so an
        # order by amount across all pages would read every entry: this sorts the page shown.
        shown.sort(key=lambda entry: -entry.co2e_kg)
    here = filters.url(cursor=cursor) if page.items else filters.url()
    return render(
        request,
        "app/history.html",
        status_code=422 if filters.errors else 200,
        filters=filters,
        category_options=CATEGORY_OPTIONS,
        page=page,
        rows=[_row(entry, user.time_zone) for entry in shown],
        total=total,
        total_kg=entry_form.format_kg(total.co2e_kg) if total else "",
        max_months=range_totals.MAX_MONTHS,
        sort_url=filters.url(cursor=cursor, sort="" if filters.sort else "amount"),
        first_url=filters.url() if cursor else None,
        next_url=filters.url(cursor=page.next_cursor) if page.next_cursor else None,
        back=here,
        filtered=bool(filters.from_day or filters.to_day or filters.category),
    )


def _bounds(filters: Filters, time_zone: str) -> Bounds | None:
    """The store's range for local days `from`..`to` (both included), or None on errors."""
    zone = ZoneInfo(time_zone)
    first = _day(filters, "from", filters.from_day)
    last = _day(filters, "to", filters.to_day)
    if first and last and last < first:
        filters.errors["to"] = "The end date is before the start date."
    if filters.category and filters.category not in CATEGORIES:
        filters.errors["category"] = "Choose one of the categories in the list."
    if filters.errors:
        return None
    return Bounds(
        since=datetime.combine(first, time(), zone).astimezone(UTC) if first else None,
        until=(
            datetime.combine(last + timedelta(days=1), time(), zone).astimezone(UTC)
            if last
            else None
        ),
        category=filters.category or None,
        first=first,
        last=last,
    )


def _total(store: Store, user: User, bounds: Bounds) -> range_totals.RangeTotal | None:
    """The store-kept total of a date range with both ends; None without one."""
    if bounds.first is None or bounds.last is None:
        return None
    return range_totals.range_total(
        store=store, user=user, first=bounds.first, last=bounds.last, category=bounds.category
    )


def _day(filters: Filters, name: str, raw: str) -> date | None:
    if not raw:
        return None
    try:
        return dates.parse_day(raw)
    except InvalidInput:
        filters.errors[name] = f"Enter a date as YYYY-MM-DD, from {FIRST_DAY} to {LAST_DAY}."
        return None


def _page_of(
    store: Store, user: User, bounds: Bounds, cursor: str, filters: Filters
) -> Page[Entry]:
    def listing(after: str | None) -> Page[Entry]:
        return entries.list_entries(
            store=store,
            user=user,
            since=bounds.since,
            until=bounds.until,
            category=bounds.category,
            limit=PAGE_SIZE,
            cursor=after,
        )

    try:
        return listing(cursor or None)
    except InvalidInput:
        # A stale or edited "Older" link: start again from the newest entries.
        filters.errors[""] = "That page link no longer works; here are your newest entries."
        return listing(None)


@dataclass(frozen=True, slots=True)
class Row:
    """One entry as the table shows it."""

    entry: Entry
    when: str
    amount: str
    co2e: str


def _row(entry: Entry, time_zone: str) -> Row:
    return Row(
        entry=entry,
        when=entry_form.format_local(entry.timestamp, time_zone),
        amount=f"{entry_form.format_quantity(entry.quantity)} {entry.unit}",
        co2e=entry_form.format_kg(entry.co2e_kg),
    )


@router.get(f"{HISTORY}/export.csv")
def export_csv(user: session.PageUser, store: StoreDep) -> StreamingResponse:
    """All the user's entries as CSV, the format the import accepts."""
    return StreamingResponse(
        transfer.export_csv(store=store, user=user),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="carbontrack-entries.csv"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
