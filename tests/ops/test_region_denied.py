"""A region an organization's service control policy denies is recorded, and the rest stored.

moto cannot deny one region (its IAM ignores `Condition`), so boto3 reaches a moto server
through tests/ops/scp_proxy.py, which answers every request signed for the denied region with
the 403 AWS gives there, in each service's protocol (issue 14: "a region that raises
AccessDenied is reported without stopping the others").
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from carbontrack.ops import services
from carbontrack.ops.model import RefreshRequest, Scope
from carbontrack.settings import Settings
from carbontrack.store.base import Store
from tests.backends import STORE_FACTORIES
from tests.live import serialized_moto_server
from tests.ops import scene
from tests.ops.scp_proxy import proxy_url, scp_proxy

ALLOWED, DENIED = scene.PRIMARY, scene.LEGACY
SERVICES = ("dynamodb", "sns", "ec2")
# What each service calls the denial, as AWS answers it under an SCP.
DENIAL_CODES = {
    "dynamodb": "AccessDeniedException",
    "sns": "AuthorizationError",
    "ec2": "UnauthorizedOperation",
}
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": ALLOWED,
}


@pytest.fixture
def moto_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A moto server of this test's own, and the fake credentials it is reached with."""
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    with serialized_moto_server() as url:
        yield url


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    """The inventory's store (SQLite: a DynamoDB store would go through the proxy too)."""
    opened = STORE_FACTORIES["sqlite"](tmp_path / "store")
    yield opened
    opened.close()


def _resources(moto_url: str, region: str) -> set[tuple[str, str]]:
    """A table, a topic and an instance in `region` (straight to moto); (service, id) of each."""
    dynamodb = boto3.client("dynamodb", region_name=region, endpoint_url=moto_url)
    table = dynamodb.create_table(
        TableName="carbontrack-users",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )["TableDescription"]["TableArn"]
    sns = boto3.client("sns", region_name=region, endpoint_url=moto_url)
    topic = sns.create_topic(Name="carbontrack-alarms")["TopicArn"]
    ec2 = boto3.client("ec2", region_name=region, endpoint_url=moto_url)
    image = ec2.describe_images()["Images"][0]["ImageId"]
    [instance] = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"]
    return {("dynamodb", table), ("sns", topic), ("ec2", instance["InstanceId"])}


def _stored(store: Store, region: str) -> set[tuple[str, str]]:
    scopes = (Scope(name, scene.ACCOUNT_A, region) for name in SERVICES)
    return {
        (resource.scope.service, resource.resource_id)
        for scope in scopes
        for resource in store.inventory.scope_resources(scope)
    }


def test_a_region_denied_by_an_scp_is_recorded_and_the_others_stored(
    moto_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sqlite_store: Store
) -> None:
    allowed = _resources(moto_url, ALLOWED)
    _resources(moto_url, DENIED)
    settings = Settings(data_dir=tmp_path / "var", primary_region=ALLOWED, inventory_workers=4)
    request = RefreshRequest(regions=(ALLOWED, DENIED), services=SERVICES)
    with scp_proxy(moto_url, denied_regions=frozenset({DENIED})) as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL", proxy_url(proxy))
        outcome = services.refresh(store=sqlite_store, settings=settings, request=request)
    assert {region for region, _ in proxy.denials} == {DENIED}
    by_scope = {(s.scope.service, s.scope.region): s for s in outcome.statuses}
    assert set(by_scope) == {(name, region) for name in SERVICES for region in (ALLOWED, DENIED)}
    for name in SERVICES:
        denied, fine = by_scope[(name, DENIED)], by_scope[(name, ALLOWED)]
        assert (denied.state, denied.resource_count) == ("failed", 0), denied
        assert denied.error is not None
        assert denied.error.startswith(f"{DENIAL_CODES[name]}: "), denied.error
        assert "explicit deny in a service control policy" in denied.error
        assert (fine.state, fine.resource_count, fine.error) == ("ok", 1, None), fine
    recorded = {
        (s.scope.service, s.scope.region): (s.state, s.error)
        for s in sqlite_store.inventory.statuses(services=SERVICES)
    }
    assert recorded == {key: (s.state, s.error) for key, s in by_scope.items()}
    assert _stored(sqlite_store, ALLOWED) == allowed
    assert _stored(sqlite_store, DENIED) == set()
