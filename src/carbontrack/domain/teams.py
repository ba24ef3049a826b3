"""Team rules: roles and what each may do, join codes, limits, and the leaderboard. Pure.

A team member sees the team's aggregates and every member's monthly total next to their
display name, never anyone's entries: everything here works on `MonthTotals`.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from carbontrack.domain import periods
from carbontrack.domain.errors import Conflict, Forbidden, InvalidInput
from carbontrack.domain.models import Membership, MonthTotals, Team

Role = Literal["owner", "admin", "member"]
ROLES: tuple[Role, ...] = ("owner", "admin", "member")
Action = Literal[
    "view",
    "leave",
    "regenerate_code",
    "remove_member",
    "manage_goals",
    "change_role",
    "delete_team",
]
_ADMIN_ACTIONS: frozenset[Action] = frozenset(
    {"view", "leave", "regenerate_code", "remove_member", "manage_goals"}
)
# Transferring ownership is a role change to "owner", so it needs "change_role".
PERMISSIONS: Mapping[str, frozenset[Action]] = {
    "owner": _ADMIN_ACTIONS | {"change_role", "delete_team"},
    "admin": _ADMIN_ACTIONS,
    "member": frozenset({"view", "leave"}),
}

# 31 symbols without 0/O, 1/I/L: a code read aloud or copied from a slide still works.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10  # 31**10 is about 8e14 codes: not guessable within a code's lifetime
CODE_LIFETIME = timedelta(days=7)
INVITE_SEPARATOR = "."  # between team id and code in an invite link (/join/<id>.<code>)
NAME_MAX_CHARS = 80
DISPLAY_NAME_MAX_CHARS = 100
MAX_MEMBERS = 500
MAX_TEAMS_PER_USER = 20
MAX_GOALS_PER_TEAM = 20
TEAM_GOAL_PREFIX = "TEAM#"


NOT_A_MEMBER = "not a member of this team"


def code_replaced() -> Conflict:
    """The error of a new join code that lost to another one made at the same moment."""
    return Conflict(
        "the join code was just replaced by another request; reload the team to see it",
        field="code",
    )


def role_changed() -> Conflict:
    """The error of a role change made on a role that changed since it was read."""
    return Conflict(
        "a member's role changed meanwhile; reload the team and try again", field="role"
    )


def goal_owner_id(team_id: str) -> str:
    """The owner id a team's goals are stored under."""
    return TEAM_GOAL_PREFIX + team_id


def may(role: str, action: Action) -> bool:
    """Whether a member with `role` may do `action`."""
    return action in PERMISSIONS.get(role, frozenset())


def require(membership: Membership, action: Action) -> None:
    """`Forbidden` unless the member's role allows `action`."""
    if not may(membership.role, action):
        raise Forbidden(f"a team {membership.role} may not do this ({action.replace('_', ' ')})")


def may_remove(actor: Membership, target: Membership) -> bool:
    """The owner removes anyone else; an admin removes plain members only."""
    if actor.user_id == target.user_id or target.role == "owner":
        return False
    if actor.role == "owner":
        return True
    return actor.role == "admin" and target.role == "member"


def check_role(role: str) -> Role:
    """A known role, or `InvalidInput`."""
    for known in ROLES:
        if role == known:
            return known
    raise InvalidInput(f"role must be one of {', '.join(ROLES)}", field="role")


def clean_name(name: str, *, field: str = "name", max_chars: int = NAME_MAX_CHARS) -> str:
    """A team or display name, trimmed; `InvalidInput` if empty or too long."""
    cleaned = " ".join(name.split())
    if not 1 <= len(cleaned) <= max_chars:
        raise InvalidInput(f"{field} must be 1-{max_chars} characters", field=field)
    return cleaned


def new_join_code() -> str:
    """A fresh random join code from `CODE_ALPHABET`."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_expiry(now: datetime) -> datetime:
    """When a code issued at `now` stops working."""
    return now + CODE_LIFETIME


def normalise_code(code: str) -> str:
    """The code as typed, without spaces or dashes and in upper case."""
    return "".join(ch for ch in code.upper() if ch not in " -")


def code_matches(team: Team, code: str) -> bool:
    """Whether `code` is the team's current code (expired or not), in constant time."""
    typed = normalise_code(code).encode()
    return hmac.compare_digest(typed, team.join_code.encode())


def code_expired(team: Team, now: datetime) -> bool:
    """Whether the team's join code no longer admits anyone."""
    return now >= team.join_code_expires_at


def invite_token(team_id: str, code: str) -> str:
    """The token of an invite link: the team id and its current code, joined by a dot.

    Team ids are UUIDs and codes are letters and digits, so neither contains the dot.
    """
    return f"{team_id}{INVITE_SEPARATOR}{code}"


def parse_invite(token: str) -> tuple[str, str]:
    """(team id, code) of an invite token; anything malformed gives ids that match no team."""
    team_id, _, code = token.strip().partition(INVITE_SEPARATOR)
    return team_id, code


def successor(members: Sequence[Membership], leaving_user_id: str) -> Membership | None:
    """Who becomes owner when the owner leaves: the longest-serving admin, else member."""
    others = [m for m in members if m.user_id != leaving_user_id]
    others.sort(key=lambda m: (m.role != "admin", m.joined_at, m.user_id))
    return others[0] if others else None


@dataclass(frozen=True, slots=True)
class Standing:
    """One member's line on the leaderboard: a total, never entries."""

    rank: int | None  # None: nothing logged in the month, so not ranked
    display_name: str
    co2e_kg: float
    logged_days: int
    vs_average_percent: float | None  # (own - team average) / team average * 100
    is_you: bool


@dataclass(frozen=True, slots=True)
class Leaderboard:
    """The month's standings, lowest footprint first, and the team's per-member average."""

    month_start: date
    member_count: int
    active_members: int
    co2e_kg: float
    per_member_average_co2e_kg: float
    standings: list[Standing]


def leaderboard(
    members: Sequence[Membership],
    totals: Mapping[str, Sequence[MonthTotals]],
    *,
    month_start: date,
    viewer_id: str,
) -> Leaderboard:
    """Rank members by their own kg CO2e in the month starting `month_start`, lowest first.

    Members who logged nothing that month are listed last and unranked: a zero there means
    "no data", and ranking it first would reward not logging.
    """
    month_end = periods.shift(month_start, "month", 1)
    rows: list[tuple[Membership, float, int]] = []
    for member in members:
        own = totals.get(member.user_id, [])
        kg = periods.total_kg(own, month_start, month_end)
        days = sum(1 for day in periods.logged_days(own) if month_start <= day < month_end)
        rows.append((member, kg, days))
    team_kg = sum(kg for _, kg, _ in rows)
    average = team_kg / len(rows) if rows else 0.0
    active = sorted((r for r in rows if r[2]), key=lambda r: (r[1], r[0].display_name))
    idle = sorted((r for r in rows if not r[2]), key=lambda r: r[0].display_name)
    standings: list[Standing] = []
    rank = 0
    previous: float | None = None
    for position, (member, kg, days) in enumerate(active, start=1):
        rank = rank if previous is not None and kg == previous else position  # ties share
        previous = kg
        standings.append(_standing(member, kg, days, rank, average, viewer_id))
    standings += [_standing(m, kg, days, None, average, viewer_id) for m, kg, days in idle]
    return Leaderboard(
        month_start=month_start,
        member_count=len(rows),
        active_members=len(active),
        co2e_kg=team_kg,
        per_member_average_co2e_kg=average,
        standings=standings,
    )


def _standing(
    member: Membership, kg: float, days: int, rank: int | None, average: float, viewer_id: str
) -> Standing:
    vs = (kg - average) / average * 100 if average > 0 and rank is not None else None
    return Standing(
        rank=rank,
        display_name=member.display_name,
        co2e_kg=kg,
        logged_days=days,
        vs_average_percent=vs,
        is_you=member.user_id == viewer_id,
    )


def team_totals(totals: Mapping[str, Sequence[MonthTotals]]) -> list[MonthTotals]:
    """Every member's month totals as one list; the period sums of `periods` add them up."""
    return [month for own in totals.values() for month in own]
