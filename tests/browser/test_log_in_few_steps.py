"""Issue 13, "Done when": a new user logs a train trip, a return flight and a beef burger from
/log in under 6 interactions each, then sees each in /history and on the dashboard, at desktop
and at phone width (Debian's Chromium).

An interaction is one click, or typing into one field (however many keys), or one key press;
every step a test takes on the page goes through `Steps`, which counts them.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, ViewportSize, expect

from tests.browser.a11y import assert_no_serious_violations
from tests.browser.conftest import NewPage
from tests.browser.harness import DESKTOP, PHONE, save_screenshot

pytestmark = pytest.mark.e2e

MAX_INTERACTIONS = 5  # "under 6"
VIEWPORTS = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


@dataclass
class Steps:
    """What a person does on the page, counted."""

    page: Page
    count: int = 0

    def type(self, field: Locator, text: str) -> None:
        """Type into one field: one interaction, however long the text."""
        field.press_sequentially(text)
        self.count += 1

    def click(self, target: Locator) -> None:
        """One click (or tap)."""
        target.click()
        self.count += 1


@dataclass(frozen=True)
class Logged:
    """What should show afterwards: the activity, its kg on /history, its category's kg on /."""

    activity: str
    history_kg: str
    category: str
    dashboard_kg: str


def sign_up(page: Page) -> None:
    page.goto("/register")
    page.get_by_label("Email").fill(f"steps-{uuid.uuid4().hex[:12]}@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Name").fill("Few Steps")
    page.get_by_label("Country").select_option("GB")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("/")


def option(page: Page, name: str) -> Locator:
    """The combobox option whose name is exactly `name`."""
    exact = page.locator(".option-name", has_text=re.compile(rf"^{re.escape(name)}$"))
    return page.locator("#factor-options").get_by_role("option").filter(has=exact)


def open_log(new_page: NewPage, viewport: ViewportSize) -> tuple[Page, Steps]:
    page = new_page(viewport=viewport)
    sign_up(page)
    page.goto("/log")
    return page, Steps(page)


def check_everywhere(page: Page, logged: Logged, viewport: ViewportSize) -> None:
    """The entry is a row of /history and its kg the category's on the dashboard."""
    page.goto("/history")
    row = page.locator("tbody tr", has_text=logged.activity)
    expect(row).to_have_count(1)
    expect(row.locator('td[data-label="kg CO2e"]')).to_have_text(logged.history_kg)
    page.goto("/")
    category = page.locator(f'#category-table tr[data-category="{logged.category}"] td').first
    expect(category).to_have_text(logged.dashboard_kg)
    expect(page.get_by_text("1 entry logged")).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_train_50_km(new_page: NewPage, viewport: ViewportSize) -> None:
    page, steps = open_log(new_page, viewport)
    steps.type(page.get_by_role("combobox", name="Search activities"), "train 50 km")
    steps.click(option(page, "Train (national rail)"))
    expect(page.get_by_label("Unit")).to_have_value("km")
    steps.type(page.get_by_label("Quantity"), "50")
    # DEFRA 2020 national rail: 50 passenger km x 0.03694 kg CO2e = 1.847 kg.
    expect(page.locator("#preview")).to_contain_text("About 1.85 kg CO2e")
    steps.click(page.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".flash")).to_contain_text("50 km: 1.85 kg CO2e")
    assert steps.count <= MAX_INTERACTIONS, steps.count
    check_everywhere(page, Logged("Rail: national rail", "1.85", "transport", "1.8"), viewport)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_return_flight_lhr_jfk_in_economy(new_page: NewPage, viewport: ViewportSize) -> None:
    page, steps = open_log(new_page, viewport)
    steps.type(page.get_by_role("combobox", name="Search activities"), "flight")
    steps.click(option(page, "Flight"))
    expect(page.get_by_role("heading", name="2. Your flight")).to_be_visible()
    expect(page.get_by_role("combobox", name="From")).to_be_focused()
    expect(page.get_by_label("Return")).to_be_checked()  # the form's default
    expect(page.get_by_label("Cabin class")).to_have_value("economy")
    steps.type(page.get_by_role("combobox", name="From"), "LHR")
    steps.type(page.get_by_role("combobox", name="To"), "JFK")
    save_screenshot(page, f"log-flight-{viewport['width']}")
    steps.click(page.get_by_role("button", name="Save flight"))
    # LHR-JFK: 5,554.5 km great circle x 1.08 = 5,998.9 km, x 2 = 11,997.8 passenger-km;
    # x 0.14615 (DEFRA 2020 long haul, economy, with RF) = 1,753.48 kg.
    expect(page.locator(".flash")).to_contain_text("11997.8 km: 1,753 kg CO2e")
    assert steps.count <= MAX_INTERACTIONS, steps.count
    flight = "Flight, long-haul, to/from UK, economy class, with radiative forcing"
    check_everywhere(page, Logged(flight, "1,753", "flights", "1,753.5"), viewport)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_beef_burger(new_page: NewPage, viewport: ViewportSize) -> None:
    page, steps = open_log(new_page, viewport)
    steps.type(page.get_by_role("combobox", name="Search activities"), "beef burger")
    steps.click(option(page, "Beef"))
    portion = page.get_by_role("link", name="a quarter-pound beef burger patty (raw), 113.4 g")
    steps.click(portion)
    expect(page.get_by_label("Quantity")).to_have_value("113.4")
    expect(page.get_by_label("Unit")).to_have_value("g")
    # Poore & Nemecek (2018) beef herd: 0.1134 kg x 99.48 kg CO2e per kg = 11.281 kg.
    expect(page.locator("#preview")).to_contain_text("About 11.28 kg CO2e")
    expect(page.locator("#food-caveat")).to_have_text(
        "owid-poore-nemecek-2018 (CC-BY-4.0): global mean of many producers; the spread is wide."
    )
    save_screenshot(page, f"log-beef-burger-{viewport['width']}")
    steps.click(page.get_by_role("button", name="Save", exact=True))
    expect(page.locator(".flash")).to_contain_text("113.4 g: 11.28 kg CO2e")
    assert steps.count <= MAX_INTERACTIONS, steps.count
    check_everywhere(page, Logged("Beef (beef herd)", "11.28", "food", "11.3"), viewport)


def test_airport_combobox_and_server_preview(page: Page) -> None:
    sign_up(page)
    page.goto("/log?activity=flight")
    origin = page.get_by_role("combobox", name="From")
    origin.press_sequentially("heathrow")
    page.get_by_role("option", name=re.compile("LHR · London Heathrow Airport")).click()
    expect(origin).to_have_value("London Heathrow Airport (LHR)")
    destination = page.get_by_role("combobox", name="To")
    destination.press_sequentially("paris")
    first = page.locator("#to-options").get_by_role("option").first
    expect(first).to_contain_text("CDG · Charles de Gaulle")  # a city's airports, by code
    destination.press("ArrowDown")
    expect(destination).to_have_attribute("aria-activedescendant", "to-options-0")
    destination.press("Enter")
    expect(destination).to_have_value("Charles de Gaulle International Airport (CDG)")
    page.get_by_label("One way").check()
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#flight-preview")
    expect(preview).to_contain_text("short haul (to or from the UK, up to 3,700 km)")
    expect(preview).to_contain_text(
        "includes the warming effect of contrails and other non-CO2 effects (radiative forcing)"
    )
    assert_no_serious_violations(page)
