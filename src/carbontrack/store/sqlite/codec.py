"""Conversions between domain values and SQLite column values."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from carbontrack.domain.errors import AlreadyExists, DomainError, InvalidInput, NotFound

_UNIQUE = frozenset({"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"})


def db_time(value: datetime, *, field: str | None = None) -> str:
    """Format an aware datetime as fixed-width UTC text, e.g. 2026-11-22T10:15:30.123456Z.

    Fixed width with microseconds makes string order equal time order, so indexes
    and range conditions on these columns sort chronologically.
    """
    if value.tzinfo is not UTC:
        if value.utcoffset() is None:
            raise InvalidInput("datetime must be timezone-aware", field=field)
        value = value.astimezone(UTC)
    # isoformat of a UTC datetime always ends in "+00:00"; swap it for "Z".
    return value.isoformat(timespec="microseconds")[:-6] + "Z"


def py_time(text: str) -> datetime:
    """Parse text written by `db_time` back into an aware UTC datetime."""
    return datetime.fromisoformat(text)


def integrity_error(
    exc: sqlite3.IntegrityError, *, duplicate: str, field: str | None = None
) -> DomainError:
    """Translate a constraint failure into the domain error it means."""
    name = exc.sqlite_errorname
    if name in _UNIQUE:
        return AlreadyExists(duplicate, field=field)
    if name == "SQLITE_CONSTRAINT_FOREIGNKEY":
        return NotFound("user not found", field="user_id")
    return InvalidInput(f"value rejected by the store ({name})")
