"""Contract: goals add / get / list_for_owner / update / delete, and account deletion."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from carbontrack.domain.errors import AlreadyExists, Conflict, NotFound
from carbontrack.store.base import Store
from tests.store.factories import T0, make_goal, make_user


def test_add_then_get_returns_equal_goal(store: Store) -> None:
    budget = make_goal(category="transport", start_date=date(2026, 3, 17))
    reduction = make_goal(
        kind="reduction",
        period="week",
        target_co2e_kg=None,
        target_reduction_percent=12.5,
        baseline_co2e_kg=41.123456789,
        achieved_at=T0 + timedelta(days=40, microseconds=7),
    )
    team = make_goal(owner_id="TEAM#team-1", team_scope="per_member", period="year")
    for goal in (budget, reduction, team):
        store.goals.add(goal)
    assert store.goals.get(budget.owner_id, budget.goal_id) == budget
    assert store.goals.get(reduction.owner_id, reduction.goal_id) == reduction
    assert store.goals.get("TEAM#team-1", team.goal_id) == team


def test_get_is_per_owner(store: Store) -> None:
    goal = make_goal(owner_id="user-a")
    store.goals.add(goal)
    assert store.goals.get("user-b", goal.goal_id) is None
    assert store.goals.get("user-a", "no-such-goal") is None


def test_duplicate_id_of_one_owner_is_already_exists(store: Store) -> None:
    first = make_goal(goal_id="g-1", owner_id="user-a")
    store.goals.add(first)
    with pytest.raises(AlreadyExists):
        store.goals.add(replace(first, target_co2e_kg=1.0))
    assert store.goals.get("user-a", "g-1") == first
    other_owner = replace(first, owner_id="user-b")
    store.goals.add(other_owner)  # ids are unique per owner only
    assert store.goals.get("user-b", "g-1") == other_owner


def test_list_for_owner_is_that_owners_goals_in_id_order(store: Store) -> None:
    mine = [make_goal(goal_id=goal_id, owner_id="user-a") for goal_id in ("g-3", "g-1", "g-2")]
    for goal in [*mine, make_goal(goal_id="g-0", owner_id="user-b")]:
        store.goals.add(goal)
    assert [g.goal_id for g in store.goals.list_for_owner("user-a")] == ["g-1", "g-2", "g-3"]
    assert store.goals.list_for_owner("user-a") == sorted(mine, key=lambda g: g.goal_id)
    assert store.goals.list_for_owner("nobody") == []


def test_update_writes_the_changes_and_bumps_the_version(store: Store) -> None:
    goal = make_goal(owner_id="user-a")
    store.goals.add(goal)
    changed = replace(goal, target_co2e_kg=150.25, achieved_at=T0 + timedelta(days=31))
    written = store.goals.update(goal, changed)
    assert written == replace(changed, version=1)
    assert store.goals.get("user-a", goal.goal_id) == written
    cleared = store.goals.update(written, replace(written, achieved_at=None))
    assert cleared == replace(changed, achieved_at=None, version=2)
    assert store.goals.get("user-a", goal.goal_id) == cleared


def test_update_from_a_stale_read_is_a_conflict_and_changes_nothing(store: Store) -> None:
    goal = make_goal(owner_id="user-a", target_co2e_kg=100.0)
    store.goals.add(goal)
    met = store.goals.update(goal, replace(goal, achieved_at=T0))
    with pytest.raises(Conflict):
        store.goals.update(goal, replace(goal, target_co2e_kg=1.0))
    assert store.goals.get("user-a", goal.goal_id) == met


def test_update_of_absent_goal_is_not_found_and_creates_nothing(store: Store) -> None:
    goal = make_goal(owner_id="user-a")
    with pytest.raises(NotFound):
        store.goals.update(goal, replace(goal, target_co2e_kg=1.0))
    store.goals.add(goal)
    elsewhere = replace(goal, owner_id="user-b")
    with pytest.raises(NotFound):
        store.goals.update(elsewhere, replace(elsewhere, target_co2e_kg=1.0))
    assert store.goals.list_for_owner("user-b") == []


def test_delete_removes_one_goal(store: Store) -> None:
    keep, drop = make_goal(owner_id="user-a"), make_goal(owner_id="user-a")
    store.goals.add(keep)
    store.goals.add(drop)
    store.goals.delete("user-a", drop.goal_id)
    assert store.goals.list_for_owner("user-a") == [keep]
    with pytest.raises(NotFound):
        store.goals.delete("user-a", drop.goal_id)
    with pytest.raises(NotFound):
        store.goals.delete("user-b", keep.goal_id)
    assert store.goals.get("user-a", keep.goal_id) == keep


def test_deleting_a_user_deletes_their_goals_only(store: Store) -> None:
    leaving, staying = make_user(), make_user()
    store.users.add(leaving)
    store.users.add(staying)
    for owner in (leaving.user_id, leaving.user_id, staying.user_id, "TEAM#team-1"):
        store.goals.add(make_goal(owner_id=owner))
    store.users.delete(leaving.user_id)
    assert store.goals.list_for_owner(leaving.user_id) == []
    assert len(store.goals.list_for_owner(staying.user_id)) == 1
    assert len(store.goals.list_for_owner("TEAM#team-1")) == 1
