"""/teams and /teams/{id} through TestClient on both stores: create, join, dashboard, roles.

Privacy: a member sees totals and display names, never an entry; anyone else gets the 404 page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from tests.web.area_pages import (
    another_browser,
    field_error,
    field_errors,
    flashes,
    log_car_km,
    value_of,
)
from tests.web.helpers import sign_up, submit


@dataclass(frozen=True)
class Team:
    team_id: str
    code: str

    @property
    def url(self) -> str:
        return f"/teams/{self.team_id}"


def create_team(client: TestClient, name: str = "Acme") -> Team:
    response = submit(client, "/teams", {"name": name})
    assert response.status_code == 303, response.text
    url = response.headers["location"]
    found = re.search(r'<code class="join-code">([A-Z0-9]+)</code>', client.get(url).text)
    assert found is not None, "the owner sees no join code"
    return Team(team_id=url.removeprefix("/teams/"), code=found.group(1))


def join(client: TestClient, team: Team, **fields: str) -> Any:
    return submit(client, "/teams/join", {"teamId": team.team_id, "code": team.code, **fields})


def member(client: TestClient, team: Team, name: str) -> TestClient:
    other = another_browser(client, name=name)
    response = join(other, team)
    assert response.status_code == 303, response.text
    return other


def standings(page: str) -> list[tuple[str, str, str]]:
    """(rank, display name, kg) of each leaderboard row."""
    table = re.search(r'<table class="leaderboard">.*?</table>', page, re.DOTALL)
    assert table is not None, "no leaderboard"
    rows = re.findall(
        r'<td>([^<]*)</td>\s*<th scope="row">([^<]*?)(?: <strong>\(you\)</strong>)?</th>\s*'
        r'<td class="number">([^<]*)</td>',
        table.group(0),
    )
    return [(rank, name, kg) for rank, name, kg in rows]


def roles(client: TestClient, team: Team) -> dict[str, str]:
    response = client.get(f"/api/teams/{team.team_id}/members")
    assert response.status_code == 200, response.text
    return {m["displayName"]: m["role"] for m in response.json()["items"]}


def test_a_new_user_is_told_how_to_start_a_team(client: TestClient) -> None:
    sign_up(client)
    page = client.get("/teams")
    assert page.status_code == 200
    assert "You are not in a team yet" in page.text
    for name in ("name", "ownerDisplayName", "teamId", "code", "displayName"):
        assert f'<label for="f-{name}">' in page.text


def test_creating_a_team_shows_its_page_with_the_join_code(client: TestClient) -> None:
    sign_up(client, name="Ada")
    team = create_team(client, "Green Office")
    page = client.get(team.url).text
    assert "<h1>Green Office</h1>" in page
    assert f"<code>{team.team_id}</code>" in page
    assert len(team.code) == 10
    assert "You are the owner of this team" in page
    assert standings(page) == [("not ranked", "Ada", "0.0")]
    listed = client.get("/teams").text
    assert f'<a href="{team.url}">Green Office</a>' in listed
    assert "You are not in a team yet" not in listed


def test_a_bad_team_name_is_shown_next_to_its_field_and_nothing_is_created(
    client: TestClient,
) -> None:
    sign_up(client)
    response = submit(client, "/teams", {"name": "x" * 81, "ownerDisplayName": "Ada L."})
    assert response.status_code == 422
    assert "1-80 characters" in field_error(response.text, "name")
    assert value_of(response.text, "ownerDisplayName") == "Ada L."
    assert client.get("/api/teams").json()["items"] == []


def test_joining_with_the_code_shows_the_leaderboard_but_no_ones_entries(
    client: TestClient,
) -> None:
    sign_up(client, name="Ada")
    team = create_team(client)
    entry = log_car_km(client, 100, note="dentist appointment")  # 17.43 kg
    bob = another_browser(client, name="Bob")
    # Case, spaces and dashes in a typed code do not matter.
    typed = f"{team.code[:5].lower()} - {team.code[5:]}"
    response = join(bob, team, code=typed, displayName="Bob B.")
    assert response.status_code == 303
    assert response.headers["location"] == team.url
    assert ("success", "You joined the team.") in flashes(bob.get(team.url).text)
    log_car_km(bob, 50)  # 8.715 kg

    page = bob.get(team.url)
    assert page.status_code == 200
    assert standings(page.text) == [("1", "Bob B.", "8.7"), ("2", "Ada", "17.4")]
    assert "26.1 kg CO2e" in page.text  # the team's total this month
    assert "13.1 kg CO2e" in page.text  # per member
    assert "You are a member of this team" in page.text
    # Nothing of what Ada logged: no note, activity, factor or entry id; and no join code.
    for secret in ("dentist appointment", entry["entryId"], entry["activity"], "defra:"):
        assert secret not in page.text
    assert "join-code" not in page.text
    assert team.code not in page.text


def test_a_wrong_code_is_refused_next_to_the_code_field(client: TestClient) -> None:
    sign_up(client)
    team = create_team(client)
    eve = another_browser(client, name="Eve")
    response = join(eve, team, code="AAAAAAAAAA")
    assert response.status_code == 404
    assert "No team with this id and join code" in field_error(response.text, "code")
    assert value_of(response.text, "teamId") == team.team_id
    assert eve.get(team.url).status_code == 404

    empty = submit(eve, "/teams/join", {"teamId": "", "code": ""})
    assert empty.status_code == 422
    assert field_errors(empty.text) == {"teamId"}


def test_a_non_member_gets_the_404_page_everywhere(client: TestClient) -> None:
    sign_up(client)
    team = create_team(client)
    outsider = another_browser(client, name="Oscar")
    page = outsider.get(team.url)
    assert page.status_code == 404
    assert "team not found" in page.text
    assert "Acme" not in page.text
    for action in ("/leave", "/delete", "/join-code", "/goals/x/delete"):
        response = submit(outsider, team.url + action, {}, page="/teams")
        assert response.status_code == 404, action
    assert client.get(team.url).status_code == 200
    assert roles(client, team) == {"Ada": "owner"}


def test_the_owner_promotes_demotes_and_removes_members(client: TestClient) -> None:
    sign_up(client, name="Ada")
    team = create_team(client)
    bob = member(client, team, "Bob")
    bob_id = next(
        m["userId"]
        for m in client.get(f"/api/teams/{team.team_id}/members").json()["items"]
        if m["displayName"] == "Bob"
    )
    base = f"{team.url}/members/{bob_id}"
    assert "<summary>Manage Bob</summary>" in client.get(team.url).text
    assert "Manage Ada" not in bob.get(team.url).text  # a plain member manages no one

    assert submit(client, base + "/role", {"role": "admin"}, page=team.url).status_code == 303
    assert roles(client, team) == {"Ada": "owner", "Bob": "admin"}
    assert "join-code" in bob.get(team.url).text  # admins invite, so they see the code
    assert submit(client, base + "/role", {"role": "member"}, page=team.url).status_code == 303
    assert roles(client, team) == {"Ada": "owner", "Bob": "member"}

    assert submit(client, base + "/remove", {}, page=team.url).status_code == 303
    assert ("success", "Member removed.") in flashes(client.get(team.url).text)
    assert bob.get(team.url).status_code == 404


def test_actions_a_role_does_not_allow_change_nothing_and_say_why(client: TestClient) -> None:
    sign_up(client, name="Ada")
    team = create_team(client)
    bob = member(client, team, "Bob")
    ada_id = client.get("/api/profile").json()["userId"]

    response = submit(bob, f"{team.url}/delete", {}, page=team.url)
    assert response.status_code == 303
    assert ("error", "A team member may not do this (delete team)") in flashes(
        bob.get(team.url).text
    )
    promote = submit(bob, f"{team.url}/members/{ada_id}/role", {"role": "member"}, page=team.url)
    assert promote.status_code == 303
    assert submit(bob, f"{team.url}/join-code", {}, page=team.url).status_code == 303
    assert roles(client, team) == {"Ada": "owner", "Bob": "member"}
    assert client.get(team.url).status_code == 200

    # The owner cannot leave while others are in the team.
    assert submit(client, f"{team.url}/leave", {}, page=team.url).status_code == 303
    page = client.get(team.url).text
    assert any("cannot leave while others are in the team" in text for _, text in flashes(page))
    assert roles(client, team) == {"Ada": "owner", "Bob": "member"}


def test_members_leave_and_the_owner_deletes_the_team(client: TestClient) -> None:
    sign_up(client)
    team = create_team(client)
    bob = member(client, team, "Bob")
    response = submit(bob, f"{team.url}/leave", {}, page=team.url)
    assert response.status_code == 303
    assert response.headers["location"] == "/teams"
    assert bob.get(team.url).status_code == 404

    response = submit(client, f"{team.url}/delete", {}, page=team.url)
    assert response.status_code == 303
    assert ("success", "Team deleted.") in flashes(client.get("/teams").text)
    assert client.get(team.url).status_code == 404


def test_a_new_join_code_replaces_the_old_one(client: TestClient) -> None:
    sign_up(client)
    team = create_team(client)
    assert submit(client, f"{team.url}/join-code", {}, page=team.url).status_code == 303
    fresh = re.search(r'<code class="join-code">([A-Z0-9]+)</code>', client.get(team.url).text)
    assert fresh is not None
    assert fresh.group(1) != team.code
    late = another_browser(client, name="Late")
    assert join(late, team).status_code == 404
    assert join(late, Team(team.team_id, fresh.group(1))).status_code == 303


def test_team_goals_show_progress_and_only_managers_set_them(client: TestClient) -> None:
    sign_up(client, name="Ada")
    team = create_team(client)
    bob = member(client, team, "Bob")
    log_car_km(client, 100)  # 17.43 kg
    log_car_km(bob, 100)
    goal = {"kind": "budget", "scope": "per_member", "period": "month", "targetCo2eKg": "50"}

    wrong = {**goal, "scope": "everyone", "period": "day"}
    bad = submit(client, f"{team.url}/goals", wrong, page=team.url)
    assert bad.status_code == 422
    assert field_errors(bad.text) == {"scope", "period"}
    assert value_of(bad.text, "targetCo2eKg") == "50"

    assert submit(client, f"{team.url}/goals", goal, page=team.url).status_code == 303
    page = bob.get(team.url).text
    assert "Monthly budget of 50 kg CO2e · Whole footprint · per member" in page
    assert "17.4 kg of 50.0 kg CO2e this month (35%)" in page  # (17.43 + 17.43) / 2 members
    assert "Set a team goal" not in page
    assert "Owners and admins" not in page
    assert submit(bob, f"{team.url}/goals", goal, page=team.url).status_code == 403
    assert len(client.get(f"/api/teams/{team.team_id}/goals").json()["items"]) == 1


def test_posts_without_a_valid_csrf_token_change_nothing(client: TestClient) -> None:
    sign_up(client)
    refused = client.post("/teams", data={"name": "Sneaky"})
    assert refused.status_code == 403
    assert "This form was not sent" in refused.text
    assert value_of(refused.text, "name") == "Sneaky"
    assert client.get("/api/teams").json()["items"] == []

    team = create_team(client)
    for action in ("/delete", "/join-code", "/leave"):
        response = client.post(team.url + action, data={"csrf": "forged"})
        assert response.status_code == 403, action
    assert re.search(rf"<code class=\"join-code\">{team.code}</code>", client.get(team.url).text)
    joiner = another_browser(client, name="Jo")
    no_token = joiner.post("/teams/join", data={"teamId": team.team_id, "code": team.code})
    assert no_token.status_code == 403
    assert joiner.get(team.url).status_code == 404
