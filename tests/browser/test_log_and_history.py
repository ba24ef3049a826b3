"""Log activities by keyboard, then edit, delete and import them, in Debian's Chromium."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_no_serious_violations
from tests.browser.harness import PHONE, NetworkGuard, save_screenshot, search_activities

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough password"
CAR = "Average car, petrol, per vehicle km"
GRID = "UK grid electricity (direct combustion at generation, excl. T&D losses), per kWh"
FLIGHT = "Flight, short-haul, to/from UK, economy class, with radiative forcing, per passenger km"
PETROL_CAR_ID = "defra:ghg-cf-2020:passenger-vehicles.cars-by-size.average-car.petrol"
UK_GRID_ID = "defra:ghg-cf-2020:uk-electricity.electricity-generated.electricity-uk"


def sign_up(page: Page) -> None:
    page.goto("/register")
    page.get_by_label("Email").fill(f"log-{uuid.uuid4().hex[:12]}@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Name").fill("Keyboard Kim")
    page.get_by_label("Country").select_option("GB")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("/")


def choose_by_keyboard(page: Page, query: str, activity: str) -> None:
    """Type into the combobox, arrow down to `activity` and press Enter."""
    search, names = search_activities(page, query, activity)
    listbox = page.get_by_role("listbox", name="Matching activities")
    for _ in range(names.index(activity) + 1):
        search.press("ArrowDown")
    active = page.locator(f"#{search.get_attribute('aria-activedescendant')}")
    expect(active).to_have_attribute("aria-selected", "true")
    expect(active.locator(".option-name")).to_have_text(activity)
    search.press("Enter")
    expect(listbox).to_be_hidden()
    expect(page.locator("#chosen-activity")).to_contain_text(activity)


def log_by_keyboard(page: Page, query: str, activity: str, quantity: str, preview: str) -> None:
    """Pick, type the quantity, see the preview, then save with Enter."""
    choose_by_keyboard(page, query, activity)
    quantity_box = page.get_by_label("Quantity")
    expect(quantity_box).to_be_focused()  # choosing moves on to the quantity
    quantity_box.press_sequentially(quantity)
    expect(page.locator("#preview")).to_have_text(preview)
    quantity_box.press("Enter")
    page.wait_for_url("/log")
    expect(page.locator(".flash")).to_contain_text(f"Saved: {activity}")


def test_log_by_keyboard_with_a_live_preview_then_edit_and_delete(
    page: Page, guard: NetworkGuard
) -> None:
    sign_up(page)
    page.goto("/log")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log an activity")
    assert_no_serious_violations(page)

    choose_by_keyboard(page, "petrol car", CAR)
    expect(page.locator("#factor-id")).to_have_value(PETROL_CAR_ID)
    expect(page.locator("#factor-licence")).to_have_text("OGL-UK-3.0")
    expect(page.locator("#factor-dataset")).to_have_text("defra-ghg-cf-2020, values for 2020")
    unit = page.get_by_label("Unit")
    expect(unit.locator("option")).to_have_text(["km", "miles", "metres"])
    page.get_by_label("Quantity").press_sequentially("12")
    expect(page.locator("#preview")).to_have_text(
        "About 2.09 kg CO2e (≈ 12 km in an average petrol car)"
    )  # 12 km
    unit.select_option("mile")
    expect(page.locator("#preview")).to_have_text(
        "About 3.37 kg CO2e (≈ 19 km in an average petrol car)"
    )  # 12 miles, converted: 19.31 km
    page.get_by_label("Note (optional)").fill("to the station")
    assert_no_serious_violations(page)
    save_screenshot(page, "log-form-desktop")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("/log")
    expect(page.locator(".flash")).to_have_text(
        "Saved: Average car, petrol, per vehicle km, 12 mile: 3.37 kg CO2e"
        " (≈ 19 km in an average petrol car)."
    )
    assert any("/estimate?" in url for url in guard.requests)

    log_by_keyboard(
        page,
        "uk grid electricity",
        GRID,
        "250",
        "About 58.29 kg CO2e (≈ 330 km in an average petrol car)",
    )
    log_by_keyboard(
        page,
        "short haul economy",
        FLIGHT,
        "900",
        "About 138 kg CO2e (≈ 790 km in an average petrol car)",
    )
    recent = page.get_by_role("list", name="Recent")
    expect(recent.get_by_role("link")).to_have_count(3)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="History").click()
    page.wait_for_url("/history")
    rows = page.locator("table.history-table tbody tr")
    expect(rows).to_have_count(3)
    assert_no_serious_violations(page)
    save_screenshot(page, "history-desktop")

    page.get_by_role("link", name=re.compile(f"^Edit {re.escape(CAR)}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit entry")
    expect(page.get_by_label("Quantity")).to_have_value("12")
    assert_no_serious_violations(page)
    page.get_by_label("Quantity").fill("20")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url("/history")
    expect(page.locator(".flash")).to_have_text(
        "Saved your changes to Average car, petrol, per vehicle km: 5.61 kg CO2e."
    )
    expect(rows.filter(has_text=CAR)).to_contain_text("20 mile")

    page.get_by_role("link", name=re.compile(f"^Delete {re.escape(GRID)}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete this entry?")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Keep it").click()
    page.wait_for_url("/history")
    expect(rows).to_have_count(3)
    page.get_by_role("link", name=re.compile(f"^Delete {re.escape(GRID)}")).click()
    page.get_by_role("button", name="Delete entry").click()
    page.wait_for_url("/history")
    expect(page.locator(".flash")).to_contain_text(f"Deleted {GRID}")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=GRID)).to_have_count(0)

    page.set_viewport_size(PHONE)
    page.goto("/history")
    assert_usable_on_a_phone(page)
    save_screenshot(page, "history-phone")
    page.goto("/log")
    # A shortcut fills in the activity, amount and unit as last logged; the preview follows.
    recent.get_by_role("link", name=re.compile(f"^{re.escape(CAR)}")).click()
    expect(page.get_by_label("Quantity")).to_have_value("20")
    expect(page.locator("#preview")).to_have_text(
        "About 5.61 kg CO2e (≈ 32 km in an average petrol car)"
    )
    assert_usable_on_a_phone(page)
    save_screenshot(page, "log-form-phone")


def assert_usable_on_a_phone(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px phone"
    assert_no_serious_violations(page)


def test_the_combobox_closes_on_escape_and_the_search_form_still_works(page: Page) -> None:
    sign_up(page)
    page.goto("/log")
    search = page.get_by_role("combobox", name="Search activities")
    search.press_sequentially("petrol car")
    listbox = page.get_by_role("listbox", name="Matching activities")
    expect(listbox).to_be_visible()
    expect(page.locator("#factor-search-status")).to_contain_text("activities found")
    search.press("Escape")
    expect(listbox).to_be_hidden()
    expect(search).to_have_attribute("aria-expanded", "false")
    search.press("Enter")  # no option active: the plain search form submits
    page.wait_for_url(re.compile(r"/log\?q=petrol\+car$"))
    page.get_by_role("link", name=CAR, exact=True).click()
    expect(page.locator("#factor-id")).to_have_value(PETROL_CAR_ID)
    expect(page.locator("#chosen-activity")).to_contain_text(CAR)


CSV_HEADER = "timestamp,quantity,unit,factorId,note\n"
CSV_ROWS = (
    f"2026-01-05T08:00:00Z,10,km,{PETROL_CAR_ID},to work\n"
    f"2026-01-06T08:00:00Z,250,kWh,{UK_GRID_ID},\n"
)


def upload(page: Page, text: str) -> None:
    page.get_by_label("CSV file").set_input_files(
        files=[{"name": "entries.csv", "mimeType": "text/csv", "buffer": text.encode()}]
    )
    page.get_by_role("button", name="Import").click()


def test_import_a_csv_with_one_bad_row_and_see_why(page: Page, guard: NetworkGuard) -> None:
    guard.expect_console_error("422")  # the refused import's status, logged by Chromium
    sign_up(page)
    page.goto("/history")
    page.get_by_role("button", name="Import CSV").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import entries from CSV")
    assert_no_serious_violations(page)

    upload(page, CSV_HEADER + CSV_ROWS.replace(",250,kWh,", ",lots,kWh,"))
    problem = page.get_by_role("alert").filter(has_text="Nothing was imported")
    expect(problem).to_contain_text("Nothing was imported from entries.csv")
    expect(problem).to_contain_text("1 row has an error")
    expect(problem.locator("tbody tr")).to_have_text(["3quantityquantity 'lots' is not a number"])
    assert_no_serious_violations(page)
    save_screenshot(page, "history-import-error")

    upload(page, CSV_HEADER + CSV_ROWS)
    page.wait_for_url("/history")
    expect(page.locator(".flash")).to_have_text("Imported 2 entries from entries.csv.")
    expect(page.locator("table.history-table tbody tr")).to_have_count(2)
