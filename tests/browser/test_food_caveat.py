"""The food caveat next to every food number (Debian's Chromium, desktop and phone): a beef
burger logged from /log shows its dataset, licence and "global mean ... the spread is wide" in
/history's row and under the dashboard's breakdown, with the longer wording as its title."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.a11y import assert_no_serious_violations
from tests.browser.conftest import NewPage
from tests.browser.test_log_in_few_steps import VIEWPORTS, sign_up

pytestmark = pytest.mark.e2e

BEEF = "owid:poore-nemecek-2018:beef-beef-herd"
SHORT = "owid-poore-nemecek-2018 (CC-BY-4.0): global mean of many producers; the spread is wide."


def fits(page: Page, viewport: ViewportSize) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_history_and_dashboard_show_the_food_caveat(
    new_page: NewPage, viewport: ViewportSize
) -> None:
    page = new_page(viewport=viewport)
    sign_up(page)
    page.goto(f"/log?factor={BEEF}&quantity=125&unit=g")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("125 g")
    page.goto("/history")
    note = page.locator("tbody tr", has_text="Beef").locator(".food-caveat")
    expect(note).to_have_text(SHORT)
    expect(note).to_be_visible()
    expect(note).to_have_attribute("title", re.compile(r"varies many-fold between producers"))
    fits(page, viewport)
    page.goto("/")
    expect(page.locator("#food-caveat")).to_have_text(f"Food: {SHORT}")
    expect(page.locator("#food-caveat")).to_be_visible()
    assert_no_serious_violations(page)
    fits(page, viewport)
