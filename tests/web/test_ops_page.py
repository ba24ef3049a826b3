"""/ops through TestClient on both stores: operators see and refresh; anyone else gets a 404."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest
from fastapi.testclient import TestClient
from moto.backends import get_backend

from carbontrack.ops import runners
from carbontrack.ops.model import RefreshRun
from carbontrack.settings import Settings
from carbontrack.store.base import Store
from tests.conftest import TEST_SECRET
from tests.ops import scene
from tests.web.helpers import sign_up, submit

REGION = scene.PRIMARY
NAV_LINK = '<a href="/ops"'


@pytest.fixture
def settings(tmp_path: Path, aws_moto: None) -> Iterator[Settings]:
    """tests/conftest.py's settings, inventorying one region of account A."""
    yield Settings(
        data_dir=tmp_path / "var",
        jwt_secret=TEST_SECRET,
        register_max_per_address=10_000,
        inventory_regions=(REGION,),
        inventory_workers=2,
    )
    get_backend("sns").reset()


def become_operator(client: TestClient) -> None:
    """Sign up and be made an operator with the store's set-operator method."""
    account = sign_up(client)
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    user = store.users.get_by_email(account.email)
    assert user is not None
    store.users.set_operator(user.user_id, True)


def answer(client: TestClient, method: str, path: str) -> tuple[int, bytes, str]:
    response = client.request(method, path, follow_redirects=False)
    return response.status_code, response.content, response.headers["content-type"]


def test_visitors_and_ordinary_users_get_the_404_of_an_unknown_path(client: TestClient) -> None:
    for signed_in in (False, True):
        if signed_in:
            sign_up(client)
            assert NAV_LINK not in client.get("/").text
        for method, path in (("GET", "/ops"), ("POST", "/ops/refresh")):
            found = answer(client, method, path)
            assert found == answer(client, method, "/no-such-page")
            assert found[:2] == (404, b'{"detail":"Not Found"}')


def test_an_operator_refreshes_from_the_page_and_sees_the_inventory(client: TestClient) -> None:
    become_operator(client)
    page = client.get("/ops")
    assert page.status_code == 200
    assert NAV_LINK in page.text
    assert 'Last update: <strong id="last-update">never' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    boto3.client("sns", region_name=REGION).create_topic(Name="carbontrack-alarms")
    response = submit(client, "/ops/refresh", {"service": "sns"}, page="/ops")
    assert (response.status_code, response.headers["location"]) == (303, "/ops")
    runner = client.app.state.inventory_runner  # type: ignore[attr-defined]
    assert isinstance(runner, runners.ThreadRunner)
    runner.wait()
    html = client.get("/ops").text
    assert "Refresh started." in html
    row = re.search(r"<td>(\d{12})</td><td>([\w-]+)</td><td>(\d+)</td><td>(\d+)</td>", html)
    assert row is not None
    assert row.groups() == (scene.ACCOUNT_A, REGION, "1", "1")
    assert re.search(r'id="last-update"><time datetime="[^"]+">\d{4}-\d\d-\d\d ', html)
    assert "The last refresh of sns finished at" in html


def test_a_second_refresh_from_the_page_is_refused_with_a_message(client: TestClient) -> None:
    become_operator(client)
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    assert store.inventory_runs.start(RefreshRun("other", None, now), stale_before=now)
    response = submit(client, "/ops/refresh", {}, page="/ops", follow_redirects=True)
    assert "Not started: a refresh is already running." in response.text
    assert 'data-running="true"' in response.text


def test_a_form_without_its_csrf_token_is_refused(client: TestClient) -> None:
    become_operator(client)
    response = client.post("/ops/refresh", data={"service": "sns"})
    assert response.status_code == 403
    assert client.app.state.store.inventory_runs.latest() is None  # type: ignore[attr-defined]


def test_a_bad_form_is_a_404_to_an_ordinary_user_and_an_error_to_an_operator(
    client: TestClient,
) -> None:
    broken = {"Content-Type": "multipart/form-data"}  # no boundary: the body cannot be parsed
    too_long = {"service": "x" * 41}
    sign_up(client)
    for path in ("/ops/refresh", "/no-such-page"):
        response = client.post(path, content=b"x", headers=broken)
        assert (response.status_code, response.content) == (404, b'{"detail":"Not Found"}')
    response = submit(client, "/ops/refresh", too_long, page="/")
    assert (response.status_code, response.content) == (404, b'{"detail":"Not Found"}')
    become_operator(client)
    response = client.post("/ops/refresh", content=b"x", headers=broken)
    assert response.status_code == 400
    response = submit(client, "/ops/refresh", too_long, page="/ops")
    assert (response.status_code, response.json()["field"]) == (422, "service")
    assert client.app.state.store.inventory_runs.latest() is None  # type: ignore[attr-defined]
