"""Log an activity at /log: find the factor, say how much and when, see the kg CO2e, save.

Without JavaScript the search is a GET form that reloads /log with results (everyday
activities first, then raw factors, each a link that chooses the factor and its unit), category
tiles list a category's activities, and "Preview" asks the server for the footprint. log.js
turns the search box into a combobox over GET /api/activities and previews live from
GET /api/factors/{id}/estimate. Saving goes through `services.entries.create_entry`; a refused
form comes back with what was typed and each message next to its field. An optional
"Spread over a period (a bill)" pair of days (local, both included) saves a bill whose kg the
stats spread over those days. The "Flight" activity
(`?activity=flight`) shows the flight form instead (`flight_form.py`, saved by
`services.flights`); a food factor offers its portions as one-tap quantities.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from carbontrack.api.deps import StoreDep
from carbontrack.domain import footprint, unit_help, units
from carbontrack.domain.categories import CATEGORIES
from carbontrack.domain.electricity import GRID_LOCAL_FACTOR_ID
from carbontrack.domain.equivalents import Equivalent
from carbontrack.domain.errors import DomainError
from carbontrack.domain.models import Entry, Factor, User
from carbontrack.services import (
    activities,
    entries,
    equivalents,
    factors,
    flights,
    food,
    shortcuts,
)
from carbontrack.store.base import Store
from carbontrack.web.app import entry_form, flight_form, session
from carbontrack.web.app.entry_form import EntryForm
from carbontrack.web.app.handlers import CSRF_MESSAGE
from carbontrack.web.app.templating import render

router = APIRouter()

SEARCH_RESULTS = 20
FLIGHT_ACTIVITY = "flight"  # the catalogue's activity logged by route
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
    category: str = "",
    activity: str = "",
) -> Response:
    """The form, with results for `q` or `category` and the factor `factor` chosen (links)."""
    now = datetime.now(UTC)
    form = EntryForm(
        factor_id=factor,
        quantity=quantity,
        unit=unit,
        timestamp=entry_form.local_minute(now, user.time_zone),
    )
    browse = category if category in CATEGORIES else None
    found = None
    if q.strip() or browse:
        found = activities.search(store=store, q=q, category=browse, limit=SEARCH_RESULTS)
    flight = None
    if activity == FLIGHT_ACTIVITY:
        flight = flight_form.FlightForm(timestamp=form.timestamp)
    return _page(
        request,
        store=store,
        user=user,
        form=form,
        q=q.strip(),
        category=browse,
        found=found,
        flight=flight,
    )


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
    period_start: Annotated[str, Form(alias="periodStart")] = "",
    period_end: Annotated[str, Form(alias="periodEnd")] = "",
    intent: Text = "save",
) -> Response:
    """Save the activity (or, for the Preview button, show its footprint without saving)."""
    form = EntryForm(
        factor_id=factor_id,
        quantity=quantity,
        unit=unit,
        timestamp=timestamp,
        note=note,
        period_start=period_start,
        period_end=period_end,
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
        period_start=checked.period_start,
        period_end=checked.period_end,
    )
    try:
        if intent == "preview":
            preview = entries.preview_entry(store=store, user=user, data=data)
            return _page(request, store=store, user=user, form=form, preview=preview)
        entry = entries.create_entry(store=store, user=user, data=data)
    except DomainError as exc:
        form.fail(exc)
        return _page(request, store=store, user=user, form=form, status_code=422)
    session.flash(request, saved_message(entry, store=store))
    return RedirectResponse("/log", status_code=303)


@router.post("/log/flight")
def log_flight(
    request: Request,
    user: session.PageUser,
    store: StoreDep,
    csrf: Text = "",
    origin: Annotated[str, Form(alias="from")] = "",
    destination: Annotated[str, Form(alias="to")] = "",
    origin_pick: Annotated[str, Form(alias="fromPick")] = "",
    destination_pick: Annotated[str, Form(alias="toPick")] = "",
    trip: Text = "return",
    cabin: Text = "economy",
    passengers: Text = "1",
    timestamp: Annotated[str, Form(alias="flightWhen")] = "",
    note: Annotated[str, Form(alias="flightNote")] = "",
    intent: Text = "save",
) -> Response:
    """Save a flight by its airports (or, for Preview, show its distance, haul and footprint)."""
    flight = flight_form.FlightForm(
        origin=origin,
        destination=destination,
        origin_pick=origin_pick,
        destination_pick=destination_pick,
        trip=trip,
        cabin=cabin,
        passengers=passengers,
        timestamp=timestamp,
        note=note,
    )
    page = partial(_page, request, store=store, user=user, form=EntryForm(), flight=flight)
    if not session.csrf_valid(request, csrf):
        flight.errors[""] = CSRF_MESSAGE
        return page(status_code=403)
    now = datetime.now(UTC)
    checked = flight_form.check(flight, time_zone=user.time_zone, now=now)
    if checked is None:
        return page(status_code=422)
    try:
        if intent == "preview":
            shown = flight_form.preview(store=store, user=user, checked=checked, now=now)
            return page(flight_preview=shown)
        entry = flights.create_flight_entry(
            store=store,
            user=user,
            route=checked.route,
            timestamp=checked.timestamp,
            note=checked.note,
        )
    except DomainError as exc:
        flight.fail(exc)
        return page(status_code=422)
    session.flash(request, saved_message(entry, store=store))
    return RedirectResponse("/log", status_code=303)


def saved_message(entry: Entry, *, store: Store) -> str:
    """What the flash says after a save: the activity, the amount, its footprint, an equivalent."""
    amount = f"{entry_form.format_quantity(entry.quantity)} {entry.unit}"
    said = f"Saved: {entry.activity}, {amount}: {entry_form.format_kg(entry.co2e_kg)} kg CO2e"
    if entry.period_start is not None and entry.period_end is not None:
        said += f", spread over {entry.period_start} to {entry.period_end}"
    found = equivalents.for_co2e(store=store, co2e_kg=entry.co2e_kg)
    return f"{said} ({found[0].text})." if found else f"{said}."


def _page(
    request: Request,
    *,
    store: Store,
    user: User,
    form: EntryForm,
    q: str = "",
    category: str | None = None,
    found: activities.ActivitySearch | None = None,
    preview: Entry | None = None,
    flight: flight_form.FlightForm | None = None,
    flight_preview: flight_form.FlightPreview | None = None,
    status_code: int = 200,
) -> Response:
    chosen = _chosen(store=store, user=user, form=form)
    now = datetime.now(UTC)
    portions = _portions_by_factor()
    context: dict[str, Any] = {
        "form": form,
        "chosen": chosen,
        "q": q,
        "searched": found is not None,
        "category": category,
        "activities": found.items if found else [],
        "results": found.factors if found else [],
        "categories": CATEGORIES,
        "preview": preview,
        "equivalents": _equivalents(store, preview),
        "car_factor": equivalents.car_factor(store=store),
        "shortcuts": shortcuts.for_user(store=store, user=user),
        "grid_local_id": GRID_LOCAL_FACTOR_ID,
        "time_zone": user.time_zone,
        "latest_timestamp": entry_form.local_minute(now + footprint.MAX_FUTURE, user.time_zone),
        "latest_period_day": entry_form.latest_period_day(now, user.time_zone),
        "unit_options": _unit_options(chosen, form),
        "selected_unit": _selected_unit(chosen, form, user),
        "distance_unit": entry_form.default_unit(
            "km", "distance", distance_unit=user.distance_unit
        ),
        "units_by_type": {t: entry_form.unit_choices(t) for t in units.UNIT_TYPES},
        "unit_help": unit_help.descriptions(),
        "passenger_km_help": unit_help.PASSENGER_KM,
        "per_passenger": chosen is not None and unit_help.per_passenger(chosen.factor.activity),
        "format_kg": entry_form.format_kg,
        "format_quantity": entry_form.format_quantity,
        "lookback": shortcuts.LOOKBACK_ENTRIES,
        "max_quantity": f"{footprint.MAX_QUANTITY:.0f}",
        "flight_open": flight is not None,
        "flight": flight
        or flight_form.FlightForm(timestamp=entry_form.local_minute(now, user.time_zone)),
        "flight_preview": flight_preview,
        "flight_words": {"hauls": flight_form.HAUL_WORDS, "method": flight_form.METHOD},
        "trips": flight_form.TRIPS,
        "cabins": flight_form.CABINS,
        "portions_by_factor": portions,
        "portions": portions.get(chosen.factor.factor_id, []) if chosen else [],
    }
    return render(request, "app/log.html", status_code=status_code, **context)


def _equivalents(store: Store, preview: Entry | None) -> list[Equivalent]:
    """What the previewed footprint equals in km of an average petrol car (none without one)."""
    return [] if preview is None else equivalents.for_co2e(store=store, co2e_kg=preview.co2e_kg)


def _portions_by_factor() -> dict[str, list[dict[str, Any]]]:
    """Food portions by factor id, as the page lists them and log.js reads them."""
    found: dict[str, list[dict[str, Any]]] = {}
    for portion in food.portions():
        item = {"name": portion.name, "grams": entry_form.format_quantity(portion.grams)}
        found.setdefault(portion.factor_id, []).append(item)
    return found


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


def _selected_unit(chosen: Chosen | None, form: EntryForm, user: User) -> str:
    """The unit typed or linked, else the profile's distance unit or the factor's own."""
    if chosen is None:
        return ""
    factor = chosen.factor
    default = entry_form.default_unit(
        factor.unit, factor.unit_type, distance_unit=user.distance_unit
    )
    return entry_form.selected_unit(form.unit, default)


def _unit_options(chosen: Chosen | None, form: EntryForm) -> list[tuple[str, str]]:
    if chosen is None:
        return [("", "Choose an activity first")]
    return entry_form.unit_choices(chosen.factor.unit_type, chosen.factor.unit, form.unit)
