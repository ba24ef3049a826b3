"""The log form explains its units and the equivalent it shows; Kosovo is in the profile menu."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from tests.web.entry_pages import PETROL_CAR, options
from tests.web.helpers import sign_up, submit


def _unit_help(page: str) -> list[str]:
    block = re.search(r'<ul id="unit-help-list">(.*?)</ul>', page, re.S)
    assert block is not None
    return [html.unescape(line) for line in re.findall(r"<li>([^<]*)</li>", block.group(1))]


def test_each_unit_in_the_menu_is_explained_beside_it(client: TestClient) -> None:
    sign_up(client)
    page = client.get("/log", params={"factor": PETROL_CAR}).text
    lines = _unit_help(page)
    assert len(lines) == len(options(page, "f-unit"))
    # 1 mile = 1.609344 km exactly (NIST SP811 B.8), to 4 significant digits.
    assert "mile: the statute mile; 1 mile = 1.609 km" in lines


def test_a_gas_factor_explains_therms_and_mmbtu(client: TestClient) -> None:
    sign_up(client)
    gas = next(
        f
        for f in client.get("/api/factors", params={"q": "natural gas"}).json()["items"]
        if f["unit"] == "mmBtu"
    )
    lines = _unit_help(client.get("/log", params={"factor": gas["factorId"]}).text)
    # 100,000 Btu x 1055.05585262 J / 3.6e6 J per kWh = 29.31 kWh; an mmBtu is 10 therms.
    assert "therm: 100,000 Btu, a unit on UK and US gas bills; 1 therm = 29.31 kWh" in lines
    assert any(line.startswith("million Btu (mmBtu)") and "293.1 kWh" in line for line in lines)


def test_a_per_passenger_factor_explains_the_passenger_km(client: TestClient) -> None:
    sign_up(client)
    flight = (
        "defra:ghg-cf-2020:business-travel-air.flights.short-haul-to-from-uk.economy-class.with-rf"
    )
    lines = _unit_help(client.get("/log", params={"factor": flight}).text)
    assert any(line.startswith("passenger-km: one person carried one kilometre") for line in lines)


def test_no_help_before_an_activity_is_chosen(client: TestClient) -> None:
    sign_up(client)
    page = client.get("/log").text
    assert '<details class="unit-help" id="unit-help" hidden>' in page


def test_the_equivalent_names_its_factor(client: TestClient) -> None:
    sign_up(client)
    page = client.get("/log", params={"factor": PETROL_CAR}).text
    source = re.search(r'<p class="field-hint" id="equivalent-source">([^<]*)</p>', page)
    assert source is not None
    assert "0.1743 kg CO2e per km" in source.group(1)
    assert PETROL_CAR in source.group(1)


def test_kosovo_can_be_chosen_on_the_profile_page(client: TestClient) -> None:
    sign_up(client)
    assert "XK" in options(client.get("/profile").text, "f-country")
    response = submit(client, "/profile", {"name": "Ada", "country": "XK", "time_zone": "UTC"})
    assert response.status_code == 303, response.text
    assert client.get("/api/profile").json()["country"] == "XK"
