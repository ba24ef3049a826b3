"""Team use cases: create, join by code, members and roles, leave, delete.

Every function takes the signed-in user and answers `NotFound` for a team they are not in,
exactly as for a team that does not exist, so a team id reveals nothing to outsiders.
Dashboards, leaderboards and team goals are in `services.team_stats`.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from carbontrack.domain import teams
from carbontrack.domain.errors import AlreadyExists, Conflict, Forbidden, InvalidInput, NotFound
from carbontrack.domain.models import Membership, Team, User
from carbontrack.store.base import Store

_NO_TEAM = "team not found"
HAND_OVER_ATTEMPTS = 3  # reads of members whose roles keep changing
MAX_TEAM_ID_CHARS = 64  # ours are 36-character UUIDs; longer ones are not looked up


@dataclass(frozen=True, slots=True)
class TeamView:
    """A team as one of its members sees it; the join code only for those who invite."""

    team_id: str
    name: str
    role: str
    joined_at: datetime
    join_code: str | None
    join_code_expires_at: datetime | None


def view(team: Team, membership: Membership) -> TeamView:
    """The team as `membership` may see it: owners and admins see the join code."""
    inviting = teams.may(membership.role, "regenerate_code")
    return TeamView(
        team_id=team.team_id,
        name=team.name,
        role=membership.role,
        joined_at=membership.joined_at,
        join_code=team.join_code if inviting else None,
        join_code_expires_at=team.join_code_expires_at if inviting else None,
    )


def member_of(*, store: Store, user: User, team_id: str) -> tuple[Team, Membership]:
    """The team and the user's membership; `NotFound` if either is missing."""
    membership = store.teams.membership(team_id, user.user_id)
    team = store.teams.get(team_id) if membership is not None else None
    if membership is None or team is None:
        raise NotFound(_NO_TEAM, field="teamId")
    return team, membership


def create_team(
    *, store: Store, user: User, name: str, display_name: str | None = None
) -> TeamView:
    """Create a team with the user as its owner and a fresh join code."""
    _check_room_for_another_team(store=store, user=user)
    now = datetime.now(UTC)
    team = Team(
        team_id=str(uuid.uuid4()),
        name=teams.clean_name(name),
        created_at=now,
        join_code=teams.new_join_code(),
        join_code_expires_at=teams.code_expiry(now),
    )
    owner = Membership(
        team_id=team.team_id,
        user_id=user.user_id,
        role="owner",
        joined_at=now,
        display_name=_display_name(user, display_name),
    )
    store.teams.create(team, owner)
    return view(team, owner)


def my_teams(*, store: Store, user: User) -> list[TeamView]:
    """The user's teams by name (one read per team: at most `MAX_TEAMS_PER_USER`)."""
    found: list[TeamView] = []
    for membership in store.teams.teams_of(user.user_id):
        team = store.teams.get(membership.team_id)
        if team is not None:  # a team deleted moments ago may still list its members
            found.append(view(team, membership))
    return sorted(found, key=lambda t: (t.name.casefold(), t.team_id))


def get_team(*, store: Store, user: User, team_id: str) -> TeamView:
    """One of the user's teams."""
    return view(*member_of(store=store, user=user, team_id=team_id))


def join_team(
    *, store: Store, user: User, team_id: str, code: str, display_name: str | None = None
) -> Membership:
    """Join with the team's current code.

    A wrong code and an unknown team give the same `NotFound`, so codes cannot be tried
    against known team ids to learn anything; a right but expired code says so (422).
    """
    team = store.teams.get(team_id)
    if team is None or not teams.code_matches(team, code):
        raise NotFound("no team with this id and join code", field="code")
    if teams.code_expired(team, datetime.now(UTC)):
        raise InvalidInput(
            "this join code has expired; ask a team admin for a new one", field="code"
        )
    if store.teams.membership(team_id, user.user_id) is not None:
        raise AlreadyExists("you are already a member of this team", field="teamId")
    if len(store.teams.members(team_id)) >= teams.MAX_MEMBERS:
        raise InvalidInput(f"a team has at most {teams.MAX_MEMBERS} members", field="teamId")
    _check_room_for_another_team(store=store, user=user)
    membership = Membership(
        team_id=team_id,
        user_id=user.user_id,
        role="member",
        joined_at=datetime.now(UTC),
        display_name=_display_name(user, display_name),
    )
    store.teams.add_member(membership)
    return membership


@dataclass(frozen=True, slots=True)
class Invite:
    """What an invite link shows before joining: the team's name, and whether it still admits."""

    team_id: str
    code: str
    team_name: str
    expired: bool
    already_member: bool


def open_invite(*, store: Store, user: User, token: str) -> Invite:
    """The team an invite token names; `NotFound` for a wrong or replaced code, as for no team."""
    team_id, code = teams.parse_invite(token)
    team = store.teams.get(team_id) if 0 < len(team_id) <= MAX_TEAM_ID_CHARS else None
    if team is None or not teams.code_matches(team, code):
        raise NotFound("no team with this id and join code", field="code")
    return Invite(
        team_id=team_id,
        code=teams.normalise_code(code),
        team_name=team.name,
        expired=teams.code_expired(team, datetime.now(UTC)),
        already_member=store.teams.membership(team_id, user.user_id) is not None,
    )


def regenerate_code(*, store: Store, user: User, team_id: str) -> TeamView:
    """Replace the join code (the old one stops working at once); owners and admins."""
    team, membership = member_of(store=store, user=user, team_id=team_id)
    teams.require(membership, "regenerate_code")
    now = datetime.now(UTC)
    fresh = replace(
        team, join_code=teams.new_join_code(), join_code_expires_at=teams.code_expiry(now)
    )
    store.teams.set_join_code(
        team_id,
        join_code=fresh.join_code,
        expires_at=fresh.join_code_expires_at,
        replacing=team.join_code,
    )
    return view(fresh, membership)


def list_members(*, store: Store, user: User, team_id: str) -> list[Membership]:
    """The team's members in order of joining."""
    member_of(store=store, user=user, team_id=team_id)
    return store.teams.members(team_id)


def change_role(*, store: Store, user: User, team_id: str, member_id: str, role: str) -> Membership:
    """Set a member's role (owner only). Giving the owner role hands the team over.

    The old owner becomes an admin in the same atomic write. Each role is written only if
    it is still the one read (`Conflict` otherwise), so two hand-overs cannot both happen.
    """
    _, actor = member_of(store=store, user=user, team_id=team_id)
    teams.require(actor, "change_role")
    new_role = teams.check_role(role)
    if member_id == user.user_id:
        raise InvalidInput(
            "you cannot change your own role; to hand the team over, make another member owner",
            field="role",
        )
    target = store.teams.membership(team_id, member_id)
    if target is None:
        raise NotFound("member not found", field="userId")
    if target.role == new_role:
        return target
    roles = {member_id: (target.role, new_role)}
    if new_role == "owner":
        roles[user.user_id] = (actor.role, "admin")
    store.teams.set_roles(team_id, roles)
    return replace(target, role=new_role)


def remove_member(*, store: Store, user: User, team_id: str, member_id: str) -> None:
    """Remove a member, or leave when `member_id` is the user's own id."""
    _, actor = member_of(store=store, user=user, team_id=team_id)
    if member_id == user.user_id:
        _leave(store=store, membership=actor)
        return
    teams.require(actor, "remove_member")
    target = store.teams.membership(team_id, member_id)
    if target is None:
        raise NotFound("member not found", field="userId")
    if not teams.may_remove(actor, target):
        raise Forbidden(f"a team {actor.role} may not remove a team {target.role}")
    store.teams.remove_member(team_id, member_id)


def delete_team(*, store: Store, user: User, team_id: str) -> None:
    """Delete the team, its memberships and its goals (owner only)."""
    _, membership = member_of(store=store, user=user, team_id=team_id)
    teams.require(membership, "delete_team")
    store.teams.delete(team_id)


def hand_over_teams(*, store: Store, user: User) -> None:
    """Before an account goes: pass each team it owns on, or delete the team if alone.

    The successor is the longest-serving admin, else the longest-serving member; the
    user's memberships themselves go with the account (`users.delete`).
    """
    for membership in store.teams.teams_of(user.user_id):
        if membership.role == "owner":
            _hand_over(store=store, team_id=membership.team_id, owner_id=user.user_id)


def _hand_over(*, store: Store, team_id: str, owner_id: str) -> None:
    """Make the successor owner (read again if a role changed meanwhile), or delete the team."""
    for _ in range(HAND_OVER_ATTEMPTS):
        heir = teams.successor(store.teams.members(team_id), owner_id)
        if heir is None:
            with contextlib.suppress(NotFound):  # deleted meanwhile: nothing to hand over
                store.teams.delete(team_id)
            return
        try:
            store.teams.set_roles(team_id, {heir.user_id: (heir.role, "owner")})
            return
        except (Conflict, NotFound):
            continue  # the heir left or changed role meanwhile: choose again
    # Never leave a team without an owner: the account stays, and the caller may try again.
    raise Conflict("the team's members kept changing while it was handed over; try again")


def _leave(*, store: Store, membership: Membership) -> None:
    """Leave a team; the owner may only leave last, and the team goes with them."""
    if membership.role != "owner":
        store.teams.remove_member(membership.team_id, membership.user_id)
        return
    if teams.successor(store.teams.members(membership.team_id), membership.user_id):
        raise InvalidInput(
            "the owner cannot leave while others are in the team: make another member "
            "owner first, or delete the team",
            field="userId",
        )
    store.teams.delete(membership.team_id)


def _check_room_for_another_team(*, store: Store, user: User) -> None:
    if len(store.teams.teams_of(user.user_id)) >= teams.MAX_TEAMS_PER_USER:
        raise InvalidInput(
            f"you can be in at most {teams.MAX_TEAMS_PER_USER} teams; leave one first",
            field="teamId",
        )


def _display_name(user: User, chosen: str | None) -> str:
    """The name shown to other members: the one chosen, else the account name."""
    return teams.clean_name(
        chosen if chosen is not None else user.name,
        field="displayName",
        max_chars=teams.DISPLAY_NAME_MAX_CHARS,
    )
