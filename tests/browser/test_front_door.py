"""The front door in Chromium: "Try the demo" at desktop and phone width, and the offline banner.

The demo test also takes the README's pictures: the front door (docs/images/front-door.png and
front-door-phone.png, taken before the click) and, at phone width, the demo's dashboard it lands
on (docs/images/phone-dashboard.png). They are written into docs/images/ only when
`UPDATE_DOCS_IMAGES=1` is set, so a test run leaves the repository as it found it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.a11y import assert_no_serious_violations
from tests.browser.conftest import NewPage
from tests.browser.harness import DESKTOP, PHONE, NetworkGuard

pytestmark = pytest.mark.e2e

DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
UPDATE_IMAGES = os.environ.get("UPDATE_DOCS_IMAGES") == "1"
OFFLINE = "You're offline: CarbonTrack can't reach its server."


@pytest.mark.parametrize(
    ("viewport", "picture"),
    [(DESKTOP, "front-door.png"), (PHONE, "front-door-phone.png")],
    ids=["desktop", "phone"],
)
def test_a_visitor_tries_the_demo(
    new_page: NewPage, viewport: ViewportSize, picture: str, tmp_path: Path
) -> None:
    images = DOCS_IMAGES if UPDATE_IMAGES else tmp_path
    page = new_page(viewport=viewport)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Know your carbon footprint")
    expect(page.get_by_role("button", name="Create an account")).to_be_visible()
    expect(page.get_by_role("link", name="map of CO2 anomalies")).to_be_visible()
    no_sideways_scroll(page)
    assert_no_serious_violations(page)
    page.screenshot(path=images / picture, full_page=False)

    page.get_by_role("button", name="Try the demo").click()
    expect(page.get_by_role("heading", name="Your footprint", level=1)).to_be_visible()
    expect(page.locator(".flash-messages")).to_contain_text("a year of made-up activity")
    # services/demo.py logs electricity, gas and water on the 1st of every month, so this
    # month always has at least those three categories.
    rows = page.locator("#category-table tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 3
    if viewport == PHONE:  # the README's phone view: the first screen, tab bar at the bottom
        page.screenshot(path=images / "phone-dashboard.png", full_page=False)


def test_the_banner_says_when_the_server_is_out_of_reach(page: Page, guard: NetworkGuard) -> None:
    page.goto("/")
    banner = page.locator("#offline-banner")
    expect(banner).to_be_hidden()
    page.context.set_offline(True)
    expect(page.get_by_role("alert")).to_contain_text(OFFLINE)
    expect(banner).to_be_visible()
    page.context.set_offline(False)
    expect(banner).to_be_hidden()

    # The browser thinks it is online, but a request to the server fails: the banner shows too.
    guard.expect_console_error("net::ERR_FAILED")
    page.route("**/api/health", lambda route: route.abort())
    page.evaluate("() => fetch('/api/health').catch(() => null)")
    expect(banner).to_contain_text(OFFLINE)
    page.unroute("**/api/health")
    page.evaluate("() => fetch('/api/health')")
    expect(banner).to_be_hidden()


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls {overflow} px sideways"
