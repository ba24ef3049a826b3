"""The food caveat (dataset, licence, "global mean ... the spread is wide") is shown wherever a
food number is: /history rows of food entries, the dashboard's breakdown, the edit page."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from carbontrack.services.food import CAVEAT
from tests.web.entry_pages import UK_GRID, log_via_api
from tests.web.helpers import sign_up

BEEF = "owid:poore-nemecek-2018:beef-beef-herd"
SHORT = "owid-poore-nemecek-2018 (CC-BY-4.0): global mean of many producers; the spread is wide."
ROW = re.compile(r"<tr>\s*<td data-label=\"When\">.*?</tr>", re.DOTALL)


def notes(page: str) -> list[str]:
    """The food caveats of a page, as read, with their longer title."""
    found = re.findall(r'<small class="food-caveat" title="([^"]*)">([^<]*)</small>', page)
    return [f"{html.unescape(text)} | {html.unescape(title)}" for title, text in found]


def test_a_food_row_of_the_history_carries_the_caveat(client: TestClient) -> None:
    sign_up(client)
    log_via_api(client, BEEF, 125, "g")
    log_via_api(client, UK_GRID, 10, "kWh")
    rows = ROW.findall(client.get("/history").text)
    assert len(rows) == 2
    beef = next(row for row in rows if "Beef" in row)
    grid = next(row for row in rows if "Beef" not in row)
    assert notes(beef) == [f"{SHORT} | {CAVEAT.detail}"]
    assert notes(grid) == []
    assert "Poore &amp; Nemecek (2018)" in beef
    assert "docs/data-sources.md" in CAVEAT.detail


def test_the_dashboard_breakdown_carries_it_when_food_is_in_it(client: TestClient) -> None:
    sign_up(client)
    log_via_api(client, UK_GRID, 10, "kWh")
    assert notes(client.get("/").text) == []
    log_via_api(client, BEEF, 125, "g")
    page = client.get("/").text
    assert '<tr data-category="food">' in page
    assert notes(page) == [f"Food: {SHORT} | {CAVEAT.detail}"]


def test_the_edit_page_of_a_food_entry_carries_it(client: TestClient) -> None:
    sign_up(client)
    beef = log_via_api(client, BEEF, 125, "g")
    page = client.get(f"/history/{beef['entryId']}/edit").text
    assert notes(page) == [f"{SHORT} | {CAVEAT.detail}"]
