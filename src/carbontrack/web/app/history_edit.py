"""Correct or delete one entry: /history/{id}/edit and /history/{id}/delete.

The edit form is the log form without the activity (to log another activity, delete the entry
and log it again). Only the fields that changed go to `services.entries.update_entry`, so
changing the note, the date or a bill's period keeps the factor and kg CO2e the entry was
saved with, and a new quantity or unit recomputes them, as the API does. Delete asks on a
page of its own first. Both come back to the history page they were opened from (`back`, only
ever a /history URL). An id that is not one of the user's entries raises `NotFound`: the 404
page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from carbontrack.api.deps import StoreDep
from carbontrack.domain import footprint, units
from carbontrack.domain.errors import DomainError
from carbontrack.domain.models import Entry, User
from carbontrack.services import entries
from carbontrack.web.app import entry_form, session
from carbontrack.web.app.entry_form import Checked, EntryForm
from carbontrack.web.app.handlers import CSRF_MESSAGE
from carbontrack.web.app.templating import render

router = APIRouter()

HISTORY = "/history"
Text = Annotated[str, Form()]


def back_url(value: str | None) -> str:
    """A history page to return to: `value` if it is one, else /history (never elsewhere)."""
    path = session.safe_next(value)
    return path if path == HISTORY or path.startswith(f"{HISTORY}?") else HISTORY


@router.get(HISTORY + "/{entry_id}/edit")
def edit_page(
    request: Request, entry_id: str, user: session.PageUser, store: StoreDep, back: str = ""
) -> Response:
    """The entry in the form, as it is."""
    entry = entries.get_entry(store=store, user=user, entry_id=entry_id)
    form = entry_form.from_entry(entry, user.time_zone)
    return _edit_form(request, user=user, entry=entry, form=form, back=back_url(back))


@router.post(HISTORY + "/{entry_id}/edit")
def edit_entry(
    request: Request,
    entry_id: str,
    user: session.PageUser,
    store: StoreDep,
    csrf: Text = "",
    quantity: Text = "",
    unit: Text = "",
    timestamp: Text = "",
    note: Text = "",
    period_start: Annotated[str, Form(alias="periodStart")] = "",
    period_end: Annotated[str, Form(alias="periodEnd")] = "",
    back: Text = "",
) -> Response:
    """Save the changes, or show the form again with what was typed and what is wrong."""
    entry = entries.get_entry(store=store, user=user, entry_id=entry_id)
    form = EntryForm(
        factor_id=entry.factor.requested_factor_id or entry.factor.factor_id,
        quantity=quantity,
        unit=unit,
        timestamp=timestamp,
        note=note,
        period_start=period_start,
        period_end=period_end,
    )
    back = back_url(back)
    if not session.csrf_valid(request, csrf):
        form.errors[""] = CSRF_MESSAGE
        return _edit_form(request, user=user, entry=entry, form=form, back=back, status_code=403)
    checked = entry_form.check(form, time_zone=user.time_zone, now=datetime.now(UTC))
    if checked is None:
        return _edit_form(request, user=user, entry=entry, form=form, back=back, status_code=422)
    patch = changes(entry, checked, form, user.time_zone)
    if patch is None:
        session.flash(request, "Nothing was changed.", level="info")
        return RedirectResponse(back, status_code=303)
    try:
        updated = entries.update_entry(store=store, user=user, entry_id=entry.entry_id, patch=patch)
    except DomainError as exc:
        form.fail(exc)
        return _edit_form(request, user=user, entry=entry, form=form, back=back, status_code=422)
    kg = entry_form.format_kg(updated.co2e_kg)
    session.flash(request, f"Saved your changes to {updated.activity}: {kg} kg CO2e.")
    return RedirectResponse(back, status_code=303)


def changes(
    entry: Entry, checked: Checked, form: EntryForm, time_zone: str
) -> entries.EntryPatch | None:
    """The fields the user changed, or None when the form shows the entry as it was."""
    # Compared with what the form showed (15 significant digits): a quantity left untouched is
    # no change even when the float does not survive the round trip through text (0.1 + 0.2).
    same_quantity = form.quantity.strip() == entry_form.format_quantity(entry.quantity)
    quantity = None if same_quantity else checked.quantity
    unit = None if _same_unit(checked.unit, entry.unit) else checked.unit
    unchanged_time = form.timestamp.strip() == entry_form.local_minute(entry.timestamp, time_zone)
    timestamp = None if unchanged_time else checked.timestamp
    note_changed = checked.note != entry.note
    period = (checked.period_start, checked.period_end)
    period_changed = period != (entry.period_start, entry.period_end)
    if (quantity, unit, timestamp) == (None, None, None) and not (note_changed or period_changed):
        return None
    return entries.EntryPatch(
        quantity=quantity,
        unit=unit,
        timestamp=timestamp,
        note=checked.note if note_changed else None,
        clear_note=note_changed and checked.note is None,
        set_period=period_changed,
        period_start=checked.period_start,
        period_end=checked.period_end,
    )


def _same_unit(typed: str, recorded: str) -> bool:
    """True when the menu's spelling names the unit the entry was logged in ("mile", "miles")."""
    try:
        return units.canonical_unit(typed) == units.canonical_unit(recorded)
    except DomainError:
        return False


def _edit_form(
    request: Request,
    *,
    user: User,
    entry: Entry,
    form: EntryForm,
    back: str,
    status_code: int = 200,
) -> Response:
    unit_type = units.unit_type(entry.factor.unit)
    now = datetime.now(UTC)
    context: dict[str, Any] = {
        "entry": entry,
        "form": form,
        "back": back,
        "when": entry_form.format_local(entry.timestamp, user.time_zone),
        "co2e": entry_form.format_kg(entry.co2e_kg),
        "unit_options": entry_form.unit_choices(unit_type, entry.factor.unit, entry.unit),
        "selected_unit": entry_form.selected_unit(form.unit, entry.factor.unit),
        "time_zone": user.time_zone,
        "latest_timestamp": entry_form.local_minute(now + footprint.MAX_FUTURE, user.time_zone),
        "latest_period_day": entry_form.latest_period_day(now, user.time_zone),
        "max_quantity": f"{footprint.MAX_QUANTITY:.0f}",
    }
    return render(request, "app/history_edit.html", status_code=status_code, **context)


@router.get(HISTORY + "/{entry_id}/delete")
def delete_page(
    request: Request, entry_id: str, user: session.PageUser, store: StoreDep, back: str = ""
) -> Response:
    """Ask before deleting: what the entry is, and a button that deletes it."""
    entry = entries.get_entry(store=store, user=user, entry_id=entry_id)
    return _delete_form(request, user=user, entry=entry, back=back_url(back), error=None)


@router.post(HISTORY + "/{entry_id}/delete")
def delete_entry(
    request: Request,
    entry_id: str,
    user: session.PageUser,
    store: StoreDep,
    csrf: Text = "",
    back: Text = "",
) -> Response:
    """Delete the entry and go back to the history page it was on."""
    entry = entries.get_entry(store=store, user=user, entry_id=entry_id)
    back = back_url(back)
    if not session.csrf_valid(request, csrf):
        return _delete_form(
            request, user=user, entry=entry, back=back, error=CSRF_MESSAGE, status_code=403
        )
    entries.delete_entry(store=store, user=user, entry_id=entry.entry_id)
    when = entry_form.format_local(entry.timestamp, user.time_zone)
    session.flash(request, f"Deleted {entry.activity} of {when}.")
    return RedirectResponse(back, status_code=303)


def _delete_form(
    request: Request,
    *,
    user: User,
    entry: Entry,
    back: str,
    error: str | None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "app/history_delete.html",
        status_code=status_code,
        entry=entry,
        back=back,
        errors={"": error} if error else {},
        when=entry_form.format_local(entry.timestamp, user.time_zone),
        amount=f"{entry_form.format_quantity(entry.quantity)} {entry.unit}",
        co2e=entry_form.format_kg(entry.co2e_kg),
    )
