"""Contract: baselines get / put (conditional on version) / put_many, and account deletion."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from carbontrack.domain.baseline_model import UNKNOWN, Baseline, BaselineLine
from carbontrack.domain.errors import AlreadyExists, Conflict, DomainError, NotFound
from carbontrack.store.base import Store
from tests.concurrency import all_at_once
from tests.store.factories import T0, make_user


def make_baseline(user_id: str, **overrides: object) -> Baseline:
    """A baseline with two lines, one answered by a typical value."""
    values: dict[str, object] = {
        "user_id": user_id,
        "questionnaire_version": 1,
        "answers": {"diet": "vegan", "electricity_kwh": UNKNOWN, "household_size": "2"},
        "lines": (
            BaselineLine("food", 1054.85, "vegans: 2.89 kg a day x 365", None, "scarborough-2014"),
            BaselineLine(
                "electricity",
                291.3165,
                "2,700 kWh / 2 people at 0.21579 kg/kWh",
                "ember:grid-intensity:GBR",
                "ember-grid-intensity",
                typical=True,
            ),
        ),
        "created_at": T0,
        "updated_at": T0 + timedelta(microseconds=7),
        "version": 0,
        "notes": ("not counted: purchases", "home energy is shared"),
    }
    values.update(overrides)
    return Baseline(**values)  # type: ignore[arg-type]


def test_a_user_without_a_baseline_gets_none(store: Store) -> None:
    user = make_user()
    store.users.add(user)
    assert store.baselines.get(user.user_id) is None
    assert store.baselines.get("no-such-user") is None


def test_first_put_stores_version_1_and_reads_back_equal(store: Store) -> None:
    user = make_user()
    store.users.add(user)
    stored = store.baselines.put(make_baseline(user.user_id), expected_version=None)
    assert stored.version == 1
    assert store.baselines.get(user.user_id) == stored
    assert stored.co2e_kg_per_year == pytest.approx(1054.85 + 291.3165)


def test_second_first_put_is_already_exists(store: Store) -> None:
    user = make_user()
    store.users.add(user)
    first = store.baselines.put(make_baseline(user.user_id), expected_version=None)
    with pytest.raises(AlreadyExists):
        store.baselines.put(make_baseline(user.user_id, lines=()), expected_version=None)
    assert store.baselines.get(user.user_id) == first


def test_rewrite_needs_the_version_read(store: Store) -> None:
    user = make_user()
    store.users.add(user)
    first = store.baselines.put(make_baseline(user.user_id), expected_version=None)
    second = store.baselines.put(replace(first, answers={"diet": "vegetarian"}), expected_version=1)
    assert second.version == 2
    assert store.baselines.get(user.user_id) == second
    with pytest.raises(Conflict):
        store.baselines.put(replace(first, lines=()), expected_version=1)
    assert store.baselines.get(user.user_id) == second


def test_put_for_an_unknown_user_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound):
        store.baselines.put(make_baseline("no-such-user"), expected_version=None)
    assert store.baselines.get("no-such-user") is None


def test_deleting_the_user_deletes_the_baseline(store: Store) -> None:
    gone, kept = make_user(), make_user()
    for user in (gone, kept):
        store.users.add(user)
        store.baselines.put(make_baseline(user.user_id), expected_version=None)
    store.users.delete(gone.user_id)
    assert store.baselines.get(gone.user_id) is None
    assert store.baselines.get(kept.user_id) is not None


def test_put_many_writes_as_given(store: Store) -> None:
    users = [make_user() for _ in range(3)]
    for user in users:
        store.users.add(user)
    given = [make_baseline(u.user_id, version=n + 4) for n, u in enumerate(users)]
    store.baselines.put_many(given)
    assert [store.baselines.get(u.user_id) for u in users] == given


def test_two_writers_with_the_same_expected_version_one_wins(store: Store) -> None:
    user = make_user()
    store.users.add(user)
    first = store.baselines.put(make_baseline(user.user_id), expected_version=None)
    answers = ({"diet": "vegan"}, {"diet": "high_meat"})

    def write(n: int) -> Baseline | DomainError:
        try:
            return store.baselines.put(replace(first, answers=answers[n]), expected_version=1)
        except Conflict as exc:
            return exc

    results = all_at_once(2, write)
    won = [r for r in results if isinstance(r, Baseline)]
    lost = [r for r in results if isinstance(r, Conflict)]
    assert len(won) == 1
    assert len(lost) == 1
    assert store.baselines.get(user.user_id) == won[0]
    assert won[0].version == 2


def test_two_first_writers_one_wins(store: Store) -> None:
    user = make_user()
    store.users.add(user)

    def write(n: int) -> Baseline | DomainError:
        try:
            return store.baselines.put(
                make_baseline(user.user_id, answers={"n": str(n)}), expected_version=None
            )
        except AlreadyExists as exc:
            return exc

    results = all_at_once(2, write)
    won = [r for r in results if isinstance(r, Baseline)]
    assert len(won) == 1
    assert sum(isinstance(r, AlreadyExists) for r in results) == 1
    assert store.baselines.get(user.user_id) == won[0]
