"""/log without JavaScript (TestClient, both stores): a flight by its airports, food by portion."""

from __future__ import annotations

import html
import re

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from tests.web.entry_pages import error_next_to, flashes, my_entries
from tests.web.helpers import sign_up, submit

PAST = "2025-03-14T08:30"
LONG_HAUL_ECONOMY_RF = (
    "defra:ghg-cf-2020:business-travel-air.flights.long-haul-to-from-uk.economy-class.with-rf"
)
DEFRA_LONG_HAUL_ECONOMY_RF_PER_PKM = 0.14615  # DEFRA 2020, long haul to/from UK, economy, with RF
# LHR (51.4706, -0.46194) to JFK: 5,554.5 km on the WGS84 geodesic, plus DEFRA's 8 % uplift
# = 5,998.9 km one way (rounded to 0.1 km), 11,997.8 km return.
LHR_JFK_RETURN_KM = round(round(5554.5 * 1.08, 1) * 2, 1)
BEEF = "owid:poore-nemecek-2018:beef-beef-herd"
BEEF_PER_KG = 99.48  # Poore & Nemecek (2018) via OWID, beef (beef herd), kg CO2e per kg
QUARTER_POUND_G = 113.4  # 0.25 lb x 453.59237 g/lb = 113.398 g, as the portions file rounds it


def log_flight(client: TestClient, **fields: str) -> httpx.Response:
    """Submit the flight form of /log: LHR to JFK and back in economy, overridden by `fields`."""
    values = {
        "from": "LHR",
        "to": "JFK",
        "trip": "return",
        "cabin": "economy",
        "passengers": "1",
        "flightWhen": PAST,
        "flightNote": "",
        "intent": "save",
        **fields,
    }
    return submit(client, "/log/flight", values, page="/log?activity=flight")


def text_of(page: str) -> str:
    """The page's text with tags removed and spaces collapsed (none before punctuation)."""
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    return html.unescape(re.sub(r" ([,.:;])", r"\1", text))


def test_flight_activity_opens_the_flight_form(client: TestClient) -> None:
    sign_up(client)
    found = client.get("/log", params={"q": "plane"}).text
    assert '<a href="/log?activity=flight">Flight</a>' in found
    page = client.get("/log", params={"activity": "flight"}).text
    assert re.search(r'<section aria-labelledby="flight-heading" id="flight-section">', page)
    assert re.search(r'id="amount-section" hidden>', page)
    assert 'action="/log/flight"' in page
    assert re.search(r'<input type="radio" name="trip" value="return" checked>', page)


def test_a_return_flight_by_codes_is_saved_through_the_flight_service(client: TestClient) -> None:
    sign_up(client)
    response = log_flight(client, **{"from": "lhr"})
    assert response.status_code == 303, text_of(response.text)
    entry = my_entries(client)[0]
    assert entry["factor"]["factorId"] == LONG_HAUL_ECONOMY_RF
    assert entry["quantity"] == pytest.approx(LHR_JFK_RETURN_KM)
    assert entry["co2eKg"] == pytest.approx(LHR_JFK_RETURN_KM * DEFRA_LONG_HAUL_ECONOMY_RF_PER_PKM)
    assert entry["factor"]["resolution"][0] == "route LHR-JFK (London to New York)"
    shown = flashes(client.get("/log").text)
    assert f"{LHR_JFK_RETURN_KM} km: 1,753 kg CO2e" in shown[0]  # whole kg from 100 kg


def test_preview_shows_distance_haul_and_radiative_forcing_in_words(client: TestClient) -> None:
    sign_up(client)
    response = log_flight(client, intent="preview", to="New York (JFK)")
    assert response.status_code == 200
    shown = text_of(response.text)
    kg = LHR_JFK_RETURN_KM * DEFRA_LONG_HAUL_ECONOMY_RF_PER_PKM  # 1,753.48 kg: whole kg shown
    assert f"About {kg:,.0f} kg CO2e: 5,998.9 km each way, long haul" in shown
    assert "includes the warming effect of contrails and other non-CO2 effects" in shown
    assert my_entries(client) == []


def test_a_city_lists_its_airports_to_pick(client: TestClient) -> None:
    sign_up(client)
    response = log_flight(client, **{"from": "London"})
    assert response.status_code == 422
    assert (
        error_next_to(response.text, "from") == "Several airports match “London”: pick one below."
    )
    assert '<input type="radio" name="fromPick" value="LHR">' in response.text
    assert my_entries(client) == []
    picked = log_flight(client, **{"from": "London", "fromPick": "LHR", "trip": "one-way"})
    assert picked.status_code == 303
    assert my_entries(client)[0]["quantity"] == pytest.approx(LHR_JFK_RETURN_KM / 2)


def test_a_name_with_one_airport_is_taken(client: TestClient) -> None:
    sign_up(client)
    assert log_flight(client, **{"from": "heathrow"}).status_code == 303
    assert my_entries(client)[0]["factor"]["resolution"][0].startswith("route LHR-JFK")


def test_bad_flight_fields_are_shown_next_to_them(client: TestClient) -> None:
    sign_up(client)
    response = log_flight(client, to="Atlantis", passengers="0")
    assert response.status_code == 422
    assert error_next_to(response.text, "to") == (
        "No airport matches “Atlantis”: try its city or its code."
    )
    assert error_next_to(response.text, "passengers") == "Passengers: a whole number from 1 to 9."
    same = log_flight(client, to="LHR")
    assert same.status_code == 422
    assert error_next_to(same.text, "to") == "The departure and arrival airports are the same"
    assert my_entries(client) == []


def test_flight_form_needs_its_csrf_token(client: TestClient) -> None:
    sign_up(client)
    response = client.post("/log/flight", data={"from": "LHR", "to": "JFK", "flightWhen": PAST})
    assert response.status_code == 403
    assert my_entries(client) == []


def test_food_offers_its_portions_and_says_how_sure_it_is(client: TestClient) -> None:
    sign_up(client)
    page = client.get("/log", params={"factor": BEEF, "unit": "g"}).text
    link = re.search(r'<a href="([^"]*)" data-grams="113.4">([^<]*)</a>', page)
    assert link is not None
    assert link.group(2) == "a quarter-pound beef burger patty (raw), 113.4 g"
    chosen = client.get(html.unescape(link.group(1))).text
    assert 'value="113.4"' in chosen
    caveat = text_of(page)
    assert (
        "owid-poore-nemecek-2018 (CC-BY-4.0): global mean of many producers; the spread is wide."
        in caveat
    )
    fields = {"factorId": BEEF, "quantity": "113.4", "unit": "g", "timestamp": PAST, "note": ""}
    assert submit(client, "/log", {**fields, "intent": "save"}).status_code == 303
    assert my_entries(client)[0]["co2eKg"] == pytest.approx(QUARTER_POUND_G / 1000 * BEEF_PER_KG)


def test_other_factors_offer_no_portions(client: TestClient) -> None:
    sign_up(client)
    page = client.get("/log", params={"factor": LONG_HAUL_ECONOMY_RF}).text
    assert re.search(r'id="portions" class="portions" hidden>', page)
    assert re.search(r'id="food-caveat" class="field-hint" hidden>', page)
