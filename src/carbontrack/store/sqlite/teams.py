"""Teams in SQLite: `teams` (key `team_id`) and `team_members` (key `team_id, user_id`).

Memberships go with their team and with their user (ON DELETE CASCADE); the index on
`user_id` lists a user's teams, as the DynamoDB GSI `userId-index` does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from carbontrack.domain.errors import AlreadyExists, NotFound
from carbontrack.domain.models import Membership, Team
from carbontrack.domain.teams import NOT_A_MEMBER, code_replaced, goal_owner_id, role_changed
from carbontrack.store.sqlite.codec import db_time, integrity_error, py_time
from carbontrack.store.sqlite.connection import Database

_TEAM_COLUMNS = "team_id, name, created_at, join_code, join_code_expires_at"
_MEMBER_COLUMNS = "team_id, user_id, role, joined_at, display_name"
_INSERT_TEAM = f"INSERT INTO teams ({_TEAM_COLUMNS}) VALUES (?, ?, ?, ?, ?)"  # noqa: S608
_INSERT_MEMBER = f"INSERT INTO team_members ({_MEMBER_COLUMNS}) VALUES (?, ?, ?, ?, ?)"  # noqa: S608
_GET_TEAM = f"SELECT {_TEAM_COLUMNS} FROM teams WHERE team_id = ?"  # noqa: S608
# Only if the code is still the one read: of two new codes made at once, one is refused.
_SET_CODE = """
    UPDATE teams SET join_code = ?, join_code_expires_at = ? WHERE team_id = ? AND join_code = ?
"""
_MEMBERS = f"SELECT {_MEMBER_COLUMNS} FROM team_members"  # noqa: S608
_MEMBERSHIP = _MEMBERS + " WHERE team_id = ? AND user_id = ?"
# In order of joining, so the longest-serving members come first.
_TEAM_MEMBERS = _MEMBERS + " WHERE team_id = ? ORDER BY joined_at, user_id"
_TEAMS_OF = _MEMBERS + " WHERE user_id = ? ORDER BY team_id"
# Only the role, and only if it is still the one read; joined_at (seniority) never changes.
_SET_ROLE = "UPDATE team_members SET role = ? WHERE team_id = ? AND user_id = ? AND role = ?"
_REMOVE_MEMBER = "DELETE FROM team_members WHERE team_id = ? AND user_id = ?"
# Upserts, never INSERT OR REPLACE: replacing a team row would cascade to its members.
_PUT_TEAM = (
    _INSERT_TEAM
    + """
    ON CONFLICT (team_id) DO UPDATE SET name = excluded.name, created_at = excluded.created_at,
        join_code = excluded.join_code, join_code_expires_at = excluded.join_code_expires_at
"""
)
_PUT_MEMBER = (
    _INSERT_MEMBER
    + """
    ON CONFLICT (team_id, user_id) DO UPDATE SET role = excluded.role,
        joined_at = excluded.joined_at, display_name = excluded.display_name
"""
)


class SqliteTeams:
    """`TeamRepository` over the `teams` and `team_members` tables."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, team: Team, owner: Membership) -> None:
        """Insert the team and its owner's membership in one transaction."""
        try:
            with self._db.write() as conn:
                conn.execute(_INSERT_TEAM, _team_row(team))
                conn.execute(_INSERT_MEMBER, _member_row(owner))
        except sqlite3.IntegrityError as exc:
            raise integrity_error(exc, duplicate="team already exists", field="team_id") from None

    def get(self, team_id: str) -> Team | None:
        """The team with this id, or None."""
        row = self._db.connection().execute(_GET_TEAM, (team_id,)).fetchone()
        return None if row is None else _team(row)

    def set_join_code(
        self, team_id: str, *, join_code: str, expires_at: datetime, replacing: str
    ) -> None:
        """Replace the join code if it is still `replacing`; `Conflict`, `NotFound`."""
        expires = db_time(expires_at, field="expires_at")
        with self._db.write() as conn:
            if conn.execute(_SET_CODE, (join_code, expires, team_id, replacing)).rowcount:
                return
            exists = conn.execute(_GET_TEAM, (team_id,)).fetchone() is not None
        if exists:
            raise code_replaced()
        raise NotFound("team not found", field="team_id")

    def delete(self, team_id: str) -> None:
        """Remove the team and its goals; its memberships go with it (ON DELETE CASCADE)."""
        with self._db.write() as conn:
            deleted = conn.execute("DELETE FROM teams WHERE team_id = ?", (team_id,)).rowcount
            # Goals have no foreign key (their owner is a user or a team), so go by hand.
            conn.execute("DELETE FROM goals WHERE owner_id = ?", (goal_owner_id(team_id),))
        if deleted == 0:
            raise NotFound("team not found", field="team_id")

    def membership(self, team_id: str, user_id: str) -> Membership | None:
        """The user's membership of the team, or None."""
        row = self._db.connection().execute(_MEMBERSHIP, (team_id, user_id)).fetchone()
        return None if row is None else _member(row)

    def members(self, team_id: str) -> list[Membership]:
        """The team's members in order of joining."""
        rows = self._db.connection().execute(_TEAM_MEMBERS, (team_id,)).fetchall()
        return [_member(row) for row in rows]

    def teams_of(self, user_id: str) -> list[Membership]:
        """The user's memberships, by team id."""
        rows = self._db.connection().execute(_TEAMS_OF, (user_id,)).fetchall()
        return [_member(row) for row in rows]

    def add_member(self, membership: Membership) -> None:
        """Add a member; `AlreadyExists` if a member already, `NotFound` if no such team."""
        try:
            with self._db.write() as conn:
                conn.execute(_INSERT_MEMBER, _member_row(membership))
        except sqlite3.IntegrityError as exc:
            error = integrity_error(exc, duplicate="already a member", field="user_id")
            if isinstance(error, AlreadyExists):
                raise error from None
            raise NotFound("team not found", field="team_id") from None

    def set_roles(self, team_id: str, roles: Mapping[str, tuple[str, str]]) -> None:
        """Set each role if still the one read, in one transaction; `Conflict`, `NotFound`."""
        with self._db.write() as conn:
            for user_id, (read, role) in roles.items():
                if not conn.execute(_SET_ROLE, (role, team_id, user_id, read)).rowcount:
                    member = conn.execute(_MEMBERSHIP, (team_id, user_id)).fetchone()
                    raise role_changed() if member else NotFound(NOT_A_MEMBER, field="user_id")

    def remove_member(self, team_id: str, user_id: str) -> None:
        """`NotFound` if the user is not a member."""
        with self._db.write() as conn:
            removed = conn.execute(_REMOVE_MEMBER, (team_id, user_id)).rowcount
        if removed == 0:
            raise NotFound("not a member of this team", field="user_id")

    def put_many(self, teams: Sequence[Team]) -> None:
        """Write teams as given, replacing same ids, in one transaction (restore)."""
        with self._db.write() as conn:
            conn.executemany(_PUT_TEAM, [_team_row(team) for team in teams])

    def put_members(self, memberships: Sequence[Membership]) -> None:
        """Write memberships as given, replacing same keys, in one transaction (restore).

        `NotFound` if a team or user is missing (the foreign keys): restore those first.
        """
        try:
            with self._db.write() as conn:
                conn.executemany(_PUT_MEMBER, [_member_row(m) for m in memberships])
        except sqlite3.IntegrityError:
            raise NotFound("a membership names a team or user that is not there") from None


def _team_row(team: Team) -> tuple[Any, ...]:
    return (
        team.team_id,
        team.name,
        db_time(team.created_at, field="created_at"),
        team.join_code,
        db_time(team.join_code_expires_at, field="join_code_expires_at"),
    )


def _team(row: Any) -> Team:
    return Team(
        team_id=row[0],
        name=row[1],
        created_at=py_time(row[2]),
        join_code=row[3],
        join_code_expires_at=py_time(row[4]),
    )


def _member_row(membership: Membership) -> tuple[Any, ...]:
    return (
        membership.team_id,
        membership.user_id,
        membership.role,
        db_time(membership.joined_at, field="joined_at"),
        membership.display_name,
    )


def _member(row: Any) -> Membership:
    return Membership(
        team_id=row[0],
        user_id=row[1],
        role=row[2],
        joined_at=py_time(row[3]),
        display_name=row[4],
    )
