"""The flight form of /log: two airports, one way or return, cabin class, passengers.

Each airport is a text field. An IATA code ("lhr"), or a text ending in one ("London Heathrow
(LHR)", what log.js writes when an airport is picked from its combobox), is taken as it is;
other text is searched, and when several airports match, the page lists them to pick one (a
radio group, so it works without JavaScript). Saving goes through `services.flights`, as the
API's `route` does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from carbontrack.domain import flights as flight_rules
from carbontrack.domain.errors import DomainError, InvalidInput
from carbontrack.domain.flights import Airport, Cabin
from carbontrack.domain.models import Entry, User
from carbontrack.services import flights
from carbontrack.services.entries import MAX_NOTE_CHARS
from carbontrack.store.base import Store
from carbontrack.web.app import entry_form
from carbontrack.web.app.forms import domain_errors

AIRPORT_CHOICES = 8
# The API's field names -> this form's (the entry form on the same page owns f-timestamp).
FIELD_NAMES = {
    "route.from": "from",
    "route.to": "to",
    "route.passengers": "passengers",
    "timestamp": "flightWhen",
    "note": "flightNote",
}
TRIPS = (("return", "Return"), ("one-way", "One way"))
CABINS: tuple[tuple[Cabin, str], ...] = (
    ("economy", "Economy"),
    ("premium-economy", "Premium economy"),
    ("business", "Business"),
    ("first", "First"),
    ("average", "Not sure (average passenger)"),
)
HAUL_WORDS = {
    "domestic": "domestic (both airports in the UK)",
    "short-haul": "short haul (to or from the UK, up to 3,700 km)",
    "long-haul": "long haul (to or from the UK, over 3,700 km)",
    "international": "international (neither airport in the UK)",
}
# Said under every flight preview, the server's and flight_preview.js's alike.
METHOD = (
    "This includes the warming effect of contrails and other non-CO2 effects (radiative "
    "forcing), as DEFRA recommends. Distance: great circle plus 8 % for indirect routes and "
    "delays (DEFRA)."
)
_CODE_AT_END = re.compile(r"\(([A-Za-z]{3})\)\s*$")


@dataclass
class FlightForm:
    """The flight form's values as typed, an error per field, and airports to pick from."""

    origin: str = ""
    destination: str = ""
    origin_pick: str = ""
    destination_pick: str = ""
    trip: str = "return"  # most trips people log come back; one way is one tap away
    cabin: str = "economy"
    passengers: str = "1"
    timestamp: str = ""
    note: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[Airport]] = field(default_factory=dict)

    def fail(self, exc: DomainError) -> None:
        """Put a domain error next to its field (any other goes on top)."""
        self.errors.update(domain_errors(exc, FIELD_NAMES))


@dataclass(frozen=True, slots=True)
class CheckedFlight:
    """The typed flight as the service takes it."""

    route: flights.RouteInput
    timestamp: datetime
    note: str | None


@dataclass(frozen=True, slots=True)
class FlightPreview:
    """What the flight would log, with its one-way distance and haul in words."""

    entry: Entry
    distance_km: float
    haul: str
    return_trip: bool


def check(form: FlightForm, *, time_zone: str, now: datetime) -> CheckedFlight | None:
    """The checked flight, or None with `form.errors` (and airport choices) filled in."""
    origin = _airport(form, "from", form.origin, form.origin_pick)
    destination = _airport(form, "to", form.destination, form.destination_pick)
    passengers = _passengers(form)
    timestamp = None
    try:
        timestamp = entry_form.parse_timestamp(form.timestamp, time_zone=time_zone, now=now)
    except DomainError as exc:
        form.fail(exc)
    note = form.note.strip()
    if len(note) > MAX_NOTE_CHARS:
        form.errors["flightNote"] = f"Keep the note under {MAX_NOTE_CHARS} characters."
    if form.cabin not in dict(CABINS):
        form.errors["cabin"] = "Choose a cabin class."
    if form.errors or not origin or not destination or not passengers or not timestamp:
        return None
    route = flights.RouteInput(
        origin=origin,
        destination=destination,
        return_trip=form.trip != "one-way",
        cabin=cast(Cabin, form.cabin),
        passengers=passengers,
    )
    return CheckedFlight(route=route, timestamp=timestamp, note=note or None)


def preview(*, store: Store, user: User, checked: CheckedFlight, now: datetime) -> FlightPreview:
    """What saving would log, without writing anything."""
    found = flights.estimate(
        store=store,
        user=user,
        route=checked.route,
        now=now,
        timestamp=checked.timestamp,
        note=checked.note,
    )
    return FlightPreview(
        entry=found.entry,
        distance_km=found.plan.distance_km,
        haul=HAUL_WORDS[found.plan.haul],
        return_trip=checked.route.return_trip,
    )


def _airport(form: FlightForm, name: str, text: str, pick: str) -> str | None:
    """The IATA code the field means; else an error, and the airports to pick from."""
    code = pick.strip() or _code_in(text)
    if code:
        try:
            return flights.airport(code, field=name).iata
        except InvalidInput:
            pass  # not a code after all ("Rio"): search it as a city or a name
    found = flights.search_airports(query=text, limit=AIRPORT_CHOICES) if text.strip() else []
    if len(found) == 1:
        return found[0].iata
    if not text.strip():
        form.errors[name] = "Enter the airport: its 3-letter code (e.g. LHR) or its city."
    elif not found:
        form.errors[name] = f"No airport matches “{text.strip()}”: try its city or its code."
    else:
        form.errors[name] = f"Several airports match “{text.strip()}”: pick one below."
        form.choices[name] = found
    return None


def _code_in(text: str) -> str:
    match = _CODE_AT_END.search(text)
    if match:
        return match.group(1)
    stripped = text.strip()
    return stripped if len(stripped) == 3 and stripped.isalpha() else ""


def _passengers(form: FlightForm) -> int | None:
    try:
        count = int(form.passengers.strip())
    except ValueError:
        count = 0
    if not 1 <= count <= flight_rules.MAX_PASSENGERS:
        form.fail(
            InvalidInput(
                f"Passengers: a whole number from 1 to {flight_rules.MAX_PASSENGERS}.",
                field="route.passengers",
            )
        )
        return None
    return count
