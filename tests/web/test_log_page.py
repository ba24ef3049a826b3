"""The log page (/log) through TestClient on both stores: search, units, preview, save, errors."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from carbontrack.domain.electricity import GRID_LOCAL_FACTOR_ID
from carbontrack.web.app.entry_form import LOCAL_MINUTE, format_kg
from tests.web.entry_pages import (
    DEFRA_PETROL_CAR_PER_KM,
    DEFRA_SHORT_HAUL_ECONOMY_RF_PER_PKM,
    DEFRA_UK_GRID_PER_KWH,
    KM_PER_MILE,
    PETROL_CAR,
    SHORT_HAUL,
    UK_GRID,
    control,
    error_next_to,
    flashes,
    my_entries,
    options,
    selected_option,
    value_of,
)
from tests.web.helpers import sign_up, submit

PAST = "2025-03-14T08:30"  # a local date-time safely in the past


def log_form(client: TestClient, **fields: str) -> httpx.Response:
    """Submit the log form with a car trip, overridden by `fields`."""
    values = {
        "factorId": PETROL_CAR,
        "quantity": "12",
        "unit": "mile",
        "timestamp": PAST,
        "note": "",
        "intent": "save",
        **fields,
    }
    return submit(client, "/log", values)


def test_log_three_activities_of_different_categories(client: TestClient) -> None:
    sign_up(client, time_zone="Europe/London")
    car = 12 * KM_PER_MILE * DEFRA_PETROL_CAR_PER_KM
    grid = 250 * DEFRA_UK_GRID_PER_KWH
    flight = 900 * DEFRA_SHORT_HAUL_ECONOMY_RF_PER_PKM
    trips: list[tuple[dict[str, str], str, float]] = [
        ({"factorId": PETROL_CAR, "quantity": "12", "unit": "mile"}, "transport", car),
        ({"factorId": UK_GRID, "quantity": "250", "unit": "kWh"}, "electricity", grid),
        ({"factorId": SHORT_HAUL, "quantity": "900", "unit": "km"}, "flights", flight),
    ]
    for fields, _, _ in trips:
        response = log_form(client, **fields)
        assert response.status_code == 303, response.text
        assert response.headers["location"] == "/log"
        saved = flashes(client.get("/log").text)
        assert len(saved) == 1
        assert saved[0].startswith("Saved: ")
    logged = {e["category"]: e for e in my_entries(client)}
    assert set(logged) == {"transport", "electricity", "flights"}
    for _, category, kg in trips:
        assert logged[category]["co2eKg"] == pytest.approx(kg, rel=1e-9)
    # 08:30 in London in March (GMT) is 08:30 UTC.
    assert {e["timestamp"] for e in logged.values()} == {"2025-03-14T08:30:00Z"}


def test_the_saved_message_gives_the_footprint(client: TestClient) -> None:
    sign_up(client)
    log_form(client, note="to the station")
    (message,) = flashes(client.get("/log").text)
    # 12 miles = 19.31 km of the very car the equivalent uses, so it says about 19 km.
    assert message == (
        "Saved: Average car, petrol, per vehicle km, 12 mile: 3.37 kg CO2e "
        "(≈ 19 km in an average petrol car)."
    )
    assert my_entries(client)[0]["note"] == "to the station"


def test_a_bad_quantity_is_shown_next_to_the_field_and_the_values_stay(
    client: TestClient,
) -> None:
    sign_up(client)
    response = log_form(client, quantity="-5", note="my commute", timestamp=PAST, unit="km")
    assert response.status_code == 422
    page = response.text
    assert error_next_to(page, "quantity") == "Quantity must be a finite number >= 0"
    assert value_of(page, "f-quantity") == "-5"
    assert value_of(page, "f-timestamp") == PAST
    assert value_of(page, "factor-id") == PETROL_CAR
    assert selected_option(page, "f-unit") == "km"
    assert ">my commute</textarea>" in page
    assert '<a href="#f-quantity">' in page  # the summary at the top links to the field
    assert my_entries(client) == []


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"quantity": "twelve"}, "quantity", "Enter the quantity as a number, e.g. 12.5."),
        ({"quantity": "2e9"}, "quantity", "Quantity must be at most 1e+09"),
        ({"unit": "kWh"}, "unit", "Unit 'kWh' is an energy; this factor needs a distance"),
        ({"timestamp": "yesterday"}, "timestamp", "Enter the date and time as YYYY-MM-DD HH:MM."),
        ({"timestamp": "2999-01-01T00:00"}, "timestamp", "Timestamp is more than a day in"),
        ({"note": "x" * 501}, "note", "Keep the note under 500 characters."),
    ],
)
def test_each_rule_puts_its_message_next_to_its_field(
    client: TestClient, fields: dict[str, str], field: str, message: str
) -> None:
    sign_up(client)
    response = log_form(client, **fields)
    assert response.status_code == 422
    assert error_next_to(response.text, field).startswith(message)
    assert my_entries(client) == []


def test_two_mistakes_show_two_messages(client: TestClient) -> None:
    sign_up(client)
    page = log_form(client, quantity="", timestamp="").text
    assert error_next_to(page, "quantity")
    assert error_next_to(page, "timestamp")


def test_no_activity_chosen_points_to_the_search_box(client: TestClient) -> None:
    sign_up(client)
    response = log_form(client, factorId="", unit="")
    assert response.status_code == 422
    assert error_next_to(response.text, "factorId") == "Choose an activity: search for it above."
    unknown = log_form(client, factorId="defra:none:nothing")
    assert error_next_to(unknown.text, "factorId") == "Unknown factor 'defra:none:nothing'"


def test_search_without_javascript_lists_links_that_choose_the_factor(
    client: TestClient,
) -> None:
    sign_up(client)
    page = client.get("/log", params={"q": "petrol car"}).text
    # Everyday activities first, each link choosing its factor and the unit people use ...
    assert "activities match “petrol car”</h3>" in page
    medium = "defra:ghg-cf-2020:passenger-vehicles.cars-by-size.medium-car.petrol"
    activity = "/log?factor=" + medium.replace(":", "%3A") + "&amp;unit=km"
    assert f'<a href="{activity}">Car: petrol, medium</a>' in page
    assert page.index("Car: petrol, medium") < page.index('id="results-heading"')
    # ... then the raw factors, still there for experts.
    assert '<h3 id="results-heading">13 factors match “petrol car”</h3>' in page
    choose = "/log?factor=" + PETROL_CAR.replace(":", "%3A")
    assert f'<a href="{choose}">Average car, petrol, per vehicle km</a>' in page


def test_a_search_that_finds_nothing_says_so_and_offers_the_categories(
    client: TestClient,
) -> None:
    sign_up(client)
    nothing = client.get("/log", params={"q": "zeppelin"}).text
    assert '<p id="no-match" class="no-match">Nothing matches “zeppelin”.' in nothing
    assert '<a href="/log?category=food">Food</a>' in nothing
    found = client.get("/log", params={"q": "trian"}).text
    assert '<p id="no-match" class="no-match" hidden>' in found
    assert ">Train (national rail)</a>" in found


def test_a_category_tile_lists_its_activities(client: TestClient) -> None:
    sign_up(client)
    page = client.get("/log", params={"category": "heating"}).text
    assert '<a href="/log?category=heating" aria-current="page">Heating</a>' in page
    assert "activities in heating</h3>" in page
    assert ">Gas heating</a>" in page
    assert ">Train (national rail)</a>" not in page
    # A flight is logged by route: its link opens the flight form, not a factor.
    flights = client.get("/log", params={"category": "flights"}).text
    assert '<a href="/log?activity=flight">Flight</a>' in flights


def test_a_chosen_factor_shows_its_source_and_only_units_of_its_dimension(
    client: TestClient,
) -> None:
    sign_up(client)
    page = client.get("/log", params={"factor": PETROL_CAR}).text
    assert value_of(page, "factor-id") == PETROL_CAR
    assert '<dd id="factor-value">0.1743 kg CO2e per km</dd>' in page
    assert "BEIS/DEFRA GHG conversion factors 2020" in page
    assert '<dd id="factor-dataset">defra-ghg-cf-2020, values for 2020</dd>' in page
    assert '<dd id="factor-licence">OGL-UK-3.0</dd>' in page
    assert options(page, "f-unit") == ["km", "mile", "m"]
    assert selected_option(page, "f-unit") == "km"
    grid = client.get("/log", params={"factor": UK_GRID}).text
    assert options(grid, "f-unit") == ["kWh", "MWh", "GJ", "MJ", "therm", "mmBtu"]


def test_grid_electricity_where_you_live_follows_the_profile(client: TestClient) -> None:
    sign_up(client, country="DE")
    page = client.get("/log", params={"factor": GRID_LOCAL_FACTOR_ID}).text
    assert "Grid electricity where you live: " in page
    assert "(DEU)" in page or "Germany" in page
    response = log_form(client, factorId=GRID_LOCAL_FACTOR_ID, quantity="100", unit="kWh")
    assert response.status_code == 303
    factor = my_entries(client)[0]["factor"]
    assert factor["requestedFactorId"] == GRID_LOCAL_FACTOR_ID
    assert factor["factorId"].endswith(":DEU")


def test_the_preview_button_shows_the_footprint_without_saving(client: TestClient) -> None:
    sign_up(client)
    response = log_form(client, intent="preview", note="kept")
    assert response.status_code == 200
    shown = r"About 3.37 kg CO2e \(≈ 19 km in an average petrol car\)"
    found = rf'<output id="preview"[^>]*>{shown}</output>'
    assert re.search(found, response.text)
    assert value_of(response.text, "f-quantity") == "12"
    assert ">kept</textarea>" in response.text
    assert my_entries(client) == []


def test_the_live_preview_endpoint_agrees_with_the_saved_entry(client: TestClient) -> None:
    sign_up(client)
    params = {"quantity": "12", "unit": "mile"}
    estimate = client.get(f"/api/factors/{PETROL_CAR}/estimate", params=params)
    assert estimate.status_code == 200  # the session cookie signs the page's script in
    log_form(client)
    assert my_entries(client)[0]["co2eKg"] == estimate.json()["co2eKg"]


def test_the_date_defaults_to_now_in_the_users_time_zone(client: TestClient) -> None:
    sign_up(client, time_zone="Asia/Tokyo")
    page = client.get("/log").text
    shown = datetime.strptime(value_of(page, "f-timestamp"), LOCAL_MINUTE)
    tokyo_now = datetime.now(UTC).astimezone(ZoneInfo("Asia/Tokyo")).replace(tzinfo=None)
    assert abs(tokyo_now - shown) < timedelta(minutes=2)
    assert "In your time zone, Asia/Tokyo" in page
    log_form(client, timestamp="2025-01-15T09:00")
    assert my_entries(client)[0]["timestamp"] == "2025-01-15T00:00:00Z"


def test_the_form_mirrors_the_server_rules_in_html(client: TestClient) -> None:
    sign_up(client)
    page = client.get("/log", params={"factor": PETROL_CAR}).text
    quantity = control(page, "f-quantity")
    for attribute in ('type="number"', "required", 'min="0"', 'max="1000000000"', 'step="any"'):
        assert attribute in quantity
    assert 'type="datetime-local"' in control(page, "f-timestamp")
    assert 'maxlength="500"' in control(page, "f-note")
    assert '<script type="module" src="/static/app/log.js"></script>' in page
    assert client.get("/static/app/log.js").status_code == 200
    assert client.get("/static/app/combobox.js").status_code == 200


def test_recent_and_most_used_activities_are_one_click_away(client: TestClient) -> None:
    sign_up(client)
    log_form(client, quantity="7", timestamp="2025-03-14T08:00")
    log_form(client, factorId=UK_GRID, quantity="250", unit="kWh", timestamp="2025-03-14T09:00")
    log_form(client, quantity="9", timestamp="2025-03-14T10:00")
    page = client.get("/log").text
    recent = shortcut_links(page, "recent-heading")
    assert recent == [
        {"factor": PETROL_CAR, "quantity": "9", "unit": "mile"},
        {"factor": UK_GRID, "quantity": "250", "unit": "kWh"},
    ]
    assert shortcut_links(page, "most-used-heading") == [recent[0]]
    assert "logged 2 times" in page
    again = client.get("/log", params=recent[0]).text
    assert value_of(again, "f-quantity") == "9"
    assert selected_option(again, "f-unit") == "mile"


def shortcut_links(page: str, heading_id: str) -> list[dict[str, Any]]:
    start = page.index(f'<ul class="shortcut-list" aria-labelledby="{heading_id}">')
    block = page[start : page.index("</ul>", start)]
    links = re.findall(r'<a href="/log\?([^"]+)">', block)
    return [dict(httpx.QueryParams(link.replace("&amp;", "&"))) for link in links]


def test_a_new_user_is_told_what_the_shortcuts_are_for(client: TestClient) -> None:
    sign_up(client)
    assert "Nothing logged yet." in client.get("/log").text


def test_a_form_without_a_valid_csrf_token_is_refused_and_kept(client: TestClient) -> None:
    sign_up(client)
    client.get("/log")
    response = client.post(
        "/log",
        data={"csrf": "forged", "factorId": PETROL_CAR, "quantity": "5", "unit": "km"},
    )
    assert response.status_code == 403
    assert "This form was not sent" in response.text
    assert value_of(response.text, "f-quantity") == "5"
    assert my_entries(client) == []


def test_the_log_page_needs_a_signed_in_user(client: TestClient) -> None:
    response = client.get("/log", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Flog"


# What Chromium's Intl.NumberFormat (log.js formatKg) prints for the same numbers.
@pytest.mark.parametrize(
    ("kg", "shown"),
    [
        (0.0, "0"),
        (0.0004, "less than 0.001"),
        (0.0012345, "0.00123"),
        (0.1235, "0.124"),
        (0.5, "0.5"),
        (0.9996, "1"),
        (1.005, "1.01"),
        (58.285, "58.29"),
        (99.999, "100.00"),
        (137.682, "138"),
        (1234567.891, "1,234,568"),
    ],
)
def test_kg_are_rounded_as_the_live_preview_rounds_them(kg: float, shown: str) -> None:
    assert format_kg(kg) == shown
