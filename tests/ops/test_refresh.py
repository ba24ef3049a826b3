"""The refresh over the issue 14 scene on in-process moto: keys, accounts, ghosts, failures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from carbontrack.ops import services
from carbontrack.ops.model import GLOBAL, Resource, Scope
from carbontrack.store.base import Store
from carbontrack.store.dynamodb import DynamoStore
from carbontrack.store.dynamodb.tables import INVENTORY_DATA
from tests.backends import STORE_FACTORIES
from tests.ops import scene
from tests.ops.scene import ops_settings, refresh


@pytest.fixture(params=sorted(STORE_FACTORIES))
def any_store(request: pytest.FixtureRequest, aws_moto: None, tmp_path: Path) -> Iterator[Store]:
    opened = STORE_FACTORIES[request.param](tmp_path / "store")
    yield opened
    opened.close()


def ids(store: Store, scope: Scope) -> set[str]:
    return {resource.resource_id for resource in store.inventory.scope_resources(scope)}


def test_a_refresh_stores_both_accounts_under_the_exact_keys(
    built: scene.Scene, any_store: Store, tmp_path: Path
) -> None:
    store = any_store
    seen: list[tuple[int, int]] = []
    request = services.refresh_request(settings=ops_settings(tmp_path))
    outcome = services.refresh(
        store=store,
        settings=ops_settings(tmp_path),
        request=request,
        progress=lambda done, total, scope: seen.append((done, total)),
    )
    assert outcome.failed == ()
    # 10 regional services x 2 regions + 4 global + cost, for each of the two accounts.
    assert len(outcome.statuses) == 2 * (10 * 2 + 4 + 1)
    assert [done for done, _ in seen] == list(range(1, 51))
    assert {total for _, total in seen} == {50}
    # The DynamoDB store's own tables are in account A too: look at CarbonTrack's.
    found = _resources(store, "dynamodb", scene.ACCOUNT_A)
    tables = {r.data["name"]: r for r in found if r.data["name"].startswith("carbontrack-")}
    assert set(tables) == {*scene.PRIMARY_TABLES, *scene.DUPLICATES, *scene.LEGACY_TABLES}
    legacy = tables["carbontrack-emissions-production"]
    assert legacy.scope.pk == f"dynamodb#{scene.ACCOUNT_A}#{scene.LEGACY}"
    arn_base = f"arn:aws:dynamodb:{scene.LEGACY}:{scene.ACCOUNT_A}:table/"
    assert legacy.resource_id == f"{arn_base}carbontrack-emissions-production"
    assert ids(store, Scope("lambda", scene.ACCOUNT_A, scene.PRIMARY)) == {built.lambda_arn}
    instances = ids(store, Scope("ec2", scene.ACCOUNT_B, scene.PRIMARY))
    assert [i for i in instances if built.instance_id in i]
    buckets = [r.data for r in _resources(store, "s3", scene.ACCOUNT_B)]
    assert [b["location"] for b in buckets if b["name"] == built.bucket] == [scene.PRIMARY]
    assert Scope("s3", scene.ACCOUNT_B, GLOBAL).pk == f"s3#{scene.ACCOUNT_B}#global"
    if isinstance(store, DynamoStore):
        assert _raw_keys(store, legacy.scope.pk) == {
            (legacy.scope.pk, f"{arn_base}{name}")
            for name in (*scene.DUPLICATES, *scene.LEGACY_TABLES)
        }


def _raw_keys(store: DynamoStore, pk: str) -> set[tuple[str, str]]:
    """The items of one partition of `aws-inventory-data`, as DynamoDB holds them."""
    table = INVENTORY_DATA.name(store.prefix, inherited_names=store.inherited_names)
    items = store.client.query(
        TableName=table,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": pk}},
    )["Items"]
    return {(item["pk"]["S"], item["sk"]["S"]) for item in items}


def _resources(store: Store, service: str, account_id: str) -> list[Resource]:
    return services.inventory(store=store, service=service, account_id=account_id, limit=500).items


def test_a_table_deleted_in_aws_disappears_after_the_next_refresh(
    built: scene.Scene, store: Store, tmp_path: Path
) -> None:
    settings = ops_settings(tmp_path)
    refresh(store, settings, services=("dynamodb",))
    scope = Scope("dynamodb", scene.ACCOUNT_A, scene.LEGACY)
    assert len(ids(store, scope)) == 4
    scene.session_a().client("dynamodb", region_name=scene.LEGACY).delete_table(
        TableName="carbontrack-users-production"
    )
    outcome = refresh(store, settings, services=("dynamodb",))
    names = {r.data["name"] for r in store.inventory.scope_resources(scope)}
    assert names == {*scene.DUPLICATES, "carbontrack-emissions-production"}
    statuses = {s.scope: s for s in outcome.statuses}
    assert statuses[scope].resource_count == 3


def test_filters_narrow_the_refresh_to_one_account_region_and_service(
    built: scene.Scene, store: Store, tmp_path: Path
) -> None:
    outcome = refresh(
        store,
        ops_settings(tmp_path),
        services=("ec2",),
        regions=(scene.PRIMARY,),
        account_ids=(scene.ACCOUNT_B,),
    )
    assert [s.scope for s in outcome.statuses] == [Scope("ec2", scene.ACCOUNT_B, scene.PRIMARY)]
    assert outcome.statuses[0].resource_count == 1


def test_all_regions_means_every_enabled_region(
    built: scene.Scene, store: Store, tmp_path: Path
) -> None:
    outcome = refresh(
        store, ops_settings(tmp_path), services=("sns",), role_arns=(), regions=("all",)
    )
    regions = {s.scope.region for s in outcome.statuses}
    assert {scene.PRIMARY, scene.LEGACY, "ap-southeast-2"} <= regions
    assert outcome.failed == ()


def test_cost_explorer_lines_and_an_estimate_for_the_account_without_data(
    built: scene.Scene, store: Store, tmp_path: Path
) -> None:
    refresh(store, ops_settings(tmp_path), services=("cost", "dynamodb", "cloudwatch", "ec2"))
    report = services.cost(store=store)
    last = [line for line in report.lines if line.period == "last-month"]
    assert {(x.account_id, x.service, x.region, str(x.amount_usd)) for x in last} == {
        (scene.ACCOUNT_A, "Amazon DynamoDB", scene.PRIMARY, "4.20"),
        (scene.ACCOUNT_A, "AWS Lambda", scene.LEGACY, "0.35"),
    }
    # Account B has no Cost Explorer data: its cost is an estimate, from the dated price table.
    assert report.estimated_accounts == (scene.ACCOUNT_B,)
    by_key = {e.price.key: e for e in report.estimates}
    assert by_key["dynamodb_storage"].monthly_usd == 0  # no tables in B: under the free 25 GB
    assert by_key["lambda_requests"].monthly_usd is None  # traffic: not countable
    assert all(
        e.price.read_on == "2026-11-22" and e.price.source.startswith("https://")
        for e in report.estimates
    )
