"""The baseline questionnaire at /start and the dashboard's use of it, through TestClient."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient

from carbontrack.domain.comparisons import prorate
from carbontrack.services import demo
from tests.web.area_pages import field_error, field_errors
from tests.web.helpers import PASSWORD, submit
from tests.web.test_dashboard_page import log

# The unit tests' two-person UK gas flat (tests/unit/test_baseline.py), as the form sends it:
# an empty typed answer is "I don't know".
UK_FLAT = {
    "version": "",
    "home_size": "small",
    "heating_fuel": "gas",
    "heating_kwh": "",
    "household_size": "2",
    "electricity_kwh": "",
    "car_fuel": "petrol",
    "car_size": "medium",
    "car_distance": "8000 km",
    "bus_km_week": "",
    "rail_km_week": "0",
    "flights_domestic": "0",
    "flights_short_haul": "0",
    "flights_long_haul": "1",
    "diet": "vegetarian",
}
# Its lines, hand-computed there from the cited sources (kg CO2e a year):
HEATING = 7_500 / 2 * 0.18387  # Ofgem TDCV low gas, half each, DEFRA 2020 natural gas: 689.51
ELECTRICITY = 1_800 / 2 * 0.21579  # Ofgem TDCV low electricity, half each, Ember GB: 194.21
CAR = 8_000 * 0.18659  # DEFRA 2020 medium petrol car: 1,492.72
BUS = 288 * 1.609344 * 0.10312  # DfT NTS 288 miles by bus, DEFRA local bus: 47.80
FLIGHTS = 2 * 5_998.9 * 0.19085  # one LHR-JFK return + 8 %, DEFRA long-haul with RF: 2,289.78
FOOD = 3.81 * 365  # Scarborough et al. 2014, vegetarians: 1,390.65
ESTIMATE_ROW = re.compile(
    r'<tr data-category="(\w+)"><th scope="row">[^<]+</th>'
    r"<td>([^<]+)</td><td>([^<]+)</td><td>([^<]+)</td></tr>"
)
TOTAL = HEATING + ELECTRICITY + CAR + BUS + FLIGHTS + FOOD  # 6,104.67


def new_user(client: TestClient) -> None:
    """Sign up the way the front door does: registration then on to /start."""
    fields = {"email": "new@example.org", "password": PASSWORD, "name": "Grace"}
    fields |= {"country": "GB", "time_zone": "Europe/London", "next": "/start"}
    response = submit(client, "/register", fields)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/start"


def days_so_far() -> tuple[date, date]:
    """This month's days so far in the user's zone, half-open (as the dashboard counts them)."""
    today = datetime.now(UTC).astimezone(ZoneInfo("Europe/London")).date()
    return today.replace(day=1), today + timedelta(days=1)


def test_the_front_door_sends_a_new_user_to_start(client: TestClient) -> None:
    front = client.get("/").text
    assert 'href="/register?next=/start"' in front
    new_user(client)
    page = client.get("/start")
    assert page.status_code == 200
    assert "Your baseline footprint" in page.text
    assert '<a href="/">Skip for now</a>' in page.text
    # "I don't know" is chosen where a typical value exists; no trips by default.
    assert '<option value="unknown" selected>I don&#39;t know</option>' in page.text
    assert 'name="flights_long_haul" type="text" value="0"' in page.text


def test_answers_give_the_stored_baseline_and_its_result(client: TestClient) -> None:
    new_user(client)
    response = submit(client, "/start", UK_FLAT)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/start/result"
    stored = client.get("/api/baseline").json()
    assert abs(stored["co2eKgPerYear"] - TOTAL) < 0.01
    result = html.unescape(client.get("/start/result").text)
    assert f"About {TOTAL / 1000:,.1f} t CO2e a year" in result  # 6.1 t
    assert f"<td>{TOTAL:,.0f}</td>" in result  # 6,105 kg
    rows = dict(
        re.findall(r'<tr data-category="(\w+)"><th scope="row">[^<]+</th><td>([^<]+)</td>', result)
    )
    assert rows == {
        "heating": f"{HEATING:,.0f}",
        "electricity": f"{ELECTRICITY:,.0f}",
        "transport": f"{CAR + BUS:,.0f}",
        "flights": f"{FLIGHTS:,.0f}",
        "food": f"{FOOD:,.0f}",
    }
    assert "3,750 kWh at 0.18387 kg/kWh" in result  # the heating line's assumption
    assert "passenger-vehicles.cars-by-size.medium-car.petrol" in result  # the car's factor
    assert result.count("typical value</span>") == 3  # heating, electricity, bus
    assert "not purchases, services or public services" in result
    assert '<a href="/log">Log a first activity</a>' in result
    assert '<a href="/goals">Set a goal</a>' in result


def test_bad_answers_are_shown_next_to_their_question(client: TestClient) -> None:
    new_user(client)
    answers = UK_FLAT | {
        "household_size": "",
        "car_distance": "far",
        "diet": "",
        "heating_kwh": "-5",
        "electricity_kwh": "3000 kWh",
    }
    response = submit(client, "/start", answers)
    assert response.status_code == 422
    assert field_errors(response.text) == {
        "household_size",
        "car_distance",
        "diet",
        "heating_kwh",
        "electricity_kwh",
    }
    assert field_error(response.text, "electricity_kwh") == (
        "Enter a number from 0 to 100,000, without units."
    )
    assert field_error(response.text, "household_size") == "Enter a whole number from 1 to 20."
    assert field_error(response.text, "diet") == "Choose one of the answers."
    assert field_error(response.text, "car_distance").startswith("Enter a distance such as 8000 km")
    assert field_error(response.text, "heating_kwh") == "Enter a number from 0 to 200,000."
    assert 'value="far"' in response.text  # what was typed stays
    assert client.get("/api/baseline").status_code == 404


def test_revisiting_shows_the_saved_answers_and_the_profile_links_to_it(client: TestClient) -> None:
    new_user(client)
    submit(client, "/start", UK_FLAT)
    assert '<a href="/start">Update your baseline</a>' in client.get("/profile").text
    page = client.get("/start").text
    assert "These are your saved answers." in page
    assert 'name="car_distance" type="text" value="8000 km"' in page
    assert '<option value="vegetarian" selected>' in page
    assert '<input type="hidden" name="version" value="1">' in page
    response = submit(client, "/start", UK_FLAT | {"version": "1", "diet": "vegan"})
    assert response.status_code == 303
    assert client.get("/api/baseline").json()["version"] == 2


def test_a_change_made_meanwhile_is_a_message_not_a_lost_write(client: TestClient) -> None:
    new_user(client)
    submit(client, "/start", UK_FLAT)  # version 1, then the form is opened in two tabs
    submit(client, "/start", UK_FLAT | {"version": "1", "diet": "vegan"})  # one saves: 2
    stale = submit(client, "/start", UK_FLAT | {"version": "1", "diet": "high_meat"})
    assert stale.status_code == 409
    assert "changed somewhere else" in stale.text
    assert client.get("/api/baseline").json()["answers"]["diet"] == "vegan"


def test_the_dashboard_without_a_baseline_invites_instead_of_flattering(client: TestClient) -> None:
    new_user(client)
    log(client, demo.PETROL_CAR, 12.0, "km")  # the one 12 km trip
    page = client.get("/").text
    card = page[page.index('id="budget-card"') :][:600]
    assert "%" not in card
    assert '<a href="/start">Answer a few questions</a>' in card
    assert 'id="estimate-table"' not in page


def test_the_budget_figure_counts_the_baseline_where_logs_are_incomplete(
    client: TestClient,
) -> None:
    new_user(client)
    submit(client, "/start", UK_FLAT)
    entry = log(client, demo.PETROL_CAR, 12.0, "km")
    logged = entry["co2eKg"]
    page = html.unescape(client.get("/").text)
    # The rule: per category, the larger of logged this month and the baseline's share of the
    # days so far; the budget is pro-rated to the same days. 12 km (about 2 kg) is less than
    # transport's share of even one day (1,540.5 / 365 = 4.2 kg), so every category is the
    # baseline's: 6,104.67 / 2,500 = 244 % whatever the day.
    first, stop = days_so_far()
    share = prorate(CAR + BUS, first, stop)
    assert logged < share
    assert f"{TOTAL / 2500 * 100:,.0f} %" == "244 %"
    card = page[page.index('id="budget-card"') :][:600]
    assert '<p class="figure">244 %</p>' in card
    rows = ESTIMATE_ROW.findall(page)
    by_category = {
        category: (estimated, logged_kg, counted)
        for category, estimated, logged_kg, counted in rows
    }
    assert by_category["transport"] == (
        f"{(CAR + BUS) / 12:,.1f}",
        f"{logged:,.1f}",
        f"{share:,.1f} (baseline)",
    )
    assert by_category["food"][0] == f"{FOOD / 12:,.1f}"  # 115.9 a month
    assert "this estimate does not count purchases and public services" in page


def test_a_logged_category_above_its_share_counts_as_logged(client: TestClient) -> None:
    new_user(client)
    submit(client, "/start", UK_FLAT)
    entry = log(client, demo.SHORT_HAUL, 2_000.0, "km")
    logged = entry["co2eKg"]
    # More than flights' share of even a whole month (2,289.78 x 31 / 365 = 194.5 kg).
    assert logged > FLIGHTS * 31 / 365
    first, stop = days_so_far()
    flights_share = prorate(FLIGHTS, first, stop)
    page = html.unescape(client.get("/").text)
    counted = prorate(TOTAL, first, stop) - flights_share + max(logged, flights_share)
    percent = counted / prorate(2_500.0, first, stop) * 100
    assert f'<p class="figure">{percent:,.0f} %</p>' in page
    rows = {row[0]: row[1:] for row in ESTIMATE_ROW.findall(page)}
    assert rows["flights"] == (f"{FLIGHTS / 12:,.1f}", f"{logged:,.1f}", f"{logged:,.1f}")
