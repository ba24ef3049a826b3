"""Contract: the reasoning cache keeps explanations by key and never serves an expired one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.reasoning import CachedReasoning, Explanation, Fallback, FallbackReason
from carbontrack.store.base import Store
from carbontrack.store.dynamodb import DynamoStore
from carbontrack.store.dynamodb.metrics import CallCounter
from tests.backends import StoreFactory, dynamodb_store
from tests.store.factories import T0

DAY = timedelta(days=1)
TICK = timedelta(microseconds=1)


def make_cached(**overrides: Any) -> CachedReasoning:
    """A cached rules explanation created at T0, live for 90 days."""
    facts = [{"id": "season", "kind": "season", "season": "summer"}]
    values: dict[str, Any] = {
        "key": "a" * 64,
        "explanation": Explanation(
            reasoning="It is summer in the northern hemisphere [season].",
            cited_fact_ids=("season",),
            provider="rules",
            model="rules",
        ),
        "facts_json": json.dumps(facts),
        "data_version": "co2-0123456789abcdef",
        "lat": 51.5,
        "lon": -0.13,
        "anomaly_id": None,
        "created_at": T0,
        "expires_at": T0 + 90 * DAY,
    }
    values.update(overrides)
    return CachedReasoning(**values)


def test_a_missing_key_is_none(store: Store) -> None:
    assert store.reasoning_cache.get("f" * 64, T0) is None


def test_put_then_get_round_trips_every_field(store: Store) -> None:
    item = make_cached()
    store.reasoning_cache.put(item)
    assert store.reasoning_cache.get(item.key, T0) == item


def test_a_known_anomaly_and_a_point_at_zero_round_trip(store: Store) -> None:
    item = make_cached(lat=0.0, lon=-179.9999, anomaly_id="peak-20180612-0001")
    store.reasoning_cache.put(item)
    assert store.reasoning_cache.get(item.key, T0) == item


def test_a_fallback_round_trips(store: Store) -> None:
    fallback = Fallback(
        from_provider="gemini",
        reason=FallbackReason.INVENTED_NUMBER,
        detail="the answer gave 7.5, which no fact holds",
    )
    item = make_cached(
        explanation=Explanation(
            reasoning="Rules text.",
            cited_fact_ids=(),
            provider="rules",
            model="rules",
            fallback=fallback,
        )
    )
    store.reasoning_cache.put(item)
    got = store.reasoning_cache.get(item.key, T0)
    assert got is not None
    assert got.explanation.fallback == fallback
    assert got.explanation.cited_fact_ids == ()


def test_unicode_and_large_facts_round_trip(store: Store) -> None:
    facts = [
        {"id": f"plant-{n}", "kind": "power_plant", "name": f"Bełchatów {n}", "capacityMw": 5.5}
        for n in range(300)
    ]
    item = make_cached(facts_json=json.dumps(facts, ensure_ascii=False))
    store.reasoning_cache.put(item)
    got = store.reasoning_cache.get(item.key, T0)
    assert got is not None
    assert json.loads(got.facts_json) == facts


def test_an_item_expires_at_its_expiry_instant(store: Store) -> None:
    item = make_cached()
    store.reasoning_cache.put(item)
    assert store.reasoning_cache.get(item.key, item.expires_at - TICK) == item
    assert store.reasoning_cache.get(item.key, item.expires_at) is None
    assert store.reasoning_cache.get(item.key, item.expires_at + 400 * DAY) is None


def test_put_replaces_the_item_under_its_key(store: Store) -> None:
    old = make_cached(expires_at=T0 + DAY)
    store.reasoning_cache.put(old)
    later = T0 + 2 * DAY
    new = make_cached(
        created_at=later,
        expires_at=later + 90 * DAY,
        explanation=replace(old.explanation, reasoning="A newer text."),
    )
    store.reasoning_cache.put(new)
    assert store.reasoning_cache.get(new.key, later) == new


def test_keys_are_separate(store: Store) -> None:
    first, second = make_cached(key="1" * 64), make_cached(key="2" * 64, data_version="other")
    store.reasoning_cache.put(first)
    store.reasoning_cache.put(second)
    assert store.reasoning_cache.get(first.key, T0) == first
    assert store.reasoning_cache.get(second.key, T0) == second


def test_an_expired_item_left_behind_does_not_hide_a_new_put(store: Store) -> None:
    stale = make_cached(key="3" * 64, expires_at=T0 + DAY)
    store.reasoning_cache.put(stale)
    later = T0 + 5 * DAY
    fresh = make_cached(key="4" * 64, created_at=later, expires_at=later + DAY)
    store.reasoning_cache.put(fresh)
    assert store.reasoning_cache.get(stale.key, later) is None
    assert store.reasoning_cache.get(fresh.key, later) == fresh


def test_a_naive_expiry_is_refused(store: Store) -> None:
    with pytest.raises(InvalidInput):
        store.reasoning_cache.put(make_cached(expires_at=(T0 + DAY).replace(tzinfo=None)))


def test_items_survive_reopening(store_factory: StoreFactory, tmp_path: Path) -> None:
    item = make_cached()
    first = store_factory(tmp_path)
    first.reasoning_cache.put(item)
    first.close()
    reopened = store_factory(tmp_path)
    try:
        assert reopened.reasoning_cache.get(item.key, T0) == item
    finally:
        reopened.close()


@pytest.fixture
def dynamo(aws_moto: None, tmp_path: Path) -> Iterator[DynamoStore]:
    store = dynamodb_store(tmp_path)
    yield store
    store.close()


def test_dynamodb_one_call_each_and_a_ttl_in_epoch_seconds(dynamo: DynamoStore) -> None:
    item = make_cached(expires_at=T0 + 90 * DAY + timedelta(milliseconds=1))
    with CallCounter(dynamo.client) as calls:
        dynamo.reasoning_cache.put(item)
        dynamo.reasoning_cache.get(item.key, T0)
    assert calls.counts() == {"PutItem": 1, "GetItem": 1}
    raw = dynamo.client.get_item(
        TableName=f"{dynamo.prefix}reasoning-cache", Key={"cacheKey": {"S": item.key}}
    )["Item"]
    # Rounded up, so DynamoDB's TTL never deletes an item before it has expired.
    assert int(raw["ttl"]["N"]) == int((T0 + 90 * DAY).timestamp()) + 1
    ttl = dynamo.client.describe_time_to_live(TableName=f"{dynamo.prefix}reasoning-cache")
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "ttl"
    assert ttl["TimeToLiveDescription"]["TimeToLiveStatus"] == "ENABLED"
