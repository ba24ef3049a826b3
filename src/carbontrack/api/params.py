"""Date types for query parameters and bodies: strict ISO 8601 text, in range, never a number.

One place for the rules of `carbontrack.domain.dates`, as `Annotated` types that routes and
schemas use as they are (`from_: Annotated[Day | None, Query(alias="from")] = None`). A value
they refuse is FastAPI's 422, whose `field` names the parameter; the OpenAPI document shows
each type's format and pattern.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BeforeValidator, PlainValidator, WithJsonSchema

from carbontrack.domain import dates
from carbontrack.domain.errors import InvalidInput

_DAY_SCHEMA = {"type": "string", "format": "date", "pattern": dates.DAY_PATTERN}
# No "format": "date-time" (RFC 3339), which needs seconds and an offset: ISO 8601 allows
# both out, and the API reads a time without an offset as UTC (docs/api.md).
_INSTANT_SCHEMA = {"type": "string", "pattern": dates.INSTANT_PATTERN}


def _day(value: object) -> date:
    try:
        return dates.parse_day(value)
    except InvalidInput as exc:
        raise ValueError(exc.message) from None


def _instant(value: object) -> datetime:
    try:
        return dates.parse_instant(value)
    except InvalidInput as exc:
        raise ValueError(exc.message) from None


def _day_or_instant(value: object) -> date | datetime:
    try:
        return dates.parse_day_or_instant(value)
    except InvalidInput as exc:
        raise ValueError(exc.message) from None


Day = Annotated[date, BeforeValidator(_day), WithJsonSchema(_DAY_SCHEMA)]
"""A calendar day, YYYY-MM-DD."""

Instant = Annotated[datetime, BeforeValidator(_instant), WithJsonSchema(_INSTANT_SCHEMA)]
"""A date-time in UTC; one written without an offset is read as UTC."""

DayOrInstant = Annotated[
    date | datetime,
    PlainValidator(_day_or_instant),
    WithJsonSchema({"anyOf": [_DAY_SCHEMA, _INSTANT_SCHEMA]}),
]
"""A day (YYYY-MM-DD) or a date-time in UTC, for range bounds that take either."""
