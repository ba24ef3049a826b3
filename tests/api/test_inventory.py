"""/api/inventory on both stores: operators refresh and read; everyone else finds nothing there.

The AWS side is a small scene in the session's in-process moto: one region, and each refresh
limited to one or two services, so a refresh is a handful of scopes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient
from moto.backends import get_backend

from carbontrack.ops import runners
from carbontrack.ops.model import RefreshRun
from carbontrack.settings import Settings
from carbontrack.store.base import Store
from tests.api.helpers import login, register, signed_in
from tests.conftest import TEST_SECRET
from tests.ops import scene

REGION = scene.PRIMARY
ACCOUNT = scene.ACCOUNT_A
ROUTES = (
    ("POST", "/api/inventory/refresh"),
    ("GET", "/api/inventory/metadata"),
    ("GET", "/api/inventory"),
    ("GET", "/api/inventory/findings"),
    ("GET", "/api/inventory/cost"),
)
# The moto backends a scene here writes to (DynamoDB resets itself after each test).
SCENE_SERVICES = ("sns", "ce")


@pytest.fixture
def settings(tmp_path: Path, aws_moto: None) -> Iterator[Settings]:
    """The app's settings (tests/conftest.py's), inventorying one region of account A."""
    yield Settings(
        data_dir=tmp_path / "var",
        jwt_secret=TEST_SECRET,
        register_max_per_address=10_000,
        inventory_regions=(REGION,),
        inventory_workers=2,
    )
    for name in SCENE_SERVICES:
        get_backend(name).reset()  # type: ignore[call-overload]


def operator(client: TestClient) -> dict[str, str]:
    """A fresh user made an operator with the store's set-operator method; their headers."""
    user = register(client)
    headers = login(client, email=user["email"], password=user["password"])
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    found = store.users.get_by_email(user["email"])
    assert found is not None
    store.users.set_operator(found.user_id, True)
    return headers


def refreshed(client: TestClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    """POST a refresh with `body`, wait for its thread, and return the 202's JSON."""
    response = client.post("/api/inventory/refresh", json=body, headers=headers)
    assert response.status_code == 202, response.text
    runner = client.app.state.inventory_runner  # type: ignore[attr-defined]
    assert isinstance(runner, runners.ThreadRunner)
    runner.wait()
    answer: dict[str, Any] = response.json()
    return answer


def topics(*names: str) -> list[str]:
    sns = boto3.client("sns", region_name=REGION)
    return [sns.create_topic(Name=name)["TopicArn"] for name in names]


def _answer(client: TestClient, method: str, path: str, headers: dict[str, str]) -> tuple[Any, ...]:
    response = client.request(method, path, headers=headers, json={} if method == "POST" else None)
    return response.status_code, response.content, response.headers["content-type"]


def test_everyone_but_an_operator_gets_the_404_of_an_unknown_path(client: TestClient) -> None:
    ordinary = signed_in(client)
    for headers in (ordinary, {}, {"Authorization": "Bearer not-a-token"}):
        for method, path in ROUTES:
            answer = _answer(client, method, path, headers)
            assert answer == _answer(client, method, "/api/inventory/no-such-route", headers)
            assert answer[:2] == (404, b'{"detail":"Not Found"}')
    assert client.app.state.store.inventory_runs.latest() is None  # type: ignore[attr-defined]


def test_an_operator_refreshes_one_service_and_follows_it(client: TestClient) -> None:
    headers = operator(client)
    before = client.get("/api/inventory/metadata", headers=headers).json()
    assert before == {"lastUpdate": None, "service": "all", "refresh": None, "scopes": []}
    [arn] = topics("carbontrack-alarms")
    triggered = refreshed(client, headers, service="sns")
    assert triggered["message"] == "Refresh triggered"
    assert triggered["service"] == "sns"
    meta = client.get("/api/inventory/metadata?service=sns", headers=headers).json()
    run = meta["refresh"]
    assert (run["runId"], run["state"], run["service"]) == (triggered["runId"], "ok", "sns")
    assert (run["done"], run["total"], run["failed"]) == (1, 1, 0)
    assert run["finishedAt"] >= run["startedAt"]
    [scope] = meta["scopes"]
    assert scope["service"] == "sns"
    assert scope["accountId"] == ACCOUNT
    assert (scope["region"], scope["resourceCount"], scope["state"]) == (REGION, 1, "ok")
    assert meta["lastUpdate"] == scope["updatedAt"]
    assert meta["service"] == "sns"
    [item] = client.get("/api/inventory?service=sns", headers=headers).json()["items"]
    assert (item["pk"], item["sk"], item["resourceId"]) == (f"sns#{ACCOUNT}#{REGION}", arn, arn)


def test_the_inventory_pages_and_filters(client: TestClient) -> None:
    headers = operator(client)
    arns = sorted(topics("a", "b", "c"))
    triggered = refreshed(client, headers, service="sns", accounts=[ACCOUNT])
    assert triggered["service"] == "sns"
    first = client.get("/api/inventory?service=sns&limit=2", headers=headers).json()
    assert [i["sk"] for i in first["items"]] == arns[:2]
    params = {"cursor": first["nextCursor"], "limit": 2, "account": ACCOUNT, "region": REGION}
    second = client.get("/api/inventory", params=params, headers=headers).json()
    assert ([i["sk"] for i in second["items"]], second["nextCursor"]) == (arns[2:], None)
    other = client.get("/api/inventory?region=us-east-1", headers=headers).json()
    assert other == {"items": [], "nextCursor": None}


def test_a_second_refresh_while_one_runs_is_409(client: TestClient) -> None:
    headers = operator(client)
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    running = RefreshRun(run_id="running-elsewhere", service=None, started_at=now)
    assert store.inventory_runs.start(running, stale_before=now)
    response = client.post("/api/inventory/refresh", headers=headers)
    assert (response.status_code, response.json()) == (
        409,
        {"detail": "a refresh is already running"},
    )
    meta = client.get("/api/inventory/metadata", headers=headers).json()
    assert (meta["refresh"]["runId"], meta["refresh"]["state"]) == (running.run_id, "running")


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/api/inventory/refresh", {"service": "nope"}, "service"),
        ("POST", "/api/inventory/refresh?service=nope", None, "service"),
        ("POST", "/api/inventory/refresh", {"accounts": ["999999999999"]}, "accounts"),
        ("POST", "/api/inventory/refresh?accounts=12", None, None),
        ("POST", "/api/inventory/refresh", {"accounts": ["12"]}, None),
        ("GET", "/api/inventory/metadata?service=nope", None, "service"),
        ("GET", "/api/inventory?service=nope", None, "service"),
        ("GET", "/api/inventory?cursor=not-a-cursor", None, "cursor"),
        ("GET", "/api/inventory?limit=0", None, None),
    ],
)
def test_bad_input_is_a_422_and_starts_nothing(
    client: TestClient, method: str, path: str, body: Any, field: str | None
) -> None:
    response = client.request(method, path, json=body, headers=operator(client))
    assert response.status_code == 422, response.text
    if field is not None:
        assert response.json()["field"] == field
    assert client.app.state.store.inventory_runs.latest() is None  # type: ignore[attr-defined]


def test_findings_and_cost_of_a_refresh(client: TestClient) -> None:
    headers = operator(client)
    today = datetime.now(UTC).date()
    scene.make_table(scene.session_a(), "carbontrack-users-production", REGION, items=2)
    scene.set_cost_results(today=today)
    refreshed(client, headers, service="dynamodb")
    refreshed(client, headers, service="cost")
    found = client.get("/api/inventory/findings", headers=headers).json()["findings"]
    table = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/carbontrack-users-production"
    [legacy] = [f for f in found if f["kind"] == "legacy-table"]
    assert (legacy["resourceId"], legacy["accountId"], legacy["region"]) == (table, ACCOUNT, REGION)
    assert "2 items" in legacy["reason"]
    assert legacy["fix"]
    cost = client.get("/api/inventory/cost", headers=headers).json()
    last_month = {
        (line["service"], line["region"]): line["amountUsd"]
        for line in cost["costExplorer"]
        if line["period"] == "last-month"
    }
    assert last_month == {("Amazon DynamoDB", REGION): "4.20", ("AWS Lambda", "us-east-1"): "0.35"}
    assert cost["estimatedAccounts"] == []


# Every operator path, the method it serves and methods it does not (ops/guard.py's prefixes).
SERVED = {
    **{path: method for method, path in ROUTES},
    "/ops": "GET",
    "/ops/refresh": "POST",
}
WRONG = {"GET": ("POST", "PATCH", "DELETE", "HEAD"), "POST": ("GET", "PUT", "DELETE")}
JSON = "application/json"
GARBAGE = (  # (body, Content-Type): not JSON, not UTF-8, not the schema's
    (b"{not json", JSON),
    (b"\xff\xfe", JSON),
    (b"service=sns", "text/plain"),
    (b'{"service": 5, "accounts": "all"}', JSON),
    (b'{"unknown": true}', JSON),
)


def _whole(response: Any) -> tuple[int, bytes, dict[str, str]]:
    return response.status_code, response.content, dict(response.headers)


def _unknown(client: TestClient, method: str, path: str, **kwargs: Any) -> Any:
    """The answer to the same request on a path no route serves, beside `path`."""
    unknown = f"{path.rstrip('/')}/no-such-route"
    return _whole(client.request(method, unknown, **kwargs))


def _strangers(client: TestClient) -> list[dict[str, str]]:
    return [signed_in(client), {}, {"Authorization": "Bearer not-a-token"}]


def test_a_wrong_method_is_the_unknown_path_404_for_everyone_but_an_operator(
    client: TestClient,
) -> None:
    for headers in _strangers(client):
        for path, method in SERVED.items():
            for wrong in WRONG[method]:
                answer = _whole(client.request(wrong, path, headers=headers))
                assert answer == _unknown(client, wrong, path, headers=headers), (wrong, path)
                assert answer[0] == 404
    headers = operator(client)
    for path, method in SERVED.items():
        for wrong in WRONG[method]:
            response = client.request(wrong, path, headers=headers)
            assert response.status_code == 405, (wrong, path)
            assert response.headers["allow"] == method


def test_a_body_that_does_not_parse_is_a_404_but_to_an_operator(client: TestClient) -> None:
    path = "/api/inventory/refresh"
    for headers in _strangers(client):
        for body, content_type in GARBAGE:
            sent: dict[str, Any] = {
                "content": body,
                "headers": {**headers, "Content-Type": content_type},
            }
            answer = _whole(client.post(path, **sent))
            assert answer == _unknown(client, "POST", path, **sent), body
            assert answer[:2] == (404, b'{"detail":"Not Found"}')
        too_long: dict[str, Any] = {"data": {"service": "x" * 500}, "headers": headers}
        answer = _whole(client.post("/ops/refresh", **too_long))
        assert answer == _unknown(client, "POST", "/ops/refresh", **too_long)
    headers = operator(client)
    for body, content_type in GARBAGE:
        typed = {**headers, "Content-Type": content_type}
        response = client.post(path, content=body, headers=typed)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["detail"][0]["loc"][0] == "body"
    assert client.app.state.store.inventory_runs.latest() is None  # type: ignore[attr-defined]


def test_an_operators_empty_or_null_body_is_no_body(client: TestClient) -> None:
    headers = operator(client)
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    # A run in progress: a body that parses gets as far as the 409, and starts nothing.
    assert store.inventory_runs.start(RefreshRun("elsewhere", None, now), stale_before=now)
    for sent in (b"", b"null", b"{}", b'{"service": null, "accounts": null}'):
        response = client.post("/api/inventory/refresh", headers=headers, content=sent)
        assert response.status_code == 409, (sent, response.text)
