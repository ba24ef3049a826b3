"""Phone first, at 375 px in Debian's Chromium: the tab bar, one-tap re-log, leaderboard cards,
an invite link joined by a second user, and the browser's time zone preselected."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_no_serious_violations
from tests.browser.conftest import NewPage
from tests.browser.harness import PHONE, save_screenshot
from tests.browser.test_goals_and_teams import log_car_km

pytestmark = pytest.mark.e2e
PASSWORD = "a long enough password"
MIN_NAME_WIDTH_PX = 120  # a name squeezed to one letter per line is about 10 px wide


def sign_up(page: Page, *, name: str) -> None:
    """Sign up through the form (keeping the zone the page preselected)."""
    page.goto("/register")
    page.get_by_label("Email").fill(f"phone-{uuid.uuid4().hex[:12]}@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("/")


def test_the_tab_bar_plus_opens_the_log_and_a_recent_activity_is_one_tap(
    new_page: NewPage,
) -> None:
    page = new_page(viewport=PHONE)
    sign_up(page, name="Phone User")
    tabs = page.get_by_role("navigation", name="Tabs")
    expect(tabs).to_be_visible()
    expect(tabs.get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    assert_no_serious_violations(page)
    log_car_km(page, 12)
    tabs.get_by_role("link", name="Log an activity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log an activity")
    again = page.get_by_role("button", name="Log again").first
    expect(again).to_be_in_viewport()  # no scrolling: the shortcuts come first on a phone
    again.click()
    expect(page.locator(".flash-messages")).to_contain_text("Saved: Average car, petrol")
    assert_no_serious_violations(page)
    tabs.get_by_text("More").click()
    tabs.get_by_role("link", name="Teams").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teams")
    save_screenshot(page, "phone-tab-bar")


def test_the_tab_bar_is_hidden_on_a_desktop(page: Page) -> None:
    sign_up(page, name="Desk User")
    expect(page.get_by_role("navigation", name="Tabs")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()


def test_a_second_user_joins_by_the_invite_link_and_the_board_is_cards(
    new_page: NewPage,
) -> None:
    owner = new_page(viewport=PHONE)
    sign_up(owner, name="Team Owner With A Long Name")
    log_car_km(owner, 100)
    owner.goto("/teams")
    owner.get_by_label("Team name").fill("Night Riders")
    owner.get_by_role("button", name="Create team").click()
    link = owner.get_by_label("Invite link").input_value()
    expect(owner.locator("svg.invite-qr")).to_be_visible()
    assert_no_serious_violations(owner)

    other = new_page(viewport=PHONE)
    other.goto(link)  # a visitor: log in or sign up, then back to the invite
    other.get_by_role("link", name="Create an account").click()
    other.get_by_label("Email").fill(f"phone-{uuid.uuid4().hex[:12]}@example.org")
    other.get_by_label("Password", exact=True).fill(PASSWORD)
    other.get_by_label("Name").fill("Second Rider")
    other.get_by_role("button", name="Create account").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Join “Night Riders”")
    assert_no_serious_violations(other)
    other.get_by_role("button", name="Join Night Riders").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Night Riders")
    expect(other.locator(".flash-messages")).to_contain_text("You joined “Night Riders”.")

    cards = other.locator(".leaderboard-cards .leaderboard-name")
    expect(cards).to_have_count(2)
    expect(other.locator("table.leaderboard")).to_be_hidden()
    for index in range(2):
        box = cards.nth(index).bounding_box()
        assert box is not None
        assert box["width"] > MIN_NAME_WIDTH_PX
    assert_no_serious_violations(other)
    save_screenshot(other, "phone-team")


def test_the_browser_time_zone_is_preselected_and_the_list_filters(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE, timezone_id="Asia/Kolkata")
    page.goto("/register")
    zone = page.get_by_label("Time zone")
    expect(zone).to_have_value("Asia/Kolkata")
    assert_no_serious_violations(page)
    page.get_by_label("Find your zone by city or region").fill("new york")
    expect(zone.locator("option")).to_have_count(1)
    expect(zone).to_have_value("America/New_York")
    page.get_by_label("Find your zone by city or region").fill("")
    assert zone.locator("option").count() == 419  # zone.tab's 418 zones and UTC
    assert zone.locator("option[value='ROK']").count() == 0
