"""The dashboard in Debian's Chromium: figures, charts, the trend switch, phone width, axe."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from carbontrack.services import demo
from carbontrack.web.app.dashboard import kg
from tests.browser.a11y import assert_no_serious_violations
from tests.browser.conftest import NewPage
from tests.browser.harness import PHONE, NetworkGuard, save_screenshot
from tests.live import LiveServer

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"
THREE_CATEGORIES = (
    (demo.PETROL_CAR, 120.0, "km"),  # transport
    (demo.NATURAL_GAS, 300.0, "kWh"),  # heating
    (demo.SHORT_HAUL, 900.0, "km"),  # flights
)
# What the page's scripts do: the session cookie authenticates, the CSRF header comes from <meta>.
POST_ENTRY = """async (body) => {
  const token = document.querySelector('meta[name="csrf-token"]').content;
  const response = await fetch("/api/entries", {
    method: "POST",
    headers: {"Content-Type": "application/json", "X-CSRF-Token": token},
    body: JSON.stringify(body),
  });
  return response.status;
}"""
GET_JSON = "async (path) => (await fetch(path)).json()"
TREND = "() => Chart.getChart(document.getElementById('trend-chart'))"


def sign_up(page: Page) -> str:
    """Create an account through the form; the page ends on the dashboard."""
    email = f"dashboard-{uuid.uuid4().hex[:12]}@example.org"
    page.goto("/register")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Name").fill("Dana")
    page.get_by_label("Country").select_option("GB")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/$"))
    return email


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Your footprint")).to_be_visible()


def chart_value(page: Page, expression: str) -> Any:
    return page.evaluate(f"() => ({TREND})(){expression}")


def test_logged_activities_show_in_the_totals_and_charts(
    page: Page, new_page: NewPage, guard: NetworkGuard
) -> None:
    email = sign_up(page)
    expect(page.get_by_role("heading", name="Log your first activity")).to_be_visible()
    assert_no_serious_violations(page)
    for factor_id, quantity, unit in THREE_CATEGORIES:
        body = {"factorId": factor_id, "quantity": quantity, "unit": unit}
        assert page.evaluate(POST_ENTRY, body) == 201

    page.goto("/")
    stats = page.evaluate(GET_JSON, "/api/stats?period=month")
    heading = page.get_by_role("heading", name="This month", exact=True)
    this_month = page.locator(".summary-card").filter(has=heading)
    expect(this_month.locator(".figure")).to_have_text(f"{kg(stats['totalCo2eKg'])} kg CO2e")
    rows = page.locator("#category-table tbody tr")
    expect(rows).to_have_count(3)
    for category, co2e_kg in stats["byCategory"].items():
        row = page.locator(f'#category-table tr[data-category="{category}"]')
        expect(row.locator("td").first).to_have_text(kg(co2e_kg))
    expect(page.locator("#trend-chart")).to_be_visible()
    expect(page.locator("#category-chart")).to_be_visible()
    assert chart_value(page, ".data.datasets[0].data.at(-1)") == stats["totalCo2eKg"]
    category_chart = page.evaluate(
        "() => Chart.getChart(document.getElementById('category-chart')).data.datasets[0].data"
    )
    assert sorted(category_chart) == sorted(stats["byCategory"].values())
    save_screenshot(page, "dashboard-desktop")
    assert_no_serious_violations(page)

    phone = new_page(viewport=PHONE)
    sign_in(phone, email, PASSWORD)
    expect(phone.locator("#trend-chart")).to_be_visible()
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways at {PHONE['width']} px: {width}"
    save_screenshot(phone, "dashboard-phone")
    assert_no_serious_violations(phone)
    guard.assert_clean()


def test_the_trend_switch_redraws_in_place(page: Page, guard: NetworkGuard) -> None:
    sign_up(page)
    body = {"factorId": demo.PETROL_CAR, "quantity": 40.0, "unit": "km"}
    assert page.evaluate(POST_ENTRY, body) == 201
    page.goto("/")
    expect(page.locator("#trend-chart")).to_be_visible()
    assert chart_value(page, ".data.labels.length") == 12
    page.evaluate("() => { window.stayedOnThePage = true; }")

    page.get_by_role("link", name="Daily").click()
    expect(page.get_by_role("link", name="Daily")).to_have_attribute("aria-current", "true")
    expect(page.get_by_role("link", name="Monthly")).not_to_have_attribute("aria-current", "true")
    assert page.evaluate("() => window.stayedOnThePage") is True  # no reload
    assert chart_value(page, ".data.labels.length") == 30
    expect(page.locator("#trend-status")).to_contain_text("Daily, last 30 days")
    assert page.url.endswith("?trend=day#trend")
    page.locator("summary", has_text="The trend as a table").click()
    expect(page.locator('[data-trend-table="day"]')).to_be_visible()
    expect(page.locator('[data-trend-table="month"]')).to_be_hidden()

    page.reload()  # the address keeps the choice
    expect(page.get_by_role("link", name="Daily")).to_have_attribute("aria-current", "true")
    assert chart_value(page, ".data.labels.length") == 30
    guard.assert_clean()


def test_charts_do_not_animate_for_reduced_motion(page: Page, guard: NetworkGuard) -> None:
    page.emulate_media(reduced_motion="reduce")
    sign_up(page)
    body = {"factorId": demo.PETROL_CAR, "quantity": 40.0, "unit": "km"}
    assert page.evaluate(POST_ENTRY, body) == 201
    page.goto("/")
    expect(page.locator("#trend-chart")).to_be_visible()
    assert chart_value(page, ".options.animation") is False
    guard.assert_clean()


def test_the_demo_dashboard_at_desktop_and_phone_width(
    live_server: LiveServer, page: Page, new_page: NewPage, guard: NetworkGuard
) -> None:
    live_server.cli("demo")
    sign_in(page, demo.DEMO_EMAIL, demo.DEMO_PASSWORD)
    expect(page.locator("#category-table tbody tr")).not_to_have_count(0)
    expect(page.locator("article.goal")).to_have_count(1)
    expect(page.locator("ol.recommendations > li")).to_have_count(3)
    expect(page.locator("ul.achievements > li")).to_have_count(3)
    expect(page.locator(".comparison")).to_have_count(2)
    expect(page.locator("#trend-chart")).to_be_visible()
    save_screenshot(page, "dashboard-demo-desktop")
    assert_no_serious_violations(page)

    phone = new_page(viewport=PHONE)
    sign_in(phone, demo.DEMO_EMAIL, demo.DEMO_PASSWORD)
    expect(phone.locator("#category-chart")).to_be_visible()
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways at {PHONE['width']} px: {width}"
    save_screenshot(phone, "dashboard-demo-phone")
    assert_no_serious_violations(phone)
    guard.assert_clean()
