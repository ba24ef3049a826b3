"""Phone first (issue 15): the tab bar, the log's shortcuts first, leaderboard cards, time zones
as real places grouped by region, and human error messages next to their fields."""

from __future__ import annotations

import re
from zoneinfo import available_timezones

from fastapi.testclient import TestClient

from carbontrack.web.app import time_zones
from carbontrack.web.app.forms import human_message
from tests.api.factor_ids import PETROL_CAR
from tests.web.area_pages import field_error
from tests.web.entry_pages import log_via_api
from tests.web.helpers import api_headers, sign_up, submit
from tests.web.test_teams_page import create_team, member


def tab_bar(page: str) -> str:
    found = re.search(r'<nav class="tab-bar" aria-label="Tabs">.*?</nav>', page, re.S)
    assert found is not None, "no tab bar"
    return found[0]


def test_the_tab_bar_has_four_tabs_a_plus_and_more(client: TestClient) -> None:
    sign_up(client)
    bar = tab_bar(client.get("/history").text)
    links = re.findall(r'<a href="([^"]+)"([^>]*)>', bar)
    assert [href for href, _ in links][:4] == ["/", "/history", "/log", "/goals"]
    assert dict(links)["/history"] == ' aria-current="page"'
    assert (
        '<a href="/log" aria-label="Log an activity"><span aria-hidden="true">+</span></a>' in bar
    )
    assert "<summary>More</summary>" in bar
    assert '<a href="/teams">Teams</a>' in bar
    assert '<a href="/profile">Profile</a>' in bar


def test_visitors_get_no_tab_bar(client: TestClient) -> None:
    assert 'class="tab-bar"' not in client.get("/login").text


def test_the_log_page_puts_the_one_tap_shortcuts_before_the_form(client: TestClient) -> None:
    sign_up(client)
    log_via_api(client, PETROL_CAR, 12, "km")
    page = client.get("/log").text
    assert page.index('action="/log/again"') < page.index('id="find-heading"')


def test_the_leaderboard_is_also_cards_with_each_name(client: TestClient) -> None:
    sign_up(client, name="Ada")
    team = create_team(client)
    member(client, team, "Grace")
    page = client.get(team.url).text
    cards = re.search(r'<ol class="leaderboard-cards".*?</ol>', page, re.S)
    assert cards is not None
    names = re.findall(r'<span class="leaderboard-rank">[^<]*</span>\s*([^<]+?)\s*<', cards[0])
    assert names == ["Ada", "Grace"]


def test_registration_offers_real_zones_grouped_by_region(client: TestClient) -> None:
    page = client.get("/register").text
    groups = re.findall(r'<optgroup label="([^"]+)">', page)
    assert groups == [
        "UTC", "Africa", "America", "Antarctica", "Arctic", "Asia",
        "Atlantic", "Australia", "Europe", "Indian", "Pacific",
    ]  # fmt: skip
    zones = re.findall(r'<option value="([A-Z][^"]*/[^"]*|UTC)"', page)
    assert len(zones) == len(time_zones.listed_zones()) + 1 == 419  # zone.tab: 418 lines
    for legacy in ("ROK", "W-SU", "Etc/GMT+5", "US/Eastern", "Asia/Calcutta"):
        assert f'value="{legacy}"' not in page
    assert '<option value="Europe/Oslo">Oslo</option>' in page
    assert (
        '<option value="America/Argentina/Buenos_Aires">Argentina / Buenos Aires</option>' in page
    )
    assert '"Asia/Calcutta": "Asia/Kolkata"' in page  # the script maps old browser names


def test_listed_zones_are_known_to_zoneinfo_and_aliases_point_at_them() -> None:
    listed = time_zones.listed_zones()
    assert listed <= available_timezones()
    aliases = time_zones.browser_aliases()
    assert aliases["Asia/Calcutta"] == "Asia/Kolkata"
    assert aliases["Europe/Kiev"] == "Europe/Kyiv"
    assert aliases["Etc/UTC"] == "UTC"
    assert set(aliases.values()) <= listed | {"UTC"}


def test_a_legacy_zone_stored_before_stays_valid_and_selected(client: TestClient) -> None:
    sign_up(client)
    headers = api_headers(client)
    patched = client.patch("/api/profile", json={"timeZone": "US/Eastern"}, headers=headers)
    assert patched.status_code == 200
    page = client.get("/profile").text
    assert '<optgroup label="Your current zone">' in page
    assert '<option value="US/Eastern" selected>US/Eastern</option>' in page
    response = submit(client, "/profile", {"name": "Ada", "country": "", "time_zone": "US/Eastern"})
    assert response.status_code == 303


def test_sign_up_errors_are_human_and_next_to_their_fields(client: TestClient) -> None:
    typed = {"email": "a@example.org", "password": "x" * 1025, "name": "y" * 101}
    response = submit(client, "/register", {**typed, "time_zone": "UTC"})
    assert response.status_code == 422
    assert (
        field_error(response.text, "password") == "Use at most 1024 characters for your password."
    )
    assert field_error(response.text, "name") == "Use at most 100 characters for your name."
    assert 'aria-describedby="f-name-error"' in response.text


def test_a_short_new_password_on_the_profile_is_explained(client: TestClient) -> None:
    sign_up(client)
    fields = {"current_password": "whatever it is", "new_password": "short"}
    response = submit(client, "/profile/password", fields, page="/profile")
    assert field_error(response.text, "new_password") == (
        "Use at least 8 characters for your new password."
    )


def test_unknown_error_kinds_keep_the_validators_own_words() -> None:
    message = human_message("quantity", "value_error", "Value error, must be a finite number")
    assert message == "Must be a finite number"
    assert human_message("note", "missing", "Field required") == "Fill in this field."
