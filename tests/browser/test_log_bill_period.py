"""Issue 13, "Done when": a quarterly gas bill logged from /log with its period shows as a flat
band over its quarter in the dashboard's daily chart (Debian's Chromium).

The bill is the 90 days ending yesterday, logged today; the daily chart's "Last 92 days" shows
today and the 91 days before it: every day of the bill with 1/90 of it, and the day before it
and today (the entry's own day, after the period) with none. The chart's numbers are read from
the page's `#dashboard-data` JSON (what charts.js draws) and its table; the days before the
bill, which the chart does not reach, from `GET /api/stats`.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.a11y import assert_no_serious_violations
from tests.browser.conftest import NewPage
from tests.browser.test_log_in_few_steps import option, sign_up

pytestmark = pytest.mark.e2e

# DEFRA/BEIS 2020 natural gas, kWh (gross CV): 0.18387 kg CO2e per kWh; 1,000 kWh = 183.87 kg.
BILL_KG = 1000 * 0.18387
DAYS = 90
PER_DAY_KG = BILL_KG / DAYS  # 2.043 kg, "2.0" in the chart's table


def log_bill(page: Page) -> tuple[date, date]:
    """Log 1,000 kWh of gas over the 90 days ending yesterday; return the period."""
    page.goto("/log")
    # The form opens at now in the user's time zone: its day is the user's today.
    today = date.fromisoformat(page.locator("#f-timestamp").input_value()[:10])
    start, end = today - timedelta(days=DAYS), today - timedelta(days=1)
    page.get_by_role("combobox", name="Search activities").press_sequentially("gas bill")
    option(page, "Gas heating").click()
    expect(page.get_by_label("Unit")).to_have_value("kWh")
    page.get_by_label("Quantity").fill("1000")
    period = page.locator("#period-fields")
    period.get_by_text("Spread over a period (a bill)").click()
    period.get_by_label("From", exact=True).fill(start.isoformat())
    period.get_by_label("To", exact=True).fill(end.isoformat())
    assert_no_serious_violations(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".flash")).to_contain_text(
        f"1000 kWh: 184 kg CO2e, spread over {start} to {end}"
    )
    return start, end


def test_a_quarterly_gas_bill_is_a_flat_band_in_the_daily_chart(new_page: NewPage) -> None:
    page = new_page()
    sign_up(page)
    start, end = log_bill(page)
    page.goto("/?trend=day#trend")
    page.get_by_role("navigation", name="Days in the daily trend").get_by_role(
        "link", name="Last 92 days"
    ).click()
    expect(page.locator("#trend-status")).to_contain_text("Daily, last 92 days")
    assert page.url.endswith("?trend=day&days=92#trend")
    data = json.loads(page.locator("#dashboard-data").text_content() or "")
    daily = data["trend"]["series"]["day"]
    today = end + timedelta(days=1)
    shown = [today - timedelta(days=back) for back in range(91, -1, -1)]
    assert shown[1] == start
    assert daily["labels"] == [f"{day.day} {day:%b}" for day in shown]
    # The whole bill: every day of its period the same share; the days either side, nothing.
    assert daily["kg"][1:-1] == pytest.approx([PER_DAY_KG] * DAYS, rel=1e-9)
    assert (daily["kg"][0], daily["kg"][-1]) == (0, 0)
    rows = page.locator('[data-trend-table="day"] tbody tr td:first-of-type')
    expect(rows).to_have_text(["0.0"] + ["2.0"] * DAYS + ["0.0"])
    expect(page.locator("#trend-chart")).to_be_visible()
    # Before the period, which the chart does not reach: nothing, then the band.
    before = start - timedelta(days=5)
    stats = page.request.get(
        "/api/stats",
        params={"period": "day", "from": before.isoformat(), "to": today.isoformat()},
    )
    assert stats.ok, stats.text()
    series = [point["totalCo2eKg"] for point in stats.json()["series"]]
    assert series[:5] == [0] * 5
    assert series[5:-1] == pytest.approx([PER_DAY_KG] * DAYS, rel=1e-9)
    assert series[-1] == 0
    assert stats.json()["totalCo2eKg"] == pytest.approx(BILL_KG, rel=1e-9)
