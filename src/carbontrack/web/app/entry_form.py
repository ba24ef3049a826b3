"""The entry form of /log and /history/{id}/edit: read what was typed, check it, show it again.

Field names are the API's (`factorId`, `quantity`, `unit`, `timestamp`, `note`, and for a
bill over a period `periodStart`, `periodEnd`: local days, YYYY-MM-DD), so a domain
error's `field` names the form field it belongs next to. Each field is checked on its own
with the footprint engine's rules first, so a form with two mistakes shows both; the service
then applies every rule again when it saves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import TypeVar
from zoneinfo import ZoneInfo

from carbontrack.domain import footprint, periods, spread, units
from carbontrack.domain.dates import FIRST_DAY, LAST_DAY
from carbontrack.domain.errors import DomainError, InvalidInput
from carbontrack.domain.models import Entry
from carbontrack.services.entries import MAX_NOTE_CHARS
from carbontrack.web.app.forms import domain_errors

T = TypeVar("T")
LOCAL_MINUTE = "%Y-%m-%dT%H:%M"  # the value format of <input type="datetime-local">
FIELDS = ("factorId", "quantity", "unit", "timestamp", "note", "periodStart", "periodEnd")
FIELD_NAMES = {name: name for name in FIELDS}
# How units read in a menu; any unit not named here shows its own spelling.
UNIT_LABELS: dict[str, str] = {
    "m": "metres",
    "mile": "miles",
    "tonne": "tonnes (1,000 kg)",
    "lb": "pounds",
    "short_ton": "short tons (2,000 lb)",
    "L": "litres",
    "m3": "cubic metres",
    "gallon": "US gallons",
    "imperial_gallon": "imperial gallons",
    "scf": "standard cubic feet",
    "ccf": "hundred cubic feet",
    "therm": "therms",
    "mmBtu": "million Btu",
    "room_night": "room-nights",
    "tonne_km": "tonne-km",
    "short_ton_mile": "short ton-miles",
}


@dataclass
class EntryForm:
    """The form's values exactly as typed (strings), and an error message per field."""

    factor_id: str = ""
    quantity: str = ""
    unit: str = ""
    timestamp: str = ""  # the user's local time, as <input type="datetime-local"> sends it
    note: str = ""
    period_start: str = ""  # a bill's first and last local days, as <input type="date"> sends them
    period_end: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str:
        """The typed value of a field by its API name."""
        return {
            "factorId": self.factor_id,
            "quantity": self.quantity,
            "unit": self.unit,
            "timestamp": self.timestamp,
            "note": self.note,
            "periodStart": self.period_start,
            "periodEnd": self.period_end,
        }[name]

    def fail(self, exc: DomainError) -> None:
        """Put a domain error next to its field (any other goes on top, under "")."""
        self.errors.update(domain_errors(exc, FIELD_NAMES))


@dataclass(frozen=True, slots=True)
class Checked:
    """The typed values as the service takes them."""

    factor_id: str
    quantity: float
    unit: str
    timestamp: datetime  # UTC
    note: str | None
    period_start: date | None = None
    period_end: date | None = None


def local_minute(moment: datetime, time_zone: str) -> str:
    """A UTC moment as a datetime-local value in the user's time zone."""
    return moment.astimezone(ZoneInfo(time_zone)).strftime(LOCAL_MINUTE)


def format_local(moment: datetime, time_zone: str) -> str:
    """A UTC moment as people read it in their time zone: "20 Nov 2026, 08:00"."""
    return moment.astimezone(ZoneInfo(time_zone)).strftime("%d %b %Y, %H:%M")


def from_entry(entry: Entry, time_zone: str) -> EntryForm:
    """The form showing an entry as it is."""
    return EntryForm(
        factor_id=entry.factor.requested_factor_id or entry.factor.factor_id,
        quantity=format_quantity(entry.quantity),
        unit=entry.unit,
        timestamp=local_minute(entry.timestamp, time_zone),
        note=entry.note or "",
        period_start=entry.period_start.isoformat() if entry.period_start else "",
        period_end=entry.period_end.isoformat() if entry.period_end else "",
    )


def latest_period_day(now: datetime, time_zone: str) -> str:
    """The last day a bill's period may end on (the service's rule), for the date inputs' max."""
    last = periods.local_day(now, time_zone) + timedelta(days=spread.MAX_FUTURE_DAYS)
    return last.isoformat()


def format_quantity(quantity: float) -> str:
    """A quantity as a person would type it: 12 not 12.0."""
    return f"{quantity:.15g}"


def check(form: EntryForm, *, time_zone: str, now: datetime) -> Checked | None:
    """The checked values, or None with `form.errors` saying what is wrong with each field."""
    quantity = _field(form, "quantity", _quantity)
    timestamp = _field(form, "timestamp", lambda raw: _timestamp(raw, time_zone, now))
    note = _field(form, "note", _note)
    start = _field(form, "periodStart", partial(_day, name="periodStart"))
    end = _field(form, "periodEnd", partial(_day, name="periodEnd"))
    if "periodStart" not in form.errors and "periodEnd" not in form.errors:
        _check_period(form, start, end, today=periods.local_day(now, time_zone))
    if not form.factor_id.strip():
        form.errors["factorId"] = "Choose an activity: search for it above."
    if not form.unit.strip():
        form.errors["unit"] = "Choose a unit."
    if form.errors or quantity is None or timestamp is None:
        return None
    return Checked(
        factor_id=form.factor_id.strip(),
        quantity=quantity,
        unit=form.unit.strip(),
        timestamp=timestamp,
        note=note or None,
        period_start=start,
        period_end=end,
    )


def _field(form: EntryForm, name: str, parse: Callable[[str], T]) -> T | None:
    try:
        return parse(form.value(name))
    except DomainError as exc:
        form.fail(exc)
        return None


def _quantity(raw: str) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        raise InvalidInput("Enter the quantity as a number, e.g. 12.5.", field="quantity") from None
    footprint.check_quantity(value)
    return value


def parse_timestamp(raw: str, *, time_zone: str, now: datetime) -> datetime:
    """A datetime-local value read in `time_zone`, in UTC; `InvalidInput` on "timestamp"."""
    return _timestamp(raw, time_zone, now)


def _timestamp(raw: str, time_zone: str, now: datetime) -> datetime:
    try:
        local: datetime | None = datetime.strptime(raw.strip(), LOCAL_MINUTE)
    except ValueError:
        local = None
    # Out of range, the shift to UTC below could leave Python's years 1 to 9999: a 500.
    if local is None or not FIRST_DAY <= local.date() <= LAST_DAY:
        raise InvalidInput("Enter the date and time as YYYY-MM-DD HH:MM.", field="timestamp")
    moment = local.replace(tzinfo=ZoneInfo(time_zone)).astimezone(UTC)
    footprint.check_timestamp(moment, now=now)
    return moment


def _check_period(form: EntryForm, start: date | None, end: date | None, *, today: date) -> None:
    """The service's period rule, so its message shows next to its field with the others."""
    try:
        spread.check_period(start, end, today=today)
    except DomainError as exc:
        form.fail(exc)


def _day(raw: str, *, name: str) -> date | None:
    """A period's day as <input type="date"> sends it; blank is no period."""
    if not raw.strip():
        return None
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise InvalidInput("Enter the day as YYYY-MM-DD.", field=name) from None


def _note(raw: str) -> str:
    note = raw.strip()
    if len(note) > MAX_NOTE_CHARS:
        raise InvalidInput(f"Keep the note under {MAX_NOTE_CHARS} characters.", field="note")
    return note


def unit_choices(unit_type: str, *also: str) -> list[tuple[str, str]]:
    """(value, label) of the units offered for a factor's unit type, plus `also` if valid."""
    values = units.units_for(unit_type)
    for unit in also:
        try:
            canonical = units.canonical_unit(unit)
        except DomainError:
            continue
        if units.unit_type(canonical) == unit_type and canonical not in values:
            values.append(canonical)
    return [(value, UNIT_LABELS.get(value, value)) for value in values]


def default_unit(factor_unit: str, unit_type: str, *, distance_unit: str) -> str:
    """The unit offered first: the profile's km or miles for a distance, else the factor's."""
    if unit_type != "distance":
        return factor_unit
    return "mile" if distance_unit == "mi" else "km"


def selected_unit(typed: str, default: str) -> str:
    """The menu value matching a typed unit ("miles" -> "mile"), else `default`."""
    try:
        return units.canonical_unit(typed) if typed.strip() else default
    except DomainError:
        return typed


def format_kg(kg: float) -> str:
    """kg CO2e for people: 2 decimals, none from 100 kg, 3 significant digits under 1 kg.

    Rounded as log.js's Intl.NumberFormat rounds: the shortest decimal that reads back as
    `kg`, half away from zero, so the live preview and the saved entry show the same number.
    """
    if kg == 0:
        return "0"
    if kg < 0.001:
        return "less than 0.001"
    exact = Decimal(repr(kg))
    if kg < 1:
        step = Decimal(1).scaleb(exact.adjusted() - 2)
        return f"{exact.quantize(step, rounding=ROUND_HALF_UP).normalize():f}"
    step = Decimal("0.01") if kg < 100 else Decimal(1)
    return f"{exact.quantize(step, rounding=ROUND_HALF_UP):,}"
