"""Concurrent awards against a moto server that, like DynamoDB, applies one request at a time.

The contract suite races awards on the in-process moto too, but moto's backend takes no
locks, so only a server that serialises requests (as DynamoDB serialises conditional writes
on an item) shows that the condition inside the one PutItem is what makes an award unique.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from carbontrack.store.dynamodb import DynamoStore
from tests.concurrency import all_at_once
from tests.store.factories import T0, make_award, make_commitment
from tests.store.test_dynamodb_concurrency import (  # noqa: F401 - fixtures
    THREADS,
    endpoint_url,
    store,
)


@pytest.mark.parametrize("round_", range(3))
def test_one_award_wins_a_race(store: DynamoStore, round_: int) -> None:  # noqa: F811
    user_id = f"racer-{round_}"
    outcomes = all_at_once(
        THREADS,
        lambda n: store.achievements.award(
            make_award(user_id=user_id, earned_at=T0 + timedelta(seconds=n))
        ),
    )
    assert sorted(outcomes) == [False] * (THREADS - 1) + [True]
    [stored] = store.achievements.list_for_user(user_id)
    assert stored.earned_at == T0 + timedelta(seconds=outcomes.index(True))


def test_racing_commitments_leave_one_whole_item(store: DynamoStore) -> None:  # noqa: F811
    commitments = [
        make_commitment(user_id="racer", committed_at=T0 + timedelta(seconds=n))
        for n in range(THREADS)
    ]
    all_at_once(THREADS, lambda n: store.actions.put(commitments[n]))
    assert store.actions.list_for_user("racer") in ([c] for c in commitments)
