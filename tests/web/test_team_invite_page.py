"""Team invites as a link and a QR code: /join/<teamId>.<code> (web/app/team_invite.py)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from tests.web.area_pages import another_browser
from tests.web.helpers import sign_up, submit, without_csrf
from tests.web.test_teams_page import Team, create_team, roles


def invite_path(client: TestClient, team: Team) -> str:
    """The path of the invite link shown on the team's page."""
    page = client.get(team.url).text
    found = re.search(r'id="invite-link" type="text" readonly value="([^"]+)"', page)
    assert found is not None, "no invite link on the team's page"
    return urlsplit(found.group(1)).path


def test_the_team_page_shows_the_invite_link_and_its_qr_code(client: TestClient) -> None:
    sign_up(client)
    team = create_team(client)
    page = client.get(team.url).text
    # The link is the team id and the code shown beside it, joined by a dot.
    assert invite_path(client, team) == f"/join/{team.team_id}.{team.code}"
    svg = re.search(r'<svg [^>]*class="invite-qr".*?</svg>', page, re.S)
    assert svg is not None, "no QR code"
    assert f"<title>QR code of http://testserver/join/{team.team_id}.{team.code}</title>" in svg[0]


def test_a_plain_member_sees_no_invite(client: TestClient) -> None:
    sign_up(client)
    team = create_team(client)
    other = another_browser(client, name="Bo")
    assert other.post(invite_path(client, team)).status_code == 403  # no CSRF token
    assert submit(other, invite_path(client, team), {}).status_code == 303
    page = other.get(team.url).text
    assert 'id="invite-link"' not in page
    assert "invite-qr" not in page


def test_a_second_user_opens_the_link_and_joins_with_one_post(client: TestClient) -> None:
    sign_up(client)
    team = create_team(client, name="Night Owls")
    path = invite_path(client, team)
    other = another_browser(client, name="Bo")
    page = other.get(path)
    assert page.status_code == 200
    assert "Join “Night Owls”" in page.text
    response = submit(other, path, {"displayName": "Bobby"})
    assert (response.status_code, response.headers["location"]) == (303, team.url)
    assert roles(client, team) == {"Ada": "owner", "Bobby": "member"}
    # Opening the link again, a member goes straight to the team's page.
    again = other.get(path, follow_redirects=False)
    assert (again.status_code, again.headers["location"]) == (303, team.url)


def test_a_visitor_logs_in_or_signs_up_and_comes_back_to_the_invite(client: TestClient) -> None:
    sign_up(client)
    team = create_team(client)
    path = invite_path(client, team)
    visitor = TestClient(client.app)
    response = visitor.get(path, follow_redirects=False)
    assert response.headers["location"] == f"/login?next=%2Fjoin%2F{team.team_id}.{team.code}"
    login = visitor.get(response.headers["location"]).text
    register_link = f'href="/register?next=%2Fjoin%2F{team.team_id}.{team.code}"'
    assert register_link in login
    fields = {
        "email": "late@example.org",
        "password": "correct horse battery",
        "name": "Late",
        "time_zone": "UTC",
        "next": path,
    }
    signed_up = submit(visitor, "/register", fields, page=f"/register?next={path}")
    assert (signed_up.status_code, signed_up.headers["location"]) == (303, path)
    assert "Join “Acme”" in visitor.get(path).text


def test_a_wrong_or_replaced_code_answers_as_an_unknown_team(client: TestClient) -> None:
    sign_up(client)
    team = create_team(client)
    old = invite_path(client, team)
    assert submit(client, f"{team.url}/join-code", {}, page=team.url).status_code == 303
    other = another_browser(client, name="Bo")
    other.get("/teams")  # shows the welcome message once
    unknown = other.get("/join/00000000-0000-4000-8000-000000000000.ABCDEFGHJK")
    for path in (
        old,
        f"/join/{team.team_id}.WRONGCODE2",
        f"/join/{team.team_id}",
        "/join/" + "x" * 200,
    ):
        response = other.get(path)
        assert response.status_code == unknown.status_code == 404
        # Nothing tells a known team from an unknown one (the CSRF tokens carry the second).
        assert without_csrf(response.text) == without_csrf(unknown.text)
    assert other.post(old, data={"csrf": "x"}).status_code == 404
    assert "Bo" not in roles(client, team)
