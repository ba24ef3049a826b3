"""The issue's done-when walk, end to end in Debian's Chromium against a real server.

Sign up -> log three activities of different categories (by keyboard, by mouse, on a phone)
-> the dashboard's totals, table and charts reflect them -> edit one -> delete one -> a CSV
with one bad row is refused as a whole -> set a goal and see its progress -> log out; then a
second user sees none of it. Every page visited passes the axe check; the dashboard, log form
and history are saved as screenshots at desktop and phone widths (test-artifacts/browser/).
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import FilePayload, Page, expect

from carbontrack.web.app.dashboard import kg
from carbontrack.web.app.entry_form import format_kg
from tests.browser.a11y import assert_no_serious_violations
from tests.browser.harness import (
    DESKTOP,
    PHONE,
    NetworkGuard,
    save_screenshot,
    search_activities,
)

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough password"
CAR = "Average car, petrol, per vehicle km"
GRID = "UK grid electricity (direct combustion at generation, excl. T&D losses), per kWh"
FLIGHT = "Flight, short-haul, to/from UK, economy class, with radiative forcing, per passenger km"
GOAL_KG = 500.0
# The footprint, then the km an average petrol car drives for it (domain/equivalents.py).
PREVIEW = re.compile(r"^About ([\d,.]+) kg CO2e(?: \(≈ [\d,.]+ km in an average petrol car\))?$")
CSV = (
    "timestamp,quantity,unit,factorId,note\n"
    "2026-01-05T08:00:00Z,10,km,defra:ghg-cf-2020:passenger-vehicles.cars-by-size.average-car"
    ".petrol,fine row\n"
    "2026-01-06T08:00:00Z,lots,kWh,defra:ghg-cf-2020:uk-electricity.electricity-generated"
    ".electricity-uk,bad row\n"
)


def sign_up(page: Page, name: str) -> None:
    page.goto("/register")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_serious_violations(page)
    page.get_by_label("Email").fill(f"walk-{uuid.uuid4().hex[:12]}@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Country").select_option("GB")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("/")
    expect(page.get_by_role("status")).to_contain_text(f"Welcome to CarbonTrack, {name}")


def go_to(page: Page, link: str, heading: str) -> None:
    """Follow a link of the main navigation and check the page's one <h1>."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name=link, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def choose_by_keyboard(page: Page, query: str, activity: str) -> None:
    box, names = search_activities(page, query, activity)
    for _ in range(names.index(activity) + 1):
        box.press("ArrowDown")
    active = page.locator(f"#{box.get_attribute('aria-activedescendant')}")
    expect(active.locator(".option-name")).to_have_text(activity)
    box.press("Enter")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#chosen-activity")).to_contain_text(activity)


def choose_by_mouse(page: Page, query: str, activity: str) -> None:
    box, names = search_activities(page, query, activity)
    page.get_by_role("option").nth(names.index(activity)).click()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#chosen-activity")).to_contain_text(activity)


def fill_quantity(page: Page, quantity: str, *, keyboard: bool) -> str:
    """Type the quantity and return the live preview's kg CO2e as the page shows it."""
    box = page.get_by_label("Quantity")
    if keyboard:
        expect(box).to_be_focused()  # choosing an activity moves on to the quantity
        box.press_sequentially(quantity)
    else:
        box.fill(quantity)
    preview = page.locator("#preview")
    expect(preview).to_have_text(PREVIEW)
    found = PREVIEW.match(preview.text_content() or "")
    assert found is not None
    return found.group(1)


def save(page: Page, activity: str, preview_kg: str, *, keyboard: bool) -> None:
    """Save the entry; the saved footprint is the one the preview showed."""
    if keyboard:
        page.get_by_label("Quantity").press("Enter")
    else:
        page.get_by_role("button", name="Save").click()
    page.wait_for_url("/log")
    flash = page.locator(".flash")
    expect(flash).to_contain_text(f"Saved: {activity}")
    expect(flash).to_contain_text(f": {preview_kg} kg CO2e")


def history_rows(page: Page, count: int) -> dict[str, tuple[str, str]]:
    """History's `count` rows as {activity: (category, kg CO2e as shown)}."""
    rows = page.locator("table.history-table tbody tr")
    expect(rows).to_have_count(count)
    shown: dict[str, tuple[str, str]] = {}
    for row in rows.all():
        activity = row.locator('td[data-label="Activity"]').inner_text().strip()
        category = row.locator('td[data-label="Category"]').inner_text().strip()
        co2e = row.locator('td[data-label="kg CO2e"]').inner_text().strip()
        shown[activity] = (category, co2e)
    return shown


def dashboard_data(page: Page) -> dict[str, Any]:
    """The numbers the page hands to charts.js, once both charts are drawn from them."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Your footprint")
    page.wait_for_function(
        """() => window.Chart
            && Chart.getChart(document.getElementById('trend-chart'))
            && Chart.getChart(document.getElementById('category-chart'))"""
    )
    data: dict[str, Any] = json.loads(page.locator("#dashboard-data").text_content() or "")
    return data


def assert_dashboard_matches(page: Page, history: dict[str, tuple[str, str]]) -> dict[str, float]:
    """Totals, category table and both charts agree with history; returns kg by category."""
    data = dashboard_data(page)
    categories = data["categories"]
    by_label = dict(zip(categories["labels"], categories["kg"], strict=True))
    # One entry per category: each category's kg is that entry's saved footprint.
    assert sorted(by_label) == sorted(category for category, _ in history.values())
    for category, co2e in history.values():
        assert format_kg(by_label[category]) == co2e, (category, by_label, history)
    total = sum(by_label.values())
    shown_sum = sum(float(co2e.replace(",", "")) for _, co2e in history.values())
    assert abs(total - shown_sum) <= 0.005 * len(history), (total, shown_sum)

    month_card = page.locator(".summary-card").filter(
        has=page.get_by_role("heading", name="This month", exact=True)
    )
    expect(month_card.locator(".figure")).to_have_text(f"{kg(total)} kg CO2e")
    expect(page.locator("#category-table tfoot td").first).to_have_text(kg(total))
    table = page.locator("#category-table tbody tr")
    expect(table.locator("th")).to_have_text(categories["labels"])
    expect(table.locator("td:nth-of-type(1)")).to_have_text([kg(v) for v in categories["kg"]])

    month = data["trend"]["series"]["month"]
    assert month["kg"][-1] == pytest.approx(total)
    drawn_categories = page.evaluate(
        """() => {
            const chart = Chart.getChart(document.getElementById('category-chart'));
            return {labels: chart.data.labels, kg: chart.data.datasets[0].data};
        }"""
    )
    assert drawn_categories == {"labels": categories["labels"], "kg": categories["kg"]}
    drawn_trend = page.evaluate(
        "() => Chart.getChart(document.getElementById('trend-chart')).data.datasets[0].data"
    )
    selected = data["trend"]["series"][data["trend"]["selected"]]
    assert drawn_trend == selected["kg"]
    assert drawn_trend[-1] == pytest.approx(total)
    return by_label


def phone_check(page: Page, name: str) -> None:
    """At 375 px: no sideways scroll, axe-clean; save the screenshot `<name>-phone`."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a phone"
    assert_no_serious_violations(page)
    save_screenshot(page, f"{name}-phone")


def test_the_done_when_walk(page: Page, guard: NetworkGuard) -> None:
    guard.expect_console_error("422")  # the refused CSV import's status, logged by Chromium
    guard.expect_console_error("404")  # the second user's look at the first user's entry
    page.emulate_media(reduced_motion="reduce")  # charts draw at once: steady screenshots

    # 1. Sign up through the form; a new user gets an empty state that says what to do.
    sign_up(page, "Walker One")
    expect(page.get_by_role("heading", name="Log your first activity")).to_be_visible()
    assert_no_serious_violations(page)

    # 2. Log three activities of different categories: by keyboard, by mouse, on a phone.
    go_to(page, "Log", "Log an activity")
    assert_no_serious_violations(page)
    choose_by_keyboard(page, "petrol car", CAR)
    car_kg = fill_quantity(page, "40", keyboard=True)
    save_screenshot(page, "walk-log-form-desktop")
    save(page, CAR, car_kg, keyboard=True)

    choose_by_mouse(page, "uk grid electricity", GRID)
    grid_kg = fill_quantity(page, "100", keyboard=False)
    assert_no_serious_violations(page)
    save(page, GRID, grid_kg, keyboard=False)

    page.set_viewport_size(PHONE)
    choose_by_keyboard(page, "short haul economy", FLIGHT)
    flight_kg = fill_quantity(page, "300", keyboard=True)
    phone_check(page, "walk-log-form")
    save(page, FLIGHT, flight_kg, keyboard=True)
    page.set_viewport_size(DESKTOP)
    expect(page.get_by_role("list", name="Recent").get_by_role("link")).to_have_count(3)

    # History shows what was saved, one category each.
    go_to(page, "History", "History")
    history = history_rows(page, 3)
    assert {activity: co2e for activity, (_, co2e) in history.items()} == {
        CAR: car_kg,
        GRID: grid_kg,
        FLIGHT: flight_kg,
    }
    assert len({category for category, _ in history.values()}) == 3, history
    assert_no_serious_violations(page)
    save_screenshot(page, "walk-history-desktop")
    page.set_viewport_size(PHONE)
    phone_check(page, "walk-history")
    page.set_viewport_size(DESKTOP)

    # 3. The dashboard's totals, category table and charts are those three entries.
    go_to(page, "Dashboard", "Your footprint")
    by_category = assert_dashboard_matches(page, history)
    assert_no_serious_violations(page)
    save_screenshot(page, "walk-dashboard-desktop")
    page.set_viewport_size(PHONE)
    page.reload()  # the charts take their size when drawn
    dashboard_data(page)
    phone_check(page, "walk-dashboard")
    page.set_viewport_size(DESKTOP)
    car_exact = by_category[history[CAR][0]]

    # 4. Edit one: twice the distance, twice the footprint, and the total follows.
    go_to(page, "History", "History")
    page.get_by_role("link", name=re.compile(f"^Edit {re.escape(CAR)}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit entry")
    quantity = page.get_by_label("Quantity")
    expect(quantity).to_have_value("40")
    assert_no_serious_violations(page)
    quantity.fill("80")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url("/history")
    expect(page.locator(".flash")).to_have_text(
        f"Saved your changes to {CAR}: {format_kg(car_exact * 2)} kg CO2e."
    )
    rows = page.locator("table.history-table tbody tr")
    expect(rows.filter(has_text=CAR)).to_contain_text("80 km")
    history = history_rows(page, 3)
    go_to(page, "Dashboard", "Your footprint")
    edited = assert_dashboard_matches(page, history)
    assert edited[history[CAR][0]] == pytest.approx(2 * car_exact)
    assert sum(edited.values()) == pytest.approx(sum(by_category.values()) + car_exact)

    # 5. Delete one, after a confirmation page.
    go_to(page, "History", "History")
    page.get_by_role("link", name=re.compile(f"^Delete {re.escape(GRID)}")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete this entry?")
    expect(page.locator("main")).to_contain_text(f"{grid_kg} kg CO2e")
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Delete entry").click()
    page.wait_for_url("/history")
    expect(page.locator(".flash")).to_contain_text(f"Deleted {GRID}")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text=GRID)).to_have_count(0)
    history = history_rows(page, 2)
    first_entry_edit = page.get_by_role("link", name=re.compile(f"^Edit {re.escape(CAR)}"))
    edit_path = (first_entry_edit.get_attribute("href") or "").split("?")[0]
    assert re.fullmatch(r"/history/[^/]+/edit", edit_path), edit_path

    # 6. A CSV with one bad row: the error names the row and nothing is imported.
    page.get_by_role("button", name="Import CSV").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import entries from CSV")
    page.get_by_label("CSV file").set_input_files(
        files=FilePayload(name="walk.csv", mimeType="text/csv", buffer=CSV.encode())
    )
    page.get_by_role("button", name="Import").click()
    problem = page.get_by_role("alert").filter(has_text="Nothing was imported")
    expect(problem).to_contain_text("Nothing was imported from walk.csv")
    expect(problem).to_contain_text("1 row has an error")
    expect(problem.locator("tbody tr")).to_have_count(1)
    expect(problem.locator("tbody tr td")).to_have_text(
        ["3", "quantity", re.compile("quantity 'lots' is not a number")]
    )
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Back to history").click()
    page.wait_for_url("/history")
    # All or nothing: the good row was not saved either.
    assert history_rows(page, 2) == history
    go_to(page, "Dashboard", "Your footprint")
    remaining_total = sum(assert_dashboard_matches(page, history).values())

    # 7. Set a goal for the whole footprint and see its progress.
    go_to(page, "Goals", "Goals")
    expect(page.get_by_role("heading", name="No goals yet")).to_be_visible()
    assert_no_serious_violations(page)
    page.get_by_label("Kind of goal").select_option("budget")
    page.get_by_label("Budget (kg CO2e per period)").fill(f"{GOAL_KG:g}")
    page.get_by_label("Period", exact=True).select_option("month")
    page.get_by_role("button", name="Set goal").click()
    page.wait_for_url("/goals")
    expect(page.get_by_role("status")).to_contain_text("Goal set.")
    goal = page.locator("article.goal")
    expect(goal.get_by_role("heading")).to_have_text(
        f"Monthly budget of {GOAL_KG:g} kg CO2e · Whole footprint"
    )
    percent = remaining_total / GOAL_KG * 100
    expect(goal.locator(".goal-progress")).to_have_text(
        f"{kg(remaining_total)} kg of {kg(GOAL_KG)} kg CO2e this month ({percent:,.0f}%)"
    )
    value = float(goal.get_by_role("progressbar").get_attribute("value") or "nan")
    assert value == pytest.approx(percent)
    assert_no_serious_violations(page)

    # 8. Log out: the pages are closed to a visitor again.
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("/login")
    expect(page.get_by_role("status")).to_contain_text("You are logged out.")
    assert_no_serious_violations(page)
    page.goto("/history")
    page.wait_for_url("/login?next=%2Fhistory")

    # 9. A second user sees none of the first user's data.
    sign_up(page, "Walker Two")
    expect(page.get_by_role("heading", name="Log your first activity")).to_be_visible()
    expect(page.locator("#category-table")).to_have_count(0)
    expect(page.locator("#dashboard-data")).to_have_count(0)
    expect(page.locator("article.goal")).to_have_count(0)
    assert_no_serious_violations(page)
    go_to(page, "History", "History")
    expect(page.get_by_role("heading", name="Nothing logged yet")).to_be_visible()
    expect(page.locator("table.history-table")).to_have_count(0)
    assert_no_serious_violations(page)
    go_to(page, "Goals", "Goals")
    expect(page.get_by_role("heading", name="No goals yet")).to_be_visible()
    expect(page.locator("article.goal")).to_have_count(0)
    assert_no_serious_violations(page)
    response = page.goto(edit_path)
    assert response is not None
    assert response.status == 404
    expect(page.get_by_label("Quantity")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text(CAR)
    assert_no_serious_violations(page)
