"""Users in SQLite: table `users`, key `user_id`, email unique ignoring case."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from carbontrack.domain.errors import Conflict, NotFound
from carbontrack.domain.models import User
from carbontrack.store.changes import profile_changes
from carbontrack.store.sqlite.codec import db_time, integrity_error, py_time
from carbontrack.store.sqlite.connection import Database

_INSERT = """
    INSERT INTO users (
        user_id, email, name, password_hash, created_at, country, time_zone, token_version,
        distance_unit, operator
    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_COLUMNS = (
    "user_id, email, name, password_hash, created_at, country, time_zone, token_version, "
    "distance_unit, operator"
)
_SELECT = f"SELECT {_COLUMNS} FROM users"  # noqa: S608
_GET = _SELECT + " WHERE user_id = ?"
_ALL = _SELECT + " ORDER BY user_id"
# Restore: the row as given, whatever was there under the same id.
_UPSERT = (
    _INSERT
    + """
    ON CONFLICT (user_id) DO UPDATE SET
        email = excluded.email, name = excluded.name, password_hash = excluded.password_hash,
        created_at = excluded.created_at, country = excluded.country,
        time_zone = excluded.time_zone, token_version = excluded.token_version,
        distance_unit = excluded.distance_unit, operator = excluded.operator
"""
)
_SCAN_BATCH = 500
_GET_BY_EMAIL = _SELECT + " WHERE email = ?"  # the column's NOCASE collation applies
# Each write sets only its own columns: a profile change never carries a password hash
# or token version it read, so it can never put back one that a password change replaced.
_SET_HASH = """
    UPDATE users SET password_hash = ?, token_version = token_version + 1
    WHERE user_id = ? AND token_version = ?
    RETURNING token_version
"""
_SET_OPERATOR = f"UPDATE users SET operator = ? WHERE user_id = ? RETURNING {_COLUMNS}"  # noqa: S608


class SqliteUsers:
    """`UserRepository` over the `users` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def add(self, user: User) -> None:
        """Insert a new user; `AlreadyExists` if the id or email is taken."""
        try:
            with self._db.write() as conn:
                conn.execute(_INSERT, _row(user))
        except sqlite3.IntegrityError as exc:
            raise _duplicate(exc) from None

    def scan_all(self) -> Iterator[User]:
        """Every user, by id (backups)."""
        cursor = self._db.connection().execute(_ALL)
        while rows := cursor.fetchmany(_SCAN_BATCH):
            yield from (_user(row) for row in rows)

    def put_many(self, users: Sequence[User]) -> None:
        """Write users as given, replacing same ids, in one transaction (restore)."""
        try:
            with self._db.write() as conn:
                conn.executemany(_UPSERT, [_row(user) for user in users])
        except sqlite3.IntegrityError as exc:
            raise _duplicate(exc) from None

    def get(self, user_id: str) -> User | None:
        """Return the user with this id, or None."""
        row = self._db.connection().execute(_GET, (user_id,)).fetchone()
        return None if row is None else _user(row)

    def get_by_email(self, email: str) -> User | None:
        """Look up by email, ignoring ASCII case."""
        row = self._db.connection().execute(_GET_BY_EMAIL, (email,)).fetchone()
        return None if row is None else _user(row)

    def update_profile(
        self,
        user_id: str,
        *,
        name: str | None = None,
        country: str | None = None,
        time_zone: str | None = None,
        clear_country: bool = False,
        distance_unit: str | None = None,
    ) -> User:
        """Set only the profile columns given, in one UPDATE; the user as it now is."""
        changed = profile_changes(
            name=name,
            country=country,
            time_zone=time_zone,
            clear_country=clear_country,
            distance_unit=distance_unit,
        )
        # The column names are this function's own keywords, never input.
        assignments = ", ".join(f"{column} = ?" for column in changed) or "user_id = user_id"
        statement = f"UPDATE users SET {assignments} WHERE user_id = ? RETURNING {_COLUMNS}"  # noqa: S608
        with self._db.write() as conn:
            # fetchall: a RETURNING statement must run to its end before COMMIT.
            rows = conn.execute(statement, (*changed.values(), user_id)).fetchall()
        if not rows:
            raise NotFound("user not found", field="user_id")
        return _user(rows[0])

    def change_password(
        self, user_id: str, *, password_hash: str, expected_token_version: int
    ) -> int:
        """Set the hash and bump the token version in one conditional UPDATE."""
        with self._db.write() as conn:
            row = conn.execute(
                _SET_HASH, (password_hash, user_id, expected_token_version)
            ).fetchall()
            exists = row or conn.execute(_GET, (user_id,)).fetchone() is not None
        if not row:
            raise _password_conflict() if exists else NotFound("user not found", field="user_id")
        return int(row[0][0])

    def set_operator(self, user_id: str, operator: bool) -> User:
        """Grant or revoke the operator role in one UPDATE of that column only."""
        with self._db.write() as conn:
            rows = conn.execute(_SET_OPERATOR, (int(operator), user_id)).fetchall()
        if not rows:
            raise NotFound("user not found", field="user_id")
        return _user(rows[0])

    def delete(self, user_id: str) -> None:
        """Remove the user; their entries go with them (ON DELETE CASCADE)."""
        with self._db.write() as conn:
            deleted = conn.execute("DELETE FROM users WHERE user_id = ?", (user_id,)).rowcount
            # goals.owner_id may name a team, so it has no foreign key to cascade.
            conn.execute("DELETE FROM goals WHERE owner_id = ?", (user_id,))
        if deleted == 0:
            raise NotFound("user not found", field="user_id")


def _user(row: Any) -> User:
    return User(
        user_id=row[0],
        email=row[1],
        name=row[2],
        password_hash=row[3],
        created_at=py_time(row[4]),
        country=row[5],
        time_zone=row[6],
        token_version=row[7],
        distance_unit=row[8],
        operator=bool(row[9]),
    )


def _password_conflict() -> Conflict:
    return Conflict(
        "the password was changed by another request meanwhile; sign in again with it",
        field="currentPassword",
    )


def _duplicate(exc: sqlite3.IntegrityError) -> Exception:
    if "users.email" in str(exc):
        return integrity_error(exc, duplicate="email already registered", field="email")
    return integrity_error(exc, duplicate="user already exists", field="user_id")


def _row(user: User) -> tuple[Any, ...]:
    return (
        user.user_id,
        user.email,
        user.name,
        user.password_hash,
        db_time(user.created_at, field="created_at"),
        user.country,
        user.time_zone,
        user.token_version,
        user.distance_unit,
        int(user.operator),
    )
