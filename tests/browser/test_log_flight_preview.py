"""The /log flight form's live preview (Debian's Chromium): distance, haul and kg CO2e shown as
the airports, trip, cabin and passengers change, before saving; equal to what GET
/api/flights/estimate answers and to what saving logs. The Preview button (no JS) is tested
in test_log_in_few_steps.py and tests/web/test_log_flight_food_page.py.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_no_serious_violations
from tests.browser.conftest import NewPage
from tests.browser.harness import PHONE, NetworkGuard
from tests.browser.test_log_in_few_steps import sign_up

pytestmark = pytest.mark.e2e

LONG_HAUL = "long haul (to or from the UK, over 3,700 km)"
SHORT_HAUL = "short haul (to or from the UK, up to 3,700 km)"


def estimate(page: Page, **params: Any) -> Any:
    """What the API says the route logs (the session cookie goes along)."""
    found = page.request.get("/api/flights/estimate", params=params)
    assert found.ok, found.text()
    return found.json()


def expected(found: Any, *, each_way: bool) -> str:
    """The preview's first sentence, as the server's Preview writes it."""
    kg = f"{found['co2eKg']:,.2f}" if found["co2eKg"] < 100 else f"{found['co2eKg']:,.0f}"
    trip = " each way" if each_way else ""
    return (
        f"About {kg} kg CO2e: {found['distanceKm']:,.1f} km{trip}, "
        f"{LONG_HAUL if found['haul'] == 'long-haul' else SHORT_HAUL}; "
        f"{found['passengerKm']:,.1f} passenger-km at {found['co2eKgPerUnit']} kg CO2e each."
    )


def test_the_flight_preview_follows_the_form(page: Page) -> None:
    sign_up(page)
    page.goto("/log?activity=flight")
    preview = page.locator("#flight-preview")
    origin = page.get_by_role("combobox", name="From")
    origin.press_sequentially("heathrow")
    page.get_by_role("option", name=re.compile("LHR · London Heathrow Airport")).click()
    expect(preview).to_contain_text("Pick both airports")
    page.get_by_role("combobox", name="To").fill("jfk")
    both_ways = estimate(page, **{"from": "LHR", "to": "JFK", "return": "true"})
    expect(preview.locator("p").first).to_have_text(expected(both_ways, each_way=True))
    expect(preview).to_contain_text("radiative forcing")
    page.get_by_label("One way").check()
    one_way = estimate(page, **{"from": "LHR", "to": "JFK"})
    assert one_way["co2eKg"] == pytest.approx(both_ways["co2eKg"] / 2, rel=1e-12)
    expect(preview.locator("p").first).to_have_text(expected(one_way, each_way=False))
    page.get_by_label("Cabin class").select_option("business")
    page.get_by_label("Passengers").fill("2")
    business = estimate(page, **{"from": "LHR", "to": "JFK", "cabin": "business", "passengers": 2})
    expect(preview.locator("p").first).to_have_text(expected(business, each_way=False))
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Save flight").click()
    saved = page.request.get("/api/entries").json()["items"][0]
    assert saved["co2eKg"] == business["co2eKg"]  # the number shown is the number saved


def test_an_unknown_code_says_so_before_saving(page: Page, guard: NetworkGuard) -> None:
    guard.expect_console_error("status of 422")
    sign_up(page)
    page.goto("/log?activity=flight")
    page.get_by_role("combobox", name="From").fill("LHR")
    page.get_by_role("combobox", name="To").fill("QQQ")
    expect(page.locator("#flight-preview")).to_have_text(
        "No preview: unknown airport IATA code 'QQQ'"
    )


def test_the_preview_at_phone_width(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE)
    sign_up(page)
    page.goto("/log?activity=flight")
    page.get_by_role("combobox", name="From").fill("LHR")
    page.get_by_role("combobox", name="To").fill("CDG")
    preview = page.locator("#flight-preview")
    expect(preview).to_contain_text(SHORT_HAUL)
    box = preview.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= PHONE["width"]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
