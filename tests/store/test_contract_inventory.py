"""Contract: the inventory replaces a scope's resources, keeps them on failure, pages in order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from carbontrack.domain.errors import InvalidInput
from carbontrack.ops.model import GLOBAL, RESOURCE_TTL_DAYS, Resource, Scope, ScopeStatus
from carbontrack.store.base import Store
from carbontrack.store.cursor import encode_cursor

# Recent, so no resource has expired: reads hide those past updatedAt + RESOURCE_TTL_DAYS.
NOW = datetime.now(UTC).replace(microsecond=123456)
LAMBDA_EU = Scope("lambda", "111111111111", "eu-central-1")


def make_resource(scope: Scope, resource_id: str, **data: Any) -> Resource:
    """A resource of `scope` seen at NOW, with `data` or a small default."""
    return Resource(
        scope=scope, resource_id=resource_id, data=data or {"name": resource_id}, updated_at=NOW
    )


def ok(scope: Scope, count: int, at: datetime = NOW) -> ScopeStatus:
    return ScopeStatus(scope=scope, updated_at=at, resource_count=count)


def replace(store: Store, scope: Scope, ids: Sequence[str]) -> list[Resource]:
    """Store a fresh collection of `ids` for `scope`; the resources stored."""
    resources = [make_resource(scope, resource_id) for resource_id in ids]
    store.inventory.replace_scope(ok(scope, len(resources)), resources)
    return resources


def listed(store: Store, services: Sequence[str], *, limit: int, **filters: Any) -> list[Resource]:
    """Every resource of a listing, following the cursor page by page."""
    found: list[Resource] = []
    cursor = None
    while True:
        page = store.inventory.list_resources(
            services=services, limit=limit, cursor=cursor, **filters
        )
        assert len(page.items) <= limit
        found += page.items
        if page.next_cursor is None:
            return found
        assert page.items, "a cursor never leads to an empty page"
        cursor = page.next_cursor


def test_data_round_trips_exactly(store: Store) -> None:
    data = {
        "TableName": "carbontrack-users",
        "ItemCount": 12,
        "SizeBytes": 1.5e3,
        "Pitr": True,
        "DeletionProtection": None,
        "Tags": [{"Key": "stage", "Value": "prod"}],
        "nested": {"é": "ünïcode", "z": [1, 2.25, -0.0]},
    }
    resource = make_resource(LAMBDA_EU, "arn:aws:lambda:eu-central-1:1:function:api", **data)
    store.inventory.replace_scope(ok(LAMBDA_EU, 1), [resource])
    [stored] = store.inventory.scope_resources(LAMBDA_EU)
    assert stored == resource
    assert list(stored.data) == list(data)  # key order too
    assert store.inventory.statuses(services=["lambda"]) == [ok(LAMBDA_EU, 1)]


def test_a_refresh_removes_the_resources_gone_and_updates_the_rest(store: Store) -> None:
    replace(store, LAMBDA_EU, ["a", "b", "c"])
    changed = make_resource(LAMBDA_EU, "b", memory=512)
    store.inventory.replace_scope(ok(LAMBDA_EU, 2), [changed, make_resource(LAMBDA_EU, "d")])
    stored = store.inventory.scope_resources(LAMBDA_EU)
    assert [r.resource_id for r in stored] == ["b", "d"]
    assert stored[0].data == {"memory": 512}
    assert store.inventory.statuses(services=["lambda"])[0].resource_count == 2


def test_an_empty_collection_empties_the_scope_only(store: Store) -> None:
    other = Scope("lambda", "111111111111", "us-east-1")
    replace(store, LAMBDA_EU, ["a"])
    kept = replace(store, other, ["x"])
    store.inventory.replace_scope(ok(LAMBDA_EU, 0), [])
    assert store.inventory.scope_resources(LAMBDA_EU) == []
    assert store.inventory.scope_resources(other) == kept


def test_many_resources_are_replaced_past_one_batch(store: Store) -> None:
    replace(store, LAMBDA_EU, [f"r{i:03d}" for i in range(60)])
    ids = [f"r{i:03d}" for i in range(30, 90)]
    replace(store, LAMBDA_EU, ids)
    assert [r.resource_id for r in store.inventory.scope_resources(LAMBDA_EU)] == ids


def test_a_failure_keeps_the_last_resources_and_records_the_error(store: Store) -> None:
    kept = replace(store, LAMBDA_EU, ["a", "b"])
    later = NOW + timedelta(hours=1)
    failed = ScopeStatus(
        LAMBDA_EU, updated_at=later, resource_count=2, state="failed", error="AccessDenied: no"
    )
    store.inventory.record_failure(failed)
    assert store.inventory.scope_resources(LAMBDA_EU) == kept
    assert store.inventory.statuses(services=["lambda"]) == [failed]
    store.inventory.replace_scope(ok(LAMBDA_EU, 0, later), [])
    assert store.inventory.statuses(services=["lambda"]) == [ok(LAMBDA_EU, 0, later)]


def test_statuses_are_ordered_by_service_account_and_region(store: Store) -> None:
    scopes = [
        Scope("s3", "222222222222", GLOBAL),
        Scope("lambda", "222222222222", "eu-central-1"),
        Scope("lambda", "111111111111", "us-east-1"),
        Scope("lambda", "111111111111", "eu-central-1"),
        Scope("ec2", "111111111111", "eu-west-1"),
    ]
    for scope in scopes:
        store.inventory.record_failure(
            ScopeStatus(scope, updated_at=NOW, resource_count=0, state="failed", error="boom")
        )
    got = [s.scope for s in store.inventory.statuses(services=["s3", "lambda", "rds"])]
    assert got == sorted(scopes[:4], key=lambda s: (s.service, s.account_id, s.region))
    assert store.inventory.statuses(services=[]) == []


def _scene(store: Store) -> list[Resource]:
    """Three services in two accounts and regions; every resource, in listing order."""
    scopes = [
        Scope("lambda", "111111111111", "eu-central-1"),
        Scope("lambda", "111111111111", "us-east-1"),
        Scope("lambda", "222222222222", "eu-central-1"),
        Scope("dynamodb", "111111111111", "us-east-1"),
        Scope("s3", "222222222222", GLOBAL),
    ]
    resources: list[Resource] = []
    for number, scope in enumerate(scopes):
        resources += replace(store, scope, [f"id-{k}" for k in range(number + 2)][::-1])
    store.inventory.replace_scope(ok(Scope("lambda", "333333333333", "eu-west-1"), 0), [])
    return sorted(
        resources,
        key=lambda r: (r.scope.service, r.scope.account_id, r.scope.region, r.resource_id),
    )


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 100])
def test_paging_returns_everything_once_in_order(store: Store, limit: int) -> None:
    everything = _scene(store)
    assert listed(store, ["s3", "lambda", "dynamodb"], limit=limit) == everything


def test_listing_filters_by_service_account_and_region(store: Store) -> None:
    everything = _scene(store)

    def expected(**match: str) -> list[Resource]:
        return [r for r in everything if all(getattr(r.scope, k) == v for k, v in match.items())]

    assert listed(store, ["lambda"], limit=2) == expected(service="lambda")
    assert listed(store, ["lambda", "s3"], limit=2, account_id="222222222222") == [
        r for r in everything if r.scope.account_id == "222222222222"
    ]
    assert listed(store, ["lambda", "dynamodb"], limit=3, region="us-east-1") == expected(
        region="us-east-1"
    )
    assert listed(
        store, ["lambda"], limit=1, account_id="111111111111", region="eu-central-1"
    ) == expected(service="lambda", account_id="111111111111", region="eu-central-1")
    assert listed(store, ["rds"], limit=5) == []


def test_resources_past_their_ttl_are_not_returned(store: Store) -> None:
    old = NOW - timedelta(days=RESOURCE_TTL_DAYS, hours=1)
    stale = Resource(LAMBDA_EU, "old", {"name": "old"}, updated_at=old)
    fresh = make_resource(LAMBDA_EU, "new")
    store.inventory.replace_scope(ok(LAMBDA_EU, 2), [stale, fresh])
    assert store.inventory.scope_resources(LAMBDA_EU) == [fresh]
    assert listed(store, ["lambda"], limit=1) == [fresh]


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        "",
        encode_cursor("another-backend", {"s": "lambda", "a": "1", "r": "x", "k": "a"}),
        encode_cursor("sqlite-inventory", {"k": "a"}),
        encode_cursor("dynamodb-inventory", {"k": "a"}),
    ],
)
def test_a_bad_cursor_is_invalid_input(store: Store, cursor: str) -> None:
    replace(store, LAMBDA_EU, ["a", "b"])
    with pytest.raises(InvalidInput):
        store.inventory.list_resources(services=["lambda"], cursor=cursor)


def test_a_limit_below_one_is_invalid_input(store: Store) -> None:
    with pytest.raises(InvalidInput):
        store.inventory.list_resources(services=["lambda"], limit=0)


@pytest.mark.parametrize(
    "scope", [Scope("", "1", "eu-central-1"), Scope("lambda", "1#2", "eu-central-1")]
)
def test_an_ambiguous_scope_is_invalid_input(store: Store, scope: Scope) -> None:
    with pytest.raises(InvalidInput):
        store.inventory.replace_scope(ok(scope, 0), [])


def test_a_resource_of_another_scope_or_not_json_is_invalid_input(store: Store) -> None:
    other = make_resource(Scope("lambda", "111111111111", "us-east-1"), "x")
    with pytest.raises(InvalidInput):
        store.inventory.replace_scope(ok(LAMBDA_EU, 1), [other])
    with pytest.raises(InvalidInput):
        store.inventory.replace_scope(ok(LAMBDA_EU, 1), [make_resource(LAMBDA_EU, "x", at=NOW)])
    assert store.inventory.statuses(services=["lambda"]) == []
