"""Issue 15, "Done when": a visitor goes from `/` to a baseline footprint in at most 15
interactions, then logs a first activity from the "+" (Debian's Chromium, desktop and phone).

An interaction is one click, one field filled (however many keys) or one choice in a list;
`Steps` counts them. On a desktop the "+" of the phone's tab bar is hidden (app.css), so the
desktop run logs from the result page's "Log a first activity" link instead.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, ViewportSize, expect

from tests.browser.a11y import assert_no_serious_violations
from tests.browser.conftest import NewPage
from tests.browser.harness import DESKTOP, PHONE, NetworkGuard
from tests.browser.test_log_in_few_steps import option

pytestmark = pytest.mark.e2e

MAX_INTERACTIONS = 15
VIEWPORTS = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


@dataclass
class Steps:
    """What a person does on the page, counted."""

    count: int = 0

    def click(self, target: Locator) -> None:
        """One click (or tap)."""
        target.click()
        self.count += 1

    def fill(self, field: Locator, text: str) -> None:
        """Type into one field: one interaction."""
        field.fill(text)
        self.count += 1

    def choose(self, field: Locator, value: str) -> None:
        """Pick one answer from a list: one interaction."""
        field.select_option(value)
        self.count += 1


def no_sideways_scroll(page: Page, viewport: ViewportSize) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} is {width} px wide"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_from_the_front_door_to_a_baseline_then_a_first_activity(
    new_page: NewPage, viewport: ViewportSize
) -> None:
    page = new_page(viewport=viewport)
    steps = Steps()
    page.goto("/")
    steps.click(page.get_by_role("button", name="Create an account"))
    steps.fill(page.get_by_label("Email"), f"start-{uuid.uuid4().hex[:12]}@example.org")
    steps.fill(page.get_by_label("Password", exact=True), "a long enough password")
    steps.fill(page.get_by_label("Name"), "New Comer")
    steps.choose(page.get_by_label("Country"), "GB")
    steps.click(page.get_by_role("button", name="Create account"))

    page.wait_for_url("/start")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your baseline footprint")
    expect(page.get_by_role("status")).to_contain_text("First, a few questions")
    no_sideways_scroll(page, viewport)
    assert_no_serious_violations(page)
    steps.choose(page.get_by_label("How big is your home?"), "medium")
    steps.choose(page.get_by_label("How is your home heated?"), "gas")
    steps.fill(page.get_by_label("How many people live in your home?"), "2")
    steps.choose(page.get_by_label("Which best describes your diet?"), "vegetarian")
    steps.click(page.get_by_role("button", name="See my footprint"))

    page.wait_for_url("/start/result")
    assert steps.count <= MAX_INTERACTIONS, steps.count
    expect(page.get_by_role("heading", level=1)).to_have_text("Your estimated footprint")
    # Ofgem TDCV medium gas 11,500 kWh, half each, x 0.18387 (DEFRA 2020) = 1,057.25 kg;
    # Scarborough et al. 2014, vegetarians 3.81 kg a day x 365 = 1,390.65 kg.
    table = page.locator("#baseline-categories")
    expect(table.locator('tr[data-category="heating"] td')).to_have_text("1,057")
    expect(table.locator('tr[data-category="food"] td')).to_have_text("1,391")
    expect(page.get_by_text("not purchases, services or public services")).to_be_visible()
    no_sideways_scroll(page, viewport)
    assert_no_serious_violations(page)

    if viewport == PHONE:
        tabs = page.get_by_role("navigation", name="Tabs")
        tabs.get_by_role("link", name="Log an activity").click()
    else:
        page.get_by_role("link", name="Log a first activity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log an activity")
    page.get_by_role("combobox", name="Search activities").press_sequentially("train 50 km")
    option(page, "Train (national rail)").click()
    page.get_by_label("Quantity").fill("50")
    page.get_by_role("button", name="Save", exact=True).click()
    # DEFRA 2020 national rail: 50 passenger km x 0.03694 kg CO2e = 1.847 kg.
    expect(page.locator(".flash")).to_contain_text("50 km: 1.85 kg CO2e")

    page.goto("/")
    row = page.locator('#estimate-table tr[data-category="transport"] td')
    expect(row.nth(1)).to_have_text("1.8")  # logged so far
    expect(page.locator("#budget-card .figure")).to_contain_text("%")
    no_sideways_scroll(page, viewport)
    assert_no_serious_violations(page)


def test_errors_on_start_are_next_to_their_question_and_axe_clean(
    page: Page, guard: NetworkGuard
) -> None:
    guard.expect_console_error("status of 422")  # the refused form's status, logged by Chromium
    page.goto("/register?next=/start")
    page.get_by_label("Email").fill(f"start-{uuid.uuid4().hex[:12]}@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Name").fill("Error Prone")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("/start")
    page.get_by_role("button", name="See my footprint").click()
    expect(page.locator(".error-summary")).to_contain_text("There is a problem")
    expect(page.locator("#f-household_size-error")).to_have_text(
        "Enter a whole number from 1 to 20."
    )
    expect(page.locator("#f-diet-error")).to_have_text("Choose one of the answers.")
    assert_no_serious_violations(page)
