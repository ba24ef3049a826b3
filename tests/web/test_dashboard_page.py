"""The dashboard at `/` through TestClient, on both stores: the same figures as /api/stats."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from carbontrack.services import demo
from carbontrack.store.base import Store
from carbontrack.web.app.dashboard import kg
from tests.web.helpers import Account, api_headers, sign_in, sign_out, sign_up

CHART_DATA = re.compile(
    r'<script type="application/json" id="dashboard-data">(.*?)</script>', re.DOTALL
)
CATEGORY_ROW = re.compile(
    r'<tr data-category="([a-z]+)"><th scope="row">[^<]+</th><td>([^<]+)</td><td>([^<]+)</td></tr>'
)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>")
THREE_CATEGORIES = (
    (demo.PETROL_CAR, 120.0, "km"),  # transport
    (demo.NATURAL_GAS, 300.0, "kWh"),  # heating
    (demo.SHORT_HAUL, 900.0, "km"),  # flights
)


def log(
    client: TestClient, factor_id: str, quantity: float, unit: str, *, timestamp: str | None = None
) -> dict[str, Any]:
    """Log an entry the way the pages' scripts do: session cookie and CSRF header."""
    body: dict[str, Any] = {"factorId": factor_id, "quantity": quantity, "unit": unit}
    if timestamp is not None:
        body["timestamp"] = timestamp
    response = client.post("/api/entries", json=body, headers=api_headers(client))
    assert response.status_code == 201, response.text
    return dict(response.json())


def chart_data(html: str) -> dict[str, Any]:
    found = CHART_DATA.search(html)
    assert found is not None, "no chart data on the page"
    return dict(json.loads(found.group(1)))


def category_rows(html: str) -> dict[str, tuple[str, str]]:
    return {name: (co2e, share) for name, co2e, share in CATEGORY_ROW.findall(html)}


def this_month_card(html: str) -> str:
    found = re.search(r'<h3>This month</h3>\s*<p class="figure">([^<]+) kg CO2e</p>', html)
    assert found is not None, "no 'This month' card"
    return found.group(1)


def test_totals_and_categories_match_the_api(client: TestClient) -> None:
    sign_up(client)
    for factor_id, quantity, unit in THREE_CATEGORIES:
        log(client, factor_id, quantity, unit)
    page = client.get("/")
    api = client.get("/api/stats", params={"period": "month"}).json()

    assert page.status_code == 200
    assert set(api["byCategory"]) == {"transport", "heating", "flights"}
    assert this_month_card(page.text) == kg(api["totalCo2eKg"])
    rows = category_rows(page.text)
    assert {name: co2e for name, (co2e, _) in rows.items()} == {
        name: kg(value) for name, value in api["byCategory"].items()
    }
    shares = sum(float(share.removesuffix(" %")) for _, share in rows.values())
    assert abs(shares - 100) <= 0.15  # three shares rounded to 0.1 each
    data = chart_data(page.text)
    by_label = dict(zip(data["categories"]["labels"], data["categories"]["kg"], strict=True))
    assert by_label == {name.capitalize(): value for name, value in api["byCategory"].items()}
    months = data["trend"]["series"]["month"]
    assert months["kg"][-1] == api["totalCo2eKg"]  # the current month closes the trend
    assert data["trend"]["series"]["day"]["kg"][-1] == api["totalCo2eKg"]  # all logged today


def test_the_change_from_last_month_matches_the_api_trend(client: TestClient) -> None:
    sign_up(client, time_zone="UTC")
    today = datetime.now(UTC).date()
    # The 1st: among the same days of last month as the days of this month so far.
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    log(client, demo.SHORT_HAUL, 900.0, "km", timestamp=f"{last_month}T12:00:00Z")

    quiet = client.get("/").text  # entries, but none this month
    month_name = today.strftime("%B")
    assert f"Nothing logged in {month_name} yet." in quiet
    assert this_month_card(quiet) == "0.0"
    assert "<h2>Log your first activity</h2>" not in quiet
    assert chart_data(quiet)["trend"]["series"]["month"]["kg"][-2] > 0

    log(client, *THREE_CATEGORIES[0])
    page = client.get("/").text
    api = client.get("/api/stats", params={"period": "month"}).json()
    change = api["trend"]["changeKg"]
    assert change < 0
    previous_end = date.fromisoformat(api["previous"]["to"])
    same_days = (
        last_month.strftime("%B")
        + " 1"
        + (f"\u2013{previous_end.day}" if previous_end.day > 1 else "")
    )
    expected = (
        f"Down {kg(abs(change))} kg ({abs(api['trend']['changePercent']):,.1f} %) "
        f"from {kg(api['previous']['totalCo2eKg'])} kg on the same days of last month ({same_days})"
    )
    # Only as many days of last month as have passed of this one (all of a shorter month).
    first = today.replace(day=1)
    assert previous_end == min(last_month + (today - first), first - timedelta(days=1))
    assert expected in " ".join(page.split())


def test_comparisons_show_their_sources_and_years(client: TestClient) -> None:
    sign_up(client, country="GB")
    log(client, *THREE_CATEGORIES[0])
    page = client.get("/").text
    api = client.get("/api/stats", params={"period": "month"}).json()

    for comparison in api["comparisons"]:
        assert comparison["label"] in page
        assert f"{comparison['source']} · figures for {comparison['year']}" in page
        assert f"{kg(comparison['valueKg'])} kg" in page
    assert "CC BY 4.0" in page
    # Without a baseline the headline card does not turn a few entries into a percentage
    # (issue 15); tests/web/test_start_page.py covers the card with one.
    card = page[page.index('id="budget-card"') :]
    assert '<a href="/start">Answer a few questions</a>' in card[: card.index("</article>")]


def test_a_new_user_is_told_to_log_a_first_activity(client: TestClient) -> None:
    sign_up(client)
    page = client.get("/")

    assert page.status_code == 200
    assert "<h2>Log your first activity</h2>" in page.text
    assert '<a href="/log" role="button">Log your first activity</a>' in page.text
    assert "dashboard-data" not in page.text  # no charts without data
    assert 'id="trend-chart"' not in page.text
    assert '<a href="/goals">Set a goal</a>' in page.text


def test_another_users_data_never_appears(client: TestClient) -> None:
    first = sign_up(client)
    for factor_id, quantity, unit in THREE_CATEGORIES:
        log(client, factor_id, quantity, unit)
    first_page = client.get("/").text
    sign_out(client)

    sign_up(client)
    assert "Log your first activity" in client.get("/").text
    log(client, demo.WATER, 2.0, "m3")
    second_page = client.get("/").text
    second_api = client.get("/api/stats", params={"period": "month"}).json()
    assert set(category_rows(second_page)) == {"water"}
    assert this_month_card(second_page) == kg(second_api["totalCo2eKg"])
    assert (
        chart_data(second_page)["trend"]["series"]["month"]["kg"][-1] == (second_api["totalCo2eKg"])
    )
    sign_out(client)

    sign_in(client, first)
    assert client.get("/").text.count("<tr data-category=") == 3
    assert set(category_rows(first_page)) == {"transport", "heating", "flights"}


def test_the_demo_user_has_every_part_filled_in(client: TestClient) -> None:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    demo.create(store=store)
    sign_in(client, Account(email=demo.DEMO_EMAIL, password=demo.DEMO_PASSWORD, name="Demo"))
    page = client.get("/")

    assert page.status_code == 200
    html = page.text
    # This month's categories, whatever day it is: on the 1st only the monthly bills are in.
    month = client.get("/api/stats", params={"period": "month"}).json()["byCategory"]
    assert set(category_rows(html)) == set(month) >= {"electricity", "heating", "water"}
    assert 'id="trend-chart"' in html
    assert 'id="category-chart"' in html
    data = chart_data(html)
    assert sum(1 for value in data["trend"]["series"]["month"]["kg"] if value > 0) == 12
    assert "Cut by 10% each month" in html  # the demo's goal, with its progress
    assert re.search(r"<progress value=", html)
    recommendations = re.search(r'<ol class="recommendations">(.*?)</ol>', html, re.DOTALL)
    assert recommendations is not None
    assert recommendations.group(1).count("<li>") == 3
    assert recommendations.group(1).count("Saves about") == 3  # computed from the demo's year
    recent = re.findall(
        r"<strong>([^<]+)</strong> <span class=\"muted\">· (?:bronze|silver|gold)", html
    )
    assert len(recent) == 3
    assert "Our World in Data energy dataset" in html  # the demo lives in the UK


def test_the_trend_switch_works_without_javascript(client: TestClient) -> None:
    sign_up(client)
    log(client, *THREE_CATEGORIES[0])

    default = client.get("/").text
    assert '<a href="?trend=month#trend" data-trend="month" aria-current="true">' in default
    daily = client.get("/", params={"trend": "day"}).text
    assert '<a href="?trend=day#trend" data-trend="day" aria-current="true">' in daily
    assert '<div class="table-scroll" data-trend-table="day">' in daily
    assert '<div class="table-scroll" data-trend-table="month" hidden>' in daily
    assert 'aria-label="Daily, last 30 days:' in daily
    odd = client.get("/", params={"trend": "<script>"})
    assert odd.status_code == 200
    assert 'data-trend="month" aria-current="true"' in odd.text


def test_a_visitor_gets_the_first_screen(client: TestClient) -> None:
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 200
    assert "Your footprint" not in page.text


def test_the_page_has_no_inline_script_and_a_strict_policy(client: TestClient) -> None:
    sign_up(client)
    log(client, *THREE_CATEGORIES[0])
    page = client.get("/")

    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert page.headers["cache-control"] == "no-store"
    for attributes in SCRIPT_TAG.findall(page.text):
        assert "src=" in attributes or 'type="application/json"' in attributes, attributes
    assert '<script src="/static/vendor/chart.js/chart.umd.js" defer></script>' in page.text
    assert client.get("/static/vendor/chart.js/chart.umd.js").status_code == 200
    assert client.get("/static/app/charts.js").status_code == 200


def test_the_daily_trend_covers_30_or_92_days_without_javascript(client: TestClient) -> None:
    sign_up(client)
    log(client, *THREE_CATEGORIES[0])

    month = client.get("/", params={"trend": "day"}).text
    assert '<a href="?trend=day&amp;days=92#trend">Last 92 days</a>' in month
    assert len(chart_data(month)["trend"]["series"]["day"]["kg"]) == 30
    quarter = client.get("/", params={"trend": "day", "days": "92"}).text
    assert '<a href="?trend=day&amp;days=92#trend" data-trend="day" aria-current="true">' in quarter
    assert '<a href="?trend=day&amp;days=92#trend" aria-current="true">Last 92 days</a>' in quarter
    assert 'aria-label="Daily, last 92 days:' in quarter
    daily = chart_data(quarter)["trend"]["series"]["day"]
    assert len(daily["kg"]) == len(daily["labels"]) == 92
    assert sum(daily["kg"]) > 0  # today's entry is the last bar
    weekly = client.get("/", params={"trend": "week", "days": "92"}).text
    assert "data-days-switch hidden" in weekly  # the days choice is for the daily trend only
    odd = client.get("/", params={"trend": "day", "days": "1000000"}).text
    assert 'aria-label="Daily, last 30 days:' in odd
