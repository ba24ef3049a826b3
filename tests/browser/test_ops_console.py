"""/ops in Debian's Chromium: an operator presses Refresh, sees it progress and the new
last-update time; a normal user gets the 404 of an unknown path.

The server here is one of its own: `carbontrack serve` whose AWS is a moto_server on 127.0.0.1
(the standard AWS_ENDPOINT_URL and fake credentials in its environment), holding one SNS topic;
the refresh covers every service in one region.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import boto3
import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_no_serious_violations
from tests.browser.conftest import NewPage
from tests.browser.harness import ARTIFACTS_DIR, PHONE, NetworkGuard, save_screenshot
from tests.live import LiveServer, running_server, serialized_moto_server
from tests.ops import scene

pytestmark = pytest.mark.e2e
PASSWORD = "a long enough password"
PROGRESS = re.compile(r"Refreshing: (\d+) of (\d+|\?) scopes\.")
REFRESH_TIMEOUT_MS = 180_000  # every service of a region, on a moto serving one call at a time
RECORD_STATUS = """
window.statusTexts = [];
new MutationObserver(() => {
  window.statusTexts.push(document.getElementById("refresh-text").textContent.trim());
}).observe(document.getElementById("refresh-status"), {childList: true, subtree: true,
  characterData: true});
"""
AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": scene.PRIMARY,
}


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[LiveServer]:
    """This module's server (overriding the package's): its AWS is a moto_server."""
    with serialized_moto_server() as moto_url:
        sns = boto3.client(
            "sns",
            endpoint_url=moto_url,
            region_name=scene.PRIMARY,
            aws_access_key_id=AWS["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=AWS["AWS_SECRET_ACCESS_KEY"],
        )
        sns.create_topic(Name="carbontrack-alarms")
        env = AWS | {
            "AWS_ENDPOINT_URL": moto_url,
            "CARBONTRACK_INVENTORY_REGIONS": scene.PRIMARY,
            "CARBONTRACK_REGISTER_MAX_PER_ADDRESS": "100000",
        }
        log_path = ARTIFACTS_DIR / f"ops-server-{worker_id}.log"
        data_dir = tmp_path_factory.mktemp("ops-server")
        with running_server(data_dir, log_path=log_path, extra_env=env) as server:
            yield server


def sign_up(page: Page) -> str:
    email = f"ops-{uuid.uuid4().hex[:12]}@example.org"
    page.goto("/register")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Name").fill("Operator")
    page.get_by_label("Country").select_option("GB")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("/")
    return email


def test_an_operator_refreshes_and_sees_progress_and_the_new_last_update(
    new_page: NewPage, live_server: LiveServer
) -> None:
    page = new_page(viewport=PHONE)
    email = sign_up(page)
    live_server.cli("users", "grant-operator", email)
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_text("Menu").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Operations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Operations")
    last_update = page.locator("#last-update")
    expect(last_update).to_have_text("never")
    assert_no_serious_violations(page)

    # Every text the status line shows, recorded as it changes (a refresh may be quick).
    page.evaluate(RECORD_STATUS)
    with page.expect_response("**/api/inventory/refresh") as posted:
        page.get_by_role("button", name="Refresh").click()
    assert posted.value.status == 202
    status = page.locator("#refresh-text")
    expect(status).to_have_text(
        re.compile(r"^The last refresh finished at \d{4}-.*inventory$"), timeout=REFRESH_TIMEOUT_MS
    )
    shown: list[str] = page.evaluate("window.statusTexts")
    assert shown[0] == "Starting the refresh…"
    for text in shown[1:-1]:
        done, of = PROGRESS.fullmatch(text).groups()  # type: ignore[union-attr]
        assert of == "?" or int(done) <= int(of)
    meta = page.request.get("/api/inventory/metadata").json()
    total = meta["refresh"]["total"]
    assert total > 1
    assert meta["refresh"]["done"] == total
    progress = page.locator("#refresh-progress")
    expect(progress).to_have_attribute("value", str(total))
    expect(progress).to_have_attribute("max", str(total))
    expect(last_update).to_have_text(re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    save_screenshot(page, "ops-after-refresh-phone")

    page.get_by_role("link", name="Show the new findings and inventory").click()
    expect(last_update).to_have_text(re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$"))
    row = page.locator("table.ops-inventory tbody tr").first
    expect(row).to_contain_text(scene.ACCOUNT_A)
    expect(row).to_contain_text(scene.PRIMARY)


def test_a_normal_user_gets_a_404(new_page: NewPage, guard: NetworkGuard) -> None:
    page = new_page()
    sign_up(page)
    expect(page.get_by_role("link", name="Operations")).to_have_count(0)
    guard.expect_console_error(r"404")
    response = page.goto("/ops")
    assert response is not None
    assert response.status == 404
    expect(page.locator("body")).to_have_text('{"detail":"Not Found"}')
