"""Request and response bodies: camelCase JSON at the edge, validated before any service runs."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Annotated, Literal, Self
from zoneinfo import available_timezones

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from carbontrack.api.params import Day, DayOrInstant, Instant
from carbontrack.domain.flights import Cabin
from carbontrack.services.entries import MAX_NOTE_CHARS


def to_camel(name: str) -> str:
    """snake_case to camelCase word by word (pydantic's would turn co2e_kg into co2EKg)."""
    first, *rest = name.split("_")
    return first + "".join(word.capitalize() for word in rest)


class Body(BaseModel):
    """camelCase in and out; unknown fields are an error so typos do not pass silently."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", allow_inf_nan=False
    )


# pycountry and email-validator are imported by the validators that use them, not with this
# module: together they cost a Lambda cold start about 30 ms, which a request that sends no
# country and no e-mail address should not pay (docs/benchmarks.md, issue 7).


# Kosovo has no ISO 3166-1 code, so pycountry lacks it; "XK" is the user-assigned code that
# Ember's grid data, the EU and CLDR use for it, and our grid regions carry it (issue 13).
EXTRA_COUNTRIES = {"XK": "Kosovo"}


def _country(code: str) -> str:
    import pycountry

    if code.upper() in EXTRA_COUNTRIES:
        return code.upper()
    if pycountry.countries.get(alpha_2=code.upper()) is None:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return code.upper()


def _email(address: str) -> str:
    """The address normalised as pydantic's EmailStr does (same checks, same error)."""
    from pydantic.networks import validate_email

    return validate_email(address)[1]


Email = Annotated[
    str, AfterValidator(_email), WithJsonSchema({"type": "string", "format": "email"})
]


def _time_zone(name: str) -> str:
    if name not in _zones():
        raise ValueError(f"{name!r} is not an IANA time zone name")
    return name


_ZONES: set[str] = set()


def _zones() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


Timestamp = Instant  # ISO 8601 text only; without an offset it is read as UTC
Password = Annotated[str, StringConstraints(min_length=8, max_length=1024)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Country = Annotated[str, StringConstraints(min_length=2, max_length=2), AfterValidator(_country)]
TimeZone = Annotated[str, StringConstraints(max_length=64), AfterValidator(_time_zone)]
Quantity = Annotated[float, Field(ge=0, le=1e9), AfterValidator(_finite)]
FactorId = Annotated[str, StringConstraints(min_length=1, max_length=200)]
ActivityId = Annotated[str, StringConstraints(min_length=1, max_length=100)]
UnitText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Note = Annotated[str, StringConstraints(max_length=MAX_NOTE_CHARS)]


class RegisterIn(Body):
    email: Email
    password: Password
    name: Name


class LoginIn(Body):
    email: Annotated[str, StringConstraints(min_length=1, max_length=320)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class TokenOut(BaseModel):
    """RFC 6749 section 5.1: snake_case by the standard."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the RFC 6749 token type, not a secret
    expires_in: int


class UserOut(Body):
    user_id: str
    email: str
    name: str
    created_at: datetime
    country: str | None = None
    time_zone: str = "UTC"
    distance_unit: Literal["km", "mi"] = "km"


class ProfilePatch(Body):
    name: Name | None = None
    country: Country | None = None
    time_zone: TimeZone | None = None
    distance_unit: Literal["km", "mi"] | None = None  # the log form's default distance unit


class PasswordChange(Body):
    current_password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]
    new_password: Password


class FactorOut(Body):
    factor_id: str
    category: str
    activity: str
    unit: str
    unit_type: str
    co2e_kg_per_unit: float
    region: str
    source: str
    dataset: str
    year: int
    licence: str


class FactorList(Body):
    items: list[FactorOut]


class ActivityOut(Body):
    activity_id: str
    name: str
    category: str
    factor_id: str | None = Field(
        description="The factor it logs with; `ember:grid-intensity:local` resolves by the "
        "profile's country when an entry is saved; null when logged by route"
    )
    unit: str | None = Field(description="The unit people use; null when logged by route")
    input: str = Field(description="`quantity`, or `route` (a flight: send `route`)")
    synonyms: list[str]
    note: str


class ActivityList(Body):
    """Activities best first, then raw factors containing every word; categories to browse."""

    items: list[ActivityOut]
    factors: list[FactorOut]
    categories: list[str]
    version: str = Field(description="The activity catalogue's version")


class FoodPortionOut(Body):
    portion_id: str
    name: str
    factor_id: str
    grams: float
    source: str


class FoodPortionList(Body):
    items: list[FoodPortionOut]


class RouteIn(Body):
    """A flight by its airports; `from` and `to` are IATA codes (any case)."""

    from_: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=8)] = (
        Field(alias="from")
    )
    to: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=8)]
    return_: bool = Field(default=False, alias="return", description="Return: twice the distance")
    cabin: Cabin = "economy"
    passengers: Annotated[int, Field(ge=1, le=9)] = 1
    radiative_forcing: bool = Field(
        default=True, description="Include the extra warming of emissions at altitude"
    )


class AirportOut(Body):
    iata: str
    name: str
    city: str
    country: str


class AirportList(Body):
    items: list[AirportOut]


class EntryIn(Body):
    """`factorId`, `quantity` and `unit`; or `activityId` and `quantity`; or a flight's `route`."""

    factor_id: FactorId | None = None
    activity_id: ActivityId | None = Field(
        default=None, description="An everyday activity; `unit` defaults to the activity's"
    )
    quantity: Quantity | None = None
    unit: UnitText | None = None
    route: RouteIn | None = None
    timestamp: Timestamp | None = None
    note: Note | None = None
    period_start: Day | None = Field(
        default=None, description="A bill over a period: its first day (with periodEnd)"
    )
    period_end: Day | None = Field(
        default=None, description="The period's last day, included; at most 366 days"
    )

    @model_validator(mode="after")
    def _factor_or_route(self) -> Self:
        if self.route is not None and (self.period_start or self.period_end):
            raise ValueError("a flight has no period: give periodStart and periodEnd without route")
        if self.activity_id is not None:
            if self.factor_id is not None or self.route is not None:
                raise ValueError("give one of factorId, activityId or route, not several")
            if self.quantity is None:
                raise ValueError("give a quantity with activityId")
        elif self.route is not None:
            if self.factor_id is not None or self.quantity is not None or self.unit is not None:
                raise ValueError("give either route or factorId, quantity and unit, not both")
        elif self.factor_id is None or self.quantity is None or self.unit is None:
            raise ValueError(
                "give factorId, quantity and unit, or activityId and quantity, or a flight's route"
            )
        return self


class EntryPatchIn(Body):
    factor_id: FactorId | None = None
    quantity: Quantity | None = None
    unit: UnitText | None = None
    timestamp: Timestamp | None = None
    note: Note | None = None
    period_start: Day | None = Field(
        default=None, description="With periodEnd: the new period; both null: no period"
    )
    period_end: Day | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("give at least one field to change")
        return self


class FactorUsedOut(Body):
    factor_id: str
    dataset: str
    year: int
    source: str
    co2e_kg_per_unit: float
    unit: str
    requested_factor_id: str | None = None
    resolution: list[str] = []


class EquivalentOut(Body):
    """Something familiar with the same kg CO2e, e.g. km in an average petrol car."""

    amount: float
    unit: str
    text: str
    factor_id: str
    source: str


class EstimateOut(Body):
    """What logging a quantity of a factor now would record; nothing is written."""

    factor_id: str
    quantity: float
    unit: str
    co2e_kg: float
    factor: FactorUsedOut
    equivalents: list[EquivalentOut]


class EntryOut(Body):
    entry_id: str
    user_id: str
    timestamp: datetime
    day: date
    category: str
    activity: str
    quantity: float
    unit: str
    co2e_kg: float
    factor: FactorUsedOut
    note: str | None
    created_at: datetime
    updated_at: datetime
    period_start: date | None = Field(
        default=None, description="A bill's first day; its kg is spread evenly over its days"
    )
    period_end: date | None = Field(default=None, description="The period's last day, included")
    version: int = Field(
        description="Bumped by every change; a change applies only to the version it read"
    )


class EntryPage(Body):
    items: list[EntryOut]
    next_cursor: str | None


class EntryQuery(BaseModel):
    """`GET /api/entries`' query: validated as one model, not five parameters (issue 18).

    Unknown parameters are ignored, as they were when each was a parameter of its own.
    """

    from_: DayOrInstant | None = Field(default=None, alias="from")
    to: DayOrInstant | None = None
    category: str | None = Field(default=None, max_length=40)
    limit: int = Field(default=50, ge=1, le=500)
    cursor: str | None = Field(default=None, max_length=1000)


class ImportResult(Body):
    imported: int


class Health(Body):
    status: str
    version: str
    store: str
