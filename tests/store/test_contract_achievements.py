"""Contract: achievements.award / list_for_user and actions.put / get / list_for_user."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta

from carbontrack.domain.models import User
from carbontrack.store.base import Store
from tests.store.factories import T0, make_award, make_commitment, make_user

THREADS = 8


def _user(store: Store) -> User:
    user = make_user()
    store.users.add(user)
    return user


def test_award_is_recorded_once_and_keeps_its_first_time(store: Store) -> None:
    user = _user(store)
    first = make_award(user_id=user.user_id, earned_at=T0 + timedelta(microseconds=123456))
    assert store.achievements.award(first) is True
    assert store.achievements.award(replace(first, earned_at=T0 + timedelta(days=1))) is False
    assert store.achievements.list_for_user(user.user_id) == [first]


def test_awards_are_listed_per_user_by_achievement_id(store: Store) -> None:
    ada, bob = _user(store), _user(store)
    for achievement_id in ("streak-7", "entries-10", "first-entry"):
        assert store.achievements.award(
            make_award(user_id=ada.user_id, achievement_id=achievement_id)
        )
    assert store.achievements.award(make_award(user_id=bob.user_id, achievement_id="streak-7"))
    listed = store.achievements.list_for_user(ada.user_id)
    assert [a.achievement_id for a in listed] == ["entries-10", "first-entry", "streak-7"]
    assert {a.user_id for a in listed} == {ada.user_id}
    assert store.achievements.list_for_user("nobody") == []


def test_concurrent_awards_of_one_achievement_record_exactly_one(store: Store) -> None:
    user = _user(store)
    start = threading.Barrier(THREADS, timeout=30)

    def award(n: int) -> bool:
        start.wait()
        return store.achievements.award(
            make_award(user_id=user.user_id, earned_at=T0 + timedelta(seconds=n))
        )

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(pool.map(award, range(THREADS)))
    assert sorted(outcomes) == [False] * (THREADS - 1) + [True]
    [stored] = store.achievements.list_for_user(user.user_id)
    assert stored.earned_at == T0 + timedelta(seconds=outcomes.index(True))


def test_commitment_put_get_and_replace(store: Store) -> None:
    user = _user(store)
    committed = make_commitment(user_id=user.user_id, committed_at=T0 + timedelta(microseconds=7))
    store.actions.put(committed)
    assert store.actions.get(user.user_id, "car-to-rail") == committed
    done = replace(committed, completed_at=T0 + timedelta(days=3))
    store.actions.put(done)
    assert store.actions.get(user.user_id, "car-to-rail") == done
    assert store.actions.list_for_user(user.user_id) == [done]


def test_commitments_are_private_and_listed_by_action_id(store: Store) -> None:
    ada, bob = _user(store), _user(store)
    store.actions.put(make_commitment(user_id=ada.user_id, action_id="thermostat-1c"))
    store.actions.put(make_commitment(user_id=ada.user_id, action_id="car-to-bus"))
    assert [c.action_id for c in store.actions.list_for_user(ada.user_id)] == [
        "car-to-bus",
        "thermostat-1c",
    ]
    assert store.actions.get(bob.user_id, "car-to-bus") is None
    assert store.actions.list_for_user(bob.user_id) == []


def test_deleting_a_user_removes_their_awards_and_commitments(store: Store) -> None:
    ada, bob = _user(store), _user(store)
    for user in (ada, bob):
        store.achievements.award(make_award(user_id=user.user_id))
        store.actions.put(make_commitment(user_id=user.user_id))
    store.users.delete(ada.user_id)
    assert store.achievements.list_for_user(ada.user_id) == []
    assert store.actions.list_for_user(ada.user_id) == []
    assert store.actions.get(ada.user_id, "car-to-rail") is None
    assert len(store.achievements.list_for_user(bob.user_id)) == 1
    assert len(store.actions.list_for_user(bob.user_id)) == 1
