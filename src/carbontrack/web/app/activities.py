"""Log an activity at /log: find the factor, say how much and when, see the kg CO2e, save.

Without JavaScript the search is a GET form that reloads /log with results (each a link that
chooses the factor), and "Preview" asks the server for the footprint. log.js turns the search
box into a combobox over GET /api/factors and previews live from
GET /api/factors/{id}/estimate. Saving goes through `services.entries.create_entry`; a refused
form comes back with what was typed and each message next to its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from carbontrack.api.deps import StoreDep
from carbontrack.domain import footprint, units
from carbontrack.domain.electricity import GRID_LOCAL_FACTOR_ID
from carbontrack.domain.errors import DomainError
from carbontrack.domain.models import Entry, Factor, User
from carbontrack.services import entries, factors, shortcuts
from carbontrack.store.base import Store
from carbontrack.web.app import entry_form, session
from carbontrack.web.app.entry_form import EntryForm
from carbontrack.web.app.handlers import CSRF_MESSAGE
from carbontrack.web.app.templating import render

router = APIRouter()

SEARCH_RESULTS = 20
Text = Annotated[str, Form()]


@dataclass(frozen=True, slots=True)
class Chosen:
    """The factor the form is about; `asked` differs when it follows the profile country."""

    asked: str
    factor: Factor

    @property
    def follows_profile(self) -> bool:
        """True for "grid electricity where you live"."""
        return self.asked == GRID_LOCAL_FACTOR_ID


@router.get("/log")
def log_page(
    request: Request,
    user: session.PageUser,
    store: StoreDep,
    q: str = "",
    factor: str = "",
    quantity: str = "",
    unit: str = "",
) -> Response:
    """The form, with search results for `q` and the factor `factor` chosen (shortcut links)."""
    now = datetime.now(UTC)
    form = EntryForm(
        factor_id=factor,
        quantity=quantity,
        unit=unit,
        timestamp=entry_form.local_minute(now, user.time_zone),
    )
    results = factors.search(store=store, q=q, limit=SEARCH_RESULTS) if q.strip() else []
    return _page(request, store=store, user=user, form=form, q=q.strip(), results=results)


@router.post("/log")
def log_activity(
    request: Request,
    user: session.PageUser,
    store: StoreDep,
    csrf: Text = "",
    factor_id: Annotated[str, Form(alias="factorId")] = "",
    quantity: Text = "",
    unit: Text = "",
    timestamp: Text = "",
    note: Text = "",
    intent: Text = "save",
) -> Response:
    """Save the activity (or, for the Preview button, show its footprint without saving)."""
    form = EntryForm(
        factor_id=factor_id, quantity=quantity, unit=unit, timestamp=timestamp, note=note
    )
    if not session.csrf_valid(request, csrf):
        form.errors[""] = CSRF_MESSAGE
        return _page(request, store=store, user=user, form=form, status_code=403)
    checked = entry_form.check(form, time_zone=user.time_zone, now=datetime.now(UTC))
    if checked is None:
        return _page(request, store=store, user=user, form=form, status_code=422)
    data = entries.EntryInput(
        factor_id=checked.factor_id,
        quantity=checked.quantity,
        unit=checked.unit,
        timestamp=checked.timestamp,
        note=checked.note,
    )
    try:
        if intent == "preview":
            preview = entries.preview_entry(store=store, user=user, data=data)
            return _page(request, store=store, user=user, form=form, preview=preview)
        entry = entries.create_entry(store=store, user=user, data=data)
    except DomainError as exc:
        form.fail(exc)
        return _page(request, store=store, user=user, form=form, status_code=422)
    session.flash(request, saved_message(entry))
    return RedirectResponse("/log", status_code=303)


def saved_message(entry: Entry) -> str:
    """What the flash says after a save: the activity, the amount and its footprint."""
    amount = f"{entry_form.format_quantity(entry.quantity)} {entry.unit}"
    return f"Saved: {entry.activity}, {amount}: {entry_form.format_kg(entry.co2e_kg)} kg CO2e."


def _page(
    request: Request,
    *,
    store: Store,
    user: User,
    form: EntryForm,
    q: str = "",
    results: list[Factor] | None = None,
    preview: Entry | None = None,
    status_code: int = 200,
) -> Response:
    chosen = _chosen(store=store, user=user, form=form)
    now = datetime.now(UTC)
    context: dict[str, Any] = {
        "form": form,
        "chosen": chosen,
        "q": q,
        "searched": bool(q),
        "results": results or [],
        "preview": preview,
        "shortcuts": shortcuts.for_user(store=store, user=user),
        "grid_local_id": GRID_LOCAL_FACTOR_ID,
        "time_zone": user.time_zone,
        "latest_timestamp": entry_form.local_minute(now + footprint.MAX_FUTURE, user.time_zone),
        "unit_options": _unit_options(chosen, form),
        "selected_unit": entry_form.selected_unit(form.unit, chosen.factor.unit) if chosen else "",
        "units_by_type": {t: entry_form.unit_choices(t) for t in units.UNIT_TYPES},
        "format_kg": entry_form.format_kg,
        "format_quantity": entry_form.format_quantity,
        "lookback": shortcuts.LOOKBACK_ENTRIES,
        "max_quantity": f"{footprint.MAX_QUANTITY:.0f}",
    }
    return render(request, "app/log.html", status_code=status_code, **context)


def _chosen(*, store: Store, user: User, form: EntryForm) -> Chosen | None:
    """The factor named by the form, resolved as saving would; an unknown id is a field error."""
    asked = form.factor_id.strip()
    if not asked:
        return None
    try:
        factor, _ = factors.resolve_for_user(store=store, factor_id=asked, user=user)
    except DomainError as exc:
        form.fail(exc)
        return None
    return Chosen(asked=asked, factor=factor)


def _unit_options(chosen: Chosen | None, form: EntryForm) -> list[tuple[str, str]]:
    if chosen is None:
        return [("", "Choose an activity first")]
    return entry_form.unit_choices(chosen.factor.unit_type, chosen.factor.unit, form.unit)
