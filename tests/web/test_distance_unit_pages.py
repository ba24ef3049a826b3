"""The profile's km/miles preference, and the log form offering it first for a trip."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.entry_pages import PETROL_CAR, UK_GRID, options, selected_option
from tests.web.helpers import sign_up, submit


def _prefer(client: TestClient, unit: str) -> None:
    fields = {"name": "Ada", "country": "GB", "time_zone": "Europe/London", "distance_unit": unit}
    response = submit(client, "/profile", fields)
    assert response.status_code == 303, response.text


def test_the_profile_page_offers_km_or_miles(client: TestClient) -> None:
    sign_up(client)
    page = client.get("/profile").text
    assert options(page, "f-distance_unit") == ["km", "mi"]
    assert selected_option(page, "f-distance_unit") == "km"
    _prefer(client, "mi")
    assert selected_option(client.get("/profile").text, "f-distance_unit") == "mi"
    assert client.get("/api/profile").json()["distanceUnit"] == "mi"


def test_a_form_without_the_field_keeps_the_preference(client: TestClient) -> None:
    sign_up(client)
    _prefer(client, "mi")
    fields = {"name": "Ada L.", "country": "GB", "time_zone": "Europe/London"}
    assert submit(client, "/profile", fields).status_code == 303
    assert client.get("/api/profile").json()["distanceUnit"] == "mi"


def test_a_bad_distance_unit_is_shown_next_to_the_field(client: TestClient) -> None:
    sign_up(client)
    fields = {"name": "Ada", "country": "GB", "time_zone": "UTC", "distance_unit": "furlong"}
    response = submit(client, "/profile", fields)
    assert response.status_code == 422
    assert 'id="f-distance_unit-error"' in response.text


def test_the_log_form_offers_the_preferred_distance_unit_first(client: TestClient) -> None:
    sign_up(client)
    assert selected_option(client.get("/log", params={"factor": PETROL_CAR}).text, "f-unit") == "km"
    _prefer(client, "mi")
    page = client.get("/log", params={"factor": PETROL_CAR}).text
    assert selected_option(page, "f-unit") == "mile"
    assert 'data-distance-unit="mile"' in page  # what log.js offers after a search
    # A unit in the link (a shortcut, an activity) still wins; energy is not a distance.
    linked = client.get("/log", params={"factor": PETROL_CAR, "unit": "km"}).text
    assert selected_option(linked, "f-unit") == "km"
    assert selected_option(client.get("/log", params={"factor": UK_GRID}).text, "f-unit") == "kWh"
