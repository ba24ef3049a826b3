"""Contract: rollups.tally (what awarding reads after an entry write) and restore writers."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from carbontrack.domain.errors import NotFound
from carbontrack.domain.models import User
from carbontrack.store.base import Store
from carbontrack.store.sqlite import SqliteStore
from tests.store.factories import (
    T0,
    make_award,
    make_commitment,
    make_entry,
    make_goal,
    make_membership,
    make_team,
    make_user,
)


def _user(store: Store) -> User:
    user = make_user()
    store.users.add(user)
    return user


def test_tally_reads_count_months_and_award_ids_together(store: Store) -> None:
    ada, bob = _user(store), _user(store)
    store.entries.add(make_entry(user_id=ada.user_id, co2e_kg=2.0))
    store.entries.add(make_entry(user_id=ada.user_id, co2e_kg=3.0))
    store.entries.add(make_entry(user_id=bob.user_id, co2e_kg=7.0))
    store.achievements.award(make_award(user_id=ada.user_id, achievement_id="first-entry"))
    store.achievements.award(make_award(user_id=bob.user_id, achievement_id="entries-10"))
    month = make_entry().day.isoformat()[:7]

    tally = store.rollups.tally(ada.user_id, [month, "1999-01"])

    assert tally.entry_count == 2
    assert [m.month for m in tally.months] == [month, "1999-01"]
    assert tally.months == store.rollups.month_totals(ada.user_id, [month, "1999-01"])
    assert sum(sum(day.values()) for day in tally.months[0].co2e_kg_by_day.values()) == 5.0
    assert tally.awarded == frozenset({"first-entry"})


def test_tally_of_a_new_user_is_empty(store: Store) -> None:
    user = _user(store)
    tally = store.rollups.tally(user.user_id, [])
    assert (tally.entry_count, tally.months, tally.awarded) == (0, [], frozenset())


def test_an_award_refused_as_held_leaves_the_tally_knowing_it(store: Store) -> None:
    user = _user(store)
    award = make_award(user_id=user.user_id, achievement_id="streak-7")
    store.achievements.put_many([award])  # a restore: the tally is rebuilt after it
    store.rollups.rebuild(user.user_id)
    assert store.rollups.tally(user.user_id, []).awarded == {"streak-7"}
    assert store.achievements.award(replace(award, earned_at=T0 + timedelta(days=1))) is False
    assert store.rollups.tally(user.user_id, []).awarded == {"streak-7"}


def test_restore_writers_replace_by_key_and_are_safe_to_repeat(store: Store) -> None:
    ada, bob = _user(store), _user(store)
    team = make_team()
    owner = make_membership(team_id=team.team_id, user_id=ada.user_id, role="owner")
    member = make_membership(team_id=team.team_id, user_id=bob.user_id, role="member")
    goal = make_goal(owner_id=ada.user_id)
    award = make_award(user_id=ada.user_id)
    commitment = make_commitment(user_id=ada.user_id)
    for _ in range(2):
        store.teams.put_many([team])
        store.teams.put_members([owner, member])
        store.goals.put_many([goal])
        store.achievements.put_many([award])
        store.actions.put_many([commitment])

    renamed = replace(team, name="Renamed")
    store.teams.put_many([renamed])  # replacing a team keeps its members
    store.goals.put_many([replace(goal, target_co2e_kg=99.0)])

    assert store.teams.get(team.team_id) == renamed
    assert store.teams.members(team.team_id) == sorted(
        [owner, member], key=lambda m: (m.joined_at, m.user_id)
    )
    assert store.goals.list_for_owner(ada.user_id) == [replace(goal, target_co2e_kg=99.0)]
    assert store.achievements.list_for_user(ada.user_id) == [award]
    assert store.actions.list_for_user(ada.user_id) == [commitment]


def test_sqlite_refuses_a_membership_of_a_missing_team(tmp_path: Path) -> None:
    """SQLite checks foreign keys; DynamoDB has none, so a restore writes teams first."""
    store = SqliteStore(tmp_path / "carbontrack.sqlite3")
    try:
        user = _user(store)
        with pytest.raises(NotFound):
            store.teams.put_members([make_membership(team_id="absent", user_id=user.user_id)])
        assert store.teams.teams_of(user.user_id) == []
    finally:
        store.close()


def test_month_totals_many_gives_each_users_month_totals(store: Store) -> None:
    users = [_user(store) for _ in range(3)]
    for n, user in enumerate(users):
        for _ in range(n + 1):
            store.entries.add(make_entry(user_id=user.user_id, co2e_kg=1.5 + n))
    month = make_entry().day.isoformat()[:7]
    ids = [u.user_id for u in users] + ["nobody"]
    many = store.rollups.month_totals_many(ids, [month, "1999-12"])
    assert list(many) == ids
    for user_id in ids:
        assert many[user_id] == store.rollups.month_totals(user_id, [month, "1999-12"])
    assert sum(many[users[2].user_id][0].entries_by_day.values()) == 3
    assert store.rollups.month_totals_many([], [month]) == {}
