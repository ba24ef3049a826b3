"""Days and instants as input: strict ISO 8601 text, within `FIRST_DAY`..`LAST_DAY`. Pure.

Python's own parsers take more than we mean (`date.fromisoformat` reads "20240101" and
"2024-W01-1", pydantic reads 0 as 1970-01-01), and its dates end at years 1 and 9999, where a
time-zone shift, the day after a `to` or a five-year previous range would overflow into a 500.
Every date the product reads from a person goes through here instead (docs/api.md, "Dates").
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from carbontrack.domain.errors import InvalidInput

# Every day an entry can have (1970 to tomorrow) with centuries to spare, and centuries away
# from Python's limits, so no arithmetic on a day that passed here can leave them.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
_YEAR = r"(?:19|2\d)\d{2}"
_MONTH_DAY = r"(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
DAY_PATTERN = rf"^{_YEAR}-{_MONTH_DAY}$"
INSTANT_PATTERN = (
    rf"^{_YEAR}-{_MONTH_DAY}T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{{1,6}})?)?"
    r"(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)?$"
)
_DAY = re.compile(DAY_PATTERN)
_INSTANT = re.compile(INSTANT_PATTERN)
DAY_FORMAT = f"an ISO 8601 date, YYYY-MM-DD, from {FIRST_DAY} to {LAST_DAY}"
INSTANT_FORMAT = (
    f"an ISO 8601 date-time, YYYY-MM-DDThh:mm[:ss[.ffffff]][Z|±hh:mm], from {FIRST_DAY} "
    f"to {LAST_DAY}"
)


def parse_day(raw: object, *, field: str | None = None) -> date:
    """A calendar day written YYYY-MM-DD in range; anything else is `InvalidInput`."""
    if not isinstance(raw, str) or not _DAY.fullmatch(raw):
        raise InvalidInput(_must(field, DAY_FORMAT), field=field)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{raw} is not a day of the calendar", field=field) from None


def parse_instant(raw: object, *, field: str | None = None) -> datetime:
    """An ISO 8601 date-time in range, in UTC; one without an offset is read as UTC."""
    if not isinstance(raw, str) or not _INSTANT.fullmatch(raw):
        raise InvalidInput(_must(field, INSTANT_FORMAT), field=field)
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"{raw} is not a time of the calendar", field=field) from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parse_day_or_instant(raw: object, *, field: str | None = None) -> date | datetime:
    """A day (YYYY-MM-DD) or an instant in UTC, as `parse_day` and `parse_instant` read them."""
    if isinstance(raw, str) and len(raw) == len("YYYY-MM-DD"):
        return parse_day(raw, field=field)
    try:
        return parse_instant(raw, field=field)
    except InvalidInput:
        raise InvalidInput(
            _must(field, f"{DAY_FORMAT}, or {INSTANT_FORMAT}"), field=field
        ) from None


def _must(field: str | None, what: str) -> str:
    return f"{field} must be {what}" if field else f"must be {what}"
