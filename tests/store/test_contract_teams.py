"""Contract: teams create / get / update / delete and memberships, on every backend."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from carbontrack.domain.errors import AlreadyExists, Conflict, NotFound
from carbontrack.domain.models import Membership, Team
from carbontrack.domain.teams import goal_owner_id
from carbontrack.store.base import Store
from tests.store.factories import T0, make_goal, make_membership, make_team, make_user


def _team_with_owner(store: Store, **overrides: object) -> tuple[Team, Membership]:
    owner_user = make_user()
    store.users.add(owner_user)
    team = make_team(**overrides)
    owner = make_membership(team_id=team.team_id, user_id=owner_user.user_id, role="owner")
    store.teams.create(team, owner)
    return team, owner


def _join(store: Store, team: Team, **overrides: object) -> Membership:
    user = make_user()
    store.users.add(user)
    member = make_membership(team_id=team.team_id, user_id=user.user_id, **overrides)
    store.teams.add_member(member)
    return member


def test_create_then_read_back_team_and_owner(store: Store) -> None:
    team, owner = _team_with_owner(
        store, join_code_expires_at=T0 + timedelta(days=7, microseconds=123)
    )
    assert store.teams.get(team.team_id) == team
    assert store.teams.membership(team.team_id, owner.user_id) == owner
    assert store.teams.members(team.team_id) == [owner]
    assert store.teams.teams_of(owner.user_id) == [owner]


def test_unknown_team_and_membership_are_none(store: Store) -> None:
    team, _ = _team_with_owner(store)
    assert store.teams.get("no-such-team") is None
    assert store.teams.membership(team.team_id, "nobody") is None
    assert store.teams.membership("no-such-team", "nobody") is None
    assert store.teams.members("no-such-team") == []
    assert store.teams.teams_of("nobody") == []


def test_create_with_a_taken_team_id_changes_nothing(store: Store) -> None:
    team, owner = _team_with_owner(store)
    intruder = make_user()
    store.users.add(intruder)
    clash = make_membership(team_id=team.team_id, user_id=intruder.user_id, role="owner")
    with pytest.raises(AlreadyExists):
        store.teams.create(replace(team, name="Hijack"), clash)
    assert store.teams.get(team.team_id) == team
    assert store.teams.members(team.team_id) == [owner]
    assert store.teams.teams_of(intruder.user_id) == []


def test_set_join_code_replaces_the_code_it_was_told_it_replaces(store: Store) -> None:
    team, _ = _team_with_owner(store)
    expires = T0 + timedelta(days=30)
    store.teams.set_join_code(
        team.team_id, join_code="ZZZZZZZZZZ", expires_at=expires, replacing=team.join_code
    )
    fresh = replace(team, join_code="ZZZZZZZZZZ", join_code_expires_at=expires)
    assert store.teams.get(team.team_id) == fresh
    with pytest.raises(Conflict):  # a second new code made from the same read
        store.teams.set_join_code(
            team.team_id, join_code="YYYYYYYYYY", expires_at=expires, replacing=team.join_code
        )
    assert store.teams.get(team.team_id) == fresh


def test_set_join_code_of_an_unknown_team_is_not_found(store: Store) -> None:
    team = make_team()
    with pytest.raises(NotFound):
        store.teams.set_join_code(
            team.team_id, join_code="ZZZZZZZZZZ", expires_at=T0, replacing=team.join_code
        )
    assert store.teams.get(team.team_id) is None


def test_members_come_in_order_of_joining(store: Store) -> None:
    team, owner = _team_with_owner(store)
    late = _join(store, team, joined_at=T0 + timedelta(hours=2))
    early = _join(store, team, joined_at=T0 + timedelta(hours=1), role="admin")
    assert store.teams.members(team.team_id) == [owner, early, late]
    assert store.teams.membership(team.team_id, early.user_id) == early


def test_adding_a_member_twice_is_already_exists(store: Store) -> None:
    team, _ = _team_with_owner(store)
    member = _join(store, team)
    with pytest.raises(AlreadyExists):
        store.teams.add_member(replace(member, role="admin", display_name="Again"))
    assert store.teams.membership(team.team_id, member.user_id) == member


def test_adding_a_member_to_a_missing_team_is_not_found(store: Store) -> None:
    user = make_user()
    store.users.add(user)
    with pytest.raises(NotFound):
        store.teams.add_member(make_membership(team_id="no-such-team", user_id=user.user_id))
    assert store.teams.teams_of(user.user_id) == []


def test_set_roles_changes_only_roles_all_together(store: Store) -> None:
    team, owner = _team_with_owner(store)
    member = _join(store, team)
    store.teams.set_roles(
        team.team_id, {member.user_id: ("member", "owner"), owner.user_id: ("owner", "admin")}
    )
    assert store.teams.membership(team.team_id, member.user_id) == replace(member, role="owner")
    assert store.teams.membership(team.team_id, owner.user_id) == replace(owner, role="admin")


def test_set_roles_from_a_stale_read_is_a_conflict_and_changes_none(store: Store) -> None:
    team, owner = _team_with_owner(store)
    first, second = _join(store, team), _join(store, team)
    store.teams.set_roles(
        team.team_id, {first.user_id: ("member", "owner"), owner.user_id: ("owner", "admin")}
    )
    with pytest.raises(Conflict):  # a second hand-over, decided on the same read
        store.teams.set_roles(
            team.team_id, {second.user_id: ("member", "owner"), owner.user_id: ("owner", "admin")}
        )
    assert store.teams.membership(team.team_id, second.user_id) == second
    roles = {m.user_id: m.role for m in store.teams.members(team.team_id)}
    assert sorted(roles.values()) == ["admin", "member", "owner"]


def test_set_role_of_a_non_member_is_not_found(store: Store) -> None:
    team, _ = _team_with_owner(store)
    with pytest.raises(NotFound):
        store.teams.set_roles(team.team_id, {"nobody": ("member", "admin")})
    assert store.teams.membership(team.team_id, "nobody") is None


def test_remove_member_then_again_is_not_found(store: Store) -> None:
    team, owner = _team_with_owner(store)
    member = _join(store, team)
    store.teams.remove_member(team.team_id, member.user_id)
    assert store.teams.members(team.team_id) == [owner]
    assert store.teams.teams_of(member.user_id) == []
    with pytest.raises(NotFound):
        store.teams.remove_member(team.team_id, member.user_id)


def test_teams_of_lists_only_the_users_memberships_by_team_id(store: Store) -> None:
    first, owner = _team_with_owner(store, team_id="team-b")
    second, _ = _team_with_owner(store, team_id="team-a")
    other, _ = _team_with_owner(store, team_id="team-c")
    joined = make_membership(team_id=second.team_id, user_id=owner.user_id, role="admin")
    store.teams.add_member(joined)
    assert store.teams.teams_of(owner.user_id) == [joined, owner]
    assert all(m.team_id != other.team_id for m in store.teams.teams_of(owner.user_id))
    assert first.team_id == "team-b"


def test_delete_removes_team_and_members_only(store: Store) -> None:
    team, owner = _team_with_owner(store)
    member = _join(store, team, joined_at=T0 + timedelta(hours=1))
    kept, kept_owner = _team_with_owner(store)
    store.teams.add_member(replace(member, team_id=kept.team_id))
    store.teams.delete(team.team_id)
    assert store.teams.get(team.team_id) is None
    assert store.teams.members(team.team_id) == []
    assert store.teams.teams_of(owner.user_id) == []
    assert store.teams.teams_of(member.user_id) == [replace(member, team_id=kept.team_id)]
    assert store.teams.members(kept.team_id) == [kept_owner, replace(member, team_id=kept.team_id)]
    with pytest.raises(NotFound):
        store.teams.delete(team.team_id)


def test_delete_removes_the_teams_goals_only(store: Store) -> None:
    team, owner = _team_with_owner(store)
    kept, _ = _team_with_owner(store)
    for _ in range(3):
        store.goals.add(make_goal(owner_id=goal_owner_id(team.team_id), team_scope="total"))
    kept_goal = make_goal(owner_id=goal_owner_id(kept.team_id), team_scope="per_member")
    own_goal = make_goal(owner_id=owner.user_id)
    store.goals.add(kept_goal)
    store.goals.add(own_goal)
    store.teams.delete(team.team_id)
    assert store.goals.list_for_owner(goal_owner_id(team.team_id)) == []
    assert store.goals.list_for_owner(goal_owner_id(kept.team_id)) == [kept_goal]
    assert store.goals.list_for_owner(owner.user_id) == [own_goal]


def test_deleting_a_user_removes_their_memberships(store: Store) -> None:
    team, owner = _team_with_owner(store)
    member = _join(store, team)
    store.users.delete(member.user_id)
    assert store.teams.members(team.team_id) == [owner]
    assert store.teams.teams_of(member.user_id) == []
    assert store.teams.membership(team.team_id, member.user_id) is None
