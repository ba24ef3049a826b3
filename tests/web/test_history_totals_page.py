"""/history: the total of a filtered date range (store-kept totals) and sorting a page by amount."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from tests.web.entry_pages import PETROL_CAR, SHORT_HAUL, UK_GRID, log_via_api
from tests.web.helpers import sign_up

# DEFRA/BEIS 2020 (kg CO2e per unit): petrol car 0.1743 /km, UK grid 0.23314 /kWh, short-haul
# economy flight with RF 0.15298 /passenger-km.
CAR_10_KM = 10 * 0.1743  # 1.743 kg
GRID_250_KWH = 250 * 0.23314  # 58.285 kg
FLIGHT_900_KM = 900 * 0.15298  # 137.682 kg


def _log_three(client: TestClient) -> None:
    sign_up(client, time_zone="America/New_York")
    log_via_api(client, PETROL_CAR, 10, "km", timestamp="2026-01-10T03:00:00Z")  # 9 Jan local
    log_via_api(client, UK_GRID, 250, "kWh", timestamp="2026-01-10T15:00:00Z")  # 10 Jan local
    log_via_api(client, SHORT_HAUL, 900, "km", timestamp="2026-01-11T15:00:00Z")  # 11 Jan local


def _total(page: str) -> str:
    found = re.search(r'<p class="range-total" id="range-total">(.*?)</p>', page, re.S)
    assert found is not None
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


def _kg_column(page: str) -> list[str]:
    return re.findall(r'<td class="number" data-label="kg CO2e">([^<]*)</td>', page)


def test_a_date_range_shows_its_total(client: TestClient) -> None:
    _log_three(client)
    page = client.get("/history", params={"from": "2026-01-09", "to": "2026-01-10"}).text
    # 1.743 + 58.285 = 60.028 kg -> "60.03".
    assert round(CAR_10_KM + GRID_250_KWH, 2) == 60.03
    assert _total(page).startswith("Total from 2026-01-09 to 2026-01-10: 60.03 kg CO2e")


def test_a_category_filter_totals_that_category_only(client: TestClient) -> None:
    _log_three(client)
    params = {"from": "2026-01-01", "to": "2026-01-31", "category": "electricity"}
    page = client.get("/history", params=params).text
    # Only the 250 kWh: 58.285 kg -> "58.29" (2 decimals).
    assert _total(page).startswith(
        "Total from 2026-01-01 to 2026-01-31 in electricity: 58.29 kg CO2e"
    )


def test_without_both_dates_the_page_asks_for_a_range(client: TestClient) -> None:
    _log_three(client)
    assert _total(client.get("/history").text) == (
        "Choose a “From” and a “To” date to see the total of that range."
    )


def test_a_range_over_the_limit_of_months_says_so(client: TestClient) -> None:
    _log_three(client)
    page = client.get("/history", params={"from": "2000-01-01", "to": "2026-01-31"}).text
    assert _total(page) == "Choose a range of at most 100 months to see its total."


def test_sorting_by_amount_orders_the_page_and_says_it_is_this_page_only(
    client: TestClient,
) -> None:
    _log_three(client)
    log_via_api(client, PETROL_CAR, 10, "km", timestamp="2026-01-12T15:00:00Z")  # the newest
    by_date = client.get("/history").text
    # Newest first: the car (12 Jan), the flight (11 Jan), the electricity, the car (9 Jan).
    assert _kg_column(by_date) == ["1.74", "138", "58.29", "1.74"]
    by_amount = client.get("/history", params={"sort": "amount"}).text
    assert _kg_column(by_amount) == ["138", "58.29", "1.74", "1.74"]
    assert "within this page only" in by_amount
    filtered = client.get("/history", params={"sort": "amount", "from": "2026-01-10"}).text
    assert _kg_column(filtered) == ["138", "58.29", "1.74"]
    assert 'name="sort" value="amount"' in filtered  # the filter form keeps the order


def test_an_unknown_sort_is_the_date_order(client: TestClient) -> None:
    _log_three(client)
    page = client.get("/history", params={"sort": "random"}).text
    assert "Newest first." in page


def test_the_total_covers_every_page_not_only_the_one_shown(client: TestClient) -> None:
    sign_up(client, time_zone="UTC")
    for hour in range(21):  # one more than a page holds
        log_via_api(client, PETROL_CAR, 1, "km", timestamp=f"2026-02-03T{hour:02d}:00:00Z")
    page = client.get("/history", params={"from": "2026-02-03", "to": "2026-02-03"}).text
    assert len(_kg_column(page)) == 20
    # 21 x 1 km x 0.1743 kg/km = 3.6603 kg -> "3.66".
    assert _total(page).startswith("Total from 2026-02-03 to 2026-02-03: 3.66 kg CO2e")
