"""Log an everyday activity from /log in plain words (issue 13), in Debian's Chromium."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_no_serious_violations
from tests.browser.harness import PHONE, save_screenshot, search_activities

pytestmark = pytest.mark.e2e

RAIL_ID = "defra:ghg-cf-2020:business-travel-land.rail.national-rail"


def sign_up(page: Page) -> None:
    page.goto("/register")
    page.get_by_label("Email").fill(f"words-{uuid.uuid4().hex[:12]}@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Name").fill("Plain Words")
    page.get_by_label("Country").select_option("GB")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("/")


def test_log_train_50_km_in_plain_words(page: Page) -> None:
    sign_up(page)
    page.goto("/log")
    search, names = search_activities(page, "trian", "Train (national rail)")
    assert names[0] == "Train (national rail)"  # the typo still finds it, first
    search.press("ArrowDown")
    search.press("Enter")
    expect(page.locator("#factor-id")).to_have_value(RAIL_ID)
    expect(page.locator("#chosen-activity")).to_contain_text(
        "Train (national rail): Rail: national rail"
    )
    expect(page.get_by_label("Unit")).to_have_value("km")
    quantity = page.get_by_label("Quantity")
    expect(quantity).to_be_focused()
    quantity.press_sequentially("50")
    # DEFRA 2020 national rail: 50 passenger km x 0.03694 kg CO2e = 1.847 kg.
    expect(page.locator("#preview")).to_have_text(
        "About 1.85 kg CO2e (≈ 11 km in an average petrol car)"
    )
    quantity.press("Enter")
    page.wait_for_url("/log")
    expect(page.locator(".flash")).to_contain_text("Saved: Rail: national rail")
    expect(page.locator(".flash")).to_contain_text("50 km: 1.85 kg CO2e")


def test_no_match_is_visible_and_the_categories_browse(page: Page) -> None:
    sign_up(page)
    page.set_viewport_size(PHONE)
    page.goto("/log")
    page.get_by_role("combobox", name="Search activities").press_sequentially("zeppelin")
    expect(page.locator("#no-match")).to_be_visible()
    expect(page.locator("#no-match")).to_have_text(
        "Nothing matches “zeppelin”. Try other words, or browse a category below."
    )
    assert_no_serious_violations(page)
    save_screenshot(page, "log-no-match-phone")
    page.get_by_role("link", name="Heating", exact=True).click()
    page.wait_for_url("/log?category=heating")
    page.get_by_role("link", name="Gas heating", exact=True).click()
    # The gas form is a new page: measure it once it has loaded with its stylesheets, not
    # while the browser is still laying it out without them (a 1,014 px width seen once).
    page.wait_for_url("**/log?factor=*")
    page.wait_for_load_state("load")
    expect(page.get_by_label("Unit")).to_have_value("kWh")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
