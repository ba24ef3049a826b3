"""Teams through the API on both stores: flows, roles, privacy, goals, and 404 for outsiders."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from carbontrack.domain import periods
from carbontrack.domain import teams as domain_teams
from carbontrack.domain.models import User
from carbontrack.services import accounts
from carbontrack.store.base import Store
from tests.api.factor_ids import PETROL_CAR, UK_GRID

Headers = dict[str, str]


def person(client: TestClient, name: str) -> tuple[Headers, str]:
    """A fresh account (stored directly: argon2 per user would dominate the run) and a token."""
    user = User(
        user_id=str(uuid.uuid4()),
        email=f"{uuid.uuid4().hex}@example.org",
        name=name,
        password_hash="not-a-hash",
        created_at=datetime.now(UTC),
    )
    store_of(client).users.add(user)
    token = accounts.issue_token(settings=client.app.state.settings, user=user)  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {token.token}"}, user.user_id


def new_team(client: TestClient, headers: Headers, name: str = "Acme") -> dict[str, Any]:
    response = client.post("/api/teams", json={"name": name}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def join(client: TestClient, headers: Headers, team: dict[str, Any], **body: Any) -> Any:
    body = {"code": team["joinCode"], **body}
    return client.post(f"/api/teams/{team['teamId']}/join", json=body, headers=headers)


def joined(client: TestClient, team: dict[str, Any], name: str) -> tuple[Headers, str]:
    headers, user_id = person(client, name)
    response = join(client, headers, team)
    assert response.status_code == 200, response.text
    return headers, user_id


def log(client: TestClient, headers: Headers, quantity: float, note: str = "") -> dict[str, Any]:
    body = {"factorId": PETROL_CAR, "quantity": quantity, "unit": "km", "note": note or None}
    response = client.post("/api/entries", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def roles(client: TestClient, headers: Headers, team_id: str) -> dict[str, str]:
    response = client.get(f"/api/teams/{team_id}/members", headers=headers)
    assert response.status_code == 200, response.text
    return {m["displayName"]: m["role"] for m in response.json()["items"]}


def store_of(client: TestClient) -> Store:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    return store


def test_create_list_and_join_a_team(client: TestClient) -> None:
    owner, owner_id = person(client, "Olga")
    team = new_team(client, owner, name="  Acme   Ltd ")
    assert team["name"] == "Acme Ltd"
    assert team["role"] == "owner"
    assert len(team["joinCode"]) == 10
    assert set(team) >= {"teamId", "name", "joinCode", "joinCodeExpiresAt"}
    mine = client.get("/api/teams", headers=owner).json()["items"]
    assert [(t["teamId"], t["role"]) for t in mine] == [(team["teamId"], "owner")]

    member, member_id = person(client, "Mo")
    typed = team["joinCode"].lower()[:5] + "-" + team["joinCode"].lower()[5:]
    response = join(client, member, team, code=typed, displayName="Mo R.")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "teamId": team["teamId"],
        "userId": member_id,
        "role": "member",
        "joinedAt": response.json()["joinedAt"],
        "displayName": "Mo R.",
    }
    assert join(client, member, team).status_code == 409
    assert roles(client, owner, team["teamId"]) == {"Olga": "owner", "Mo R.": "member"}
    seen = client.get(f"/api/teams/{team['teamId']}", headers=member).json()
    assert seen["team"]["role"] == "member"
    assert seen["team"]["joinCode"] is None  # only owners and admins invite
    assert seen["memberCount"] == 2
    assert owner_id != member_id


def test_wrong_code_and_unknown_team_look_the_same(client: TestClient) -> None:
    owner, _ = person(client, "Olga")
    team = new_team(client, owner)
    stranger, _ = person(client, "Sam")
    wrong = join(client, stranger, team, code="ZZZZZZZZZZ")
    unknown = join(client, stranger, {**team, "teamId": "no-such-team"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    assert roles(client, owner, team["teamId"]) == {"Olga": "owner"}


def test_expired_code_is_refused_until_an_admin_issues_a_new_one(client: TestClient) -> None:
    owner, _ = person(client, "Olga")
    team = new_team(client, owner)
    store = store_of(client)
    stored = store.teams.get(team["teamId"])
    assert stored is not None
    past = datetime.now(UTC) - timedelta(seconds=1)
    code = stored.join_code
    store.teams.set_join_code(stored.team_id, join_code=code, expires_at=past, replacing=code)
    late, _ = person(client, "Lee")
    expired = join(client, late, team)
    assert expired.status_code == 422
    assert expired.json()["field"] == "code"
    assert roles(client, owner, team["teamId"]) == {"Olga": "owner"}

    fresh = client.post(f"/api/teams/{team['teamId']}/join-code", headers=owner)
    assert fresh.status_code == 200, fresh.text
    assert fresh.json()["joinCode"] != team["joinCode"]
    assert join(client, late, team).status_code == 404  # the old code is gone
    assert join(client, late, fresh.json()).status_code == 200


def _team_urls(team_id: str, member_id: str) -> list[tuple[str, str, dict[str, Any] | None]]:
    base = f"/api/teams/{team_id}"
    goal = {"kind": "budget", "scope": "total", "period": "month", "targetCo2eKg": 10}
    return [
        ("GET", base, None),
        ("DELETE", base, None),
        ("GET", f"{base}/leaderboard", None),
        ("GET", f"{base}/goals", None),
        ("POST", f"{base}/goals", goal),
        ("DELETE", f"{base}/goals/some-goal", None),
        ("POST", f"{base}/join-code", None),
        ("GET", f"{base}/members", None),
        ("PATCH", f"{base}/members/{member_id}", {"role": "admin"}),
        ("DELETE", f"{base}/members/{member_id}", None),
    ]


def test_non_member_gets_404_for_every_team_url(client: TestClient) -> None:
    owner, _ = person(client, "Olga")
    team = new_team(client, owner)
    _, member_id = joined(client, team, "Mo")
    outsider, outsider_id = person(client, "Sam")
    for team_id in (team["teamId"], "no-such-team"):
        for method, url, body in _team_urls(team_id, member_id):
            response = client.request(method, url, json=body, headers=outsider)
            assert response.status_code == 404, (method, url, response.text)
        response = client.delete(f"/api/teams/{team_id}/members/{outsider_id}", headers=outsider)
        assert response.status_code == 404
    assert roles(client, owner, team["teamId"]) == {"Olga": "owner", "Mo": "member"}
    assert client.get(f"/api/teams/{team['teamId']}/goals", headers=owner).json()["items"] == []


def test_member_without_the_role_gets_403_and_nothing_changes(client: TestClient) -> None:
    owner, owner_id = person(client, "Olga")
    team = new_team(client, owner)
    member, member_id = joined(client, team, "Mo")
    _, other_id = joined(client, team, "Pat")
    base = f"/api/teams/{team['teamId']}"
    goal = {"kind": "budget", "scope": "total", "period": "month", "targetCo2eKg": 10}
    attempts = [
        ("PATCH", f"{base}/members/{member_id}", {"role": "owner"}),  # promoting itself
        ("PATCH", f"{base}/members/{member_id}", {"role": "admin"}),
        ("PATCH", f"{base}/members/{other_id}", {"role": "admin"}),
        ("DELETE", f"{base}/members/{other_id}", None),
        ("DELETE", f"{base}/members/{owner_id}", None),
        ("POST", f"{base}/join-code", None),
        ("POST", f"{base}/goals", goal),
        ("DELETE", base, None),
    ]
    for method, url, body in attempts:
        response = client.request(method, url, json=body, headers=member)
        assert response.status_code == 403, (method, url, response.text)
    assert roles(client, owner, team["teamId"]) == {
        "Olga": "owner",
        "Mo": "member",
        "Pat": "member",
    }
    board = client.get(base, headers=owner).json()
    assert board["team"]["joinCode"] == team["joinCode"]
    assert board["goals"] == []


def test_admins_manage_members_but_not_roles(client: TestClient) -> None:
    owner, owner_id = person(client, "Olga")
    team = new_team(client, owner)
    admin, admin_id = joined(client, team, "Ada")
    _, member_id = joined(client, team, "Mo")
    _, peer_id = joined(client, team, "Pia")
    base = f"/api/teams/{team['teamId']}/members"
    for target in (admin_id, peer_id):
        response = client.patch(f"{base}/{target}", json={"role": "admin"}, headers=owner)
        assert response.status_code == 200, response.text
    assert response.json()["role"] == "admin"
    assert (
        client.patch(f"{base}/{admin_id}", json={"role": "owner"}, headers=admin).status_code == 403
    )
    assert client.delete(f"{base}/{peer_id}", headers=admin).status_code == 403
    assert client.delete(f"{base}/{owner_id}", headers=admin).status_code == 403
    assert client.post(f"/api/teams/{team['teamId']}/join-code", headers=admin).status_code == 200
    assert client.delete(f"{base}/{member_id}", headers=admin).status_code == 204
    assert client.delete(f"{base}/{member_id}", headers=admin).status_code == 404
    demoted = client.patch(f"{base}/{peer_id}", json={"role": "member"}, headers=owner)
    assert demoted.json()["role"] == "member"
    assert roles(client, owner, team["teamId"]) == {
        "Olga": "owner",
        "Ada": "admin",
        "Pia": "member",
    }
    bad = client.patch(f"{base}/{peer_id}", json={"role": "boss"}, headers=owner)
    assert bad.status_code == 422


def test_owner_hands_the_team_over(client: TestClient) -> None:
    owner, owner_id = person(client, "Olga")
    team = new_team(client, owner)
    heir, heir_id = joined(client, team, "Hal")
    base = f"/api/teams/{team['teamId']}"
    own = client.patch(f"{base}/members/{owner_id}", json={"role": "member"}, headers=owner)
    assert own.status_code == 422
    assert own.json()["field"] == "role"
    response = client.patch(f"{base}/members/{heir_id}", json={"role": "owner"}, headers=owner)
    assert response.status_code == 200, response.text
    assert roles(client, owner, team["teamId"]) == {"Olga": "admin", "Hal": "owner"}
    assert client.delete(base, headers=owner).status_code == 403
    assert client.delete(base, headers=heir).status_code == 204
    assert client.get(base, headers=heir).status_code == 404
    assert client.get("/api/teams", headers=owner).json()["items"] == []


def test_leaving_and_the_owner_leaving_last(client: TestClient) -> None:
    owner, owner_id = person(client, "Olga")
    team = new_team(client, owner)
    member, member_id = joined(client, team, "Mo")
    base = f"/api/teams/{team['teamId']}"
    refused = client.delete(f"{base}/members/{owner_id}", headers=owner)
    assert refused.status_code == 422
    assert client.delete(f"{base}/members/{member_id}", headers=member).status_code == 204
    assert client.get(base, headers=member).status_code == 404
    assert client.get("/api/teams", headers=member).json()["items"] == []
    assert client.delete(f"{base}/members/{owner_id}", headers=owner).status_code == 204
    assert client.get(base, headers=owner).status_code == 404
    assert join(client, member, team).status_code == 404  # the team is gone


def test_dashboard_and_leaderboard_show_totals_never_entries(client: TestClient) -> None:
    owner, _ = person(client, "Olga")
    team = new_team(client, owner)
    member, _ = joined(client, team, "Mo")
    joined(client, team, "Idle")
    mine = [log(client, owner, 100, note="secret-olga-note")]
    theirs = [log(client, member, 10, note="secret-mo-note"), log(client, member, 20)]
    response = client.post(
        "/api/entries", json={"factorId": UK_GRID, "quantity": 50, "unit": "kWh"}, headers=member
    )
    theirs.append(response.json())
    base = f"/api/teams/{team['teamId']}"
    board = client.get(base, headers=member)
    ranking = client.get(f"{base}/leaderboard", headers=member)
    assert board.status_code == ranking.status_code == 200
    for text in (board.text, ranking.text):
        for entry in mine + theirs:
            assert entry["entryId"] not in text
            assert entry["activity"] not in text
            assert entry["factor"]["factorId"] not in text
        assert "secret-" not in text
        assert "note" not in text.lower()
    olga, mo = sum(e["co2eKg"] for e in mine), sum(e["co2eKg"] for e in theirs)
    dash = board.json()
    assert dash["co2eKgThisMonth"] == pytest.approx(olga + mo)
    assert dash["co2eKgLastMonth"] == 0
    assert dash["perMemberAverageCo2eKg"] == pytest.approx((olga + mo) / 3)
    assert dash["co2eKgByCategory"] == {
        "transport": pytest.approx(sum(e["co2eKg"] for e in mine + theirs[:2])),
        "electricity": pytest.approx(theirs[2]["co2eKg"]),
    }
    lines = [
        (s["rank"], s["displayName"], s["isYou"], s["co2eKg"]) for s in ranking.json()["items"]
    ]
    assert lines == [
        (1, "Mo", True, pytest.approx(mo)),
        (2, "Olga", False, pytest.approx(olga)),
        (None, "Idle", False, 0),
    ]
    assert set(ranking.json()["items"][0]) == {
        "rank",
        "displayName",
        "co2eKg",
        "loggedDays",
        "vsAveragePercent",
        "isYou",
    }


def test_team_goal_progress_is_the_sum_of_members_kg(client: TestClient) -> None:
    owner, _ = person(client, "Olga")
    team = new_team(client, owner)
    admin, admin_id = joined(client, team, "Ada")
    member, _ = joined(client, team, "Mo")
    base = f"/api/teams/{team['teamId']}"
    client.patch(f"{base}/members/{admin_id}", json={"role": "admin"}, headers=owner)
    total = {"kind": "budget", "scope": "total", "period": "month", "targetCo2eKg": 500}
    per_member = {**total, "scope": "per_member", "targetCo2eKg": 50}
    created = client.post(f"{base}/goals", json=total, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["scope"] == "total"
    assert client.post(f"{base}/goals", json=per_member, headers=owner).status_code == 201
    kg = [log(client, who, km)["co2eKg"] for who, km in ((owner, 40), (admin, 25), (member, 61))]
    goals = client.get(f"{base}/goals", headers=member).json()["items"]
    by_scope = {g["scope"]: g["progress"] for g in goals}
    assert by_scope["total"]["currentCo2eKg"] == pytest.approx(sum(kg))
    assert by_scope["total"]["targetCo2eKg"] == 500
    assert by_scope["total"]["percent"] == pytest.approx(sum(kg) / 500 * 100)
    assert by_scope["per_member"]["currentCo2eKg"] == pytest.approx(sum(kg) / 3)
    dash_goals = client.get(base, headers=member).json()["goals"]
    assert {g["goalId"] for g in dash_goals} == {g["goalId"] for g in goals}
    goal_id = created.json()["goalId"]
    assert client.delete(f"{base}/goals/{goal_id}", headers=member).status_code == 403
    assert client.delete(f"{base}/goals/{goal_id}", headers=admin).status_code == 204
    assert client.delete(f"{base}/goals/{goal_id}", headers=admin).status_code == 404
    assert len(client.get(f"{base}/goals", headers=member).json()["items"]) == 1


def test_team_reduction_goal_measures_against_the_members_history(client: TestClient) -> None:
    owner, _ = person(client, "Olga")
    team = new_team(client, owner)
    member, _ = joined(client, team, "Mo")
    this_month = periods.period_start(datetime.now(UTC).date(), "month")
    kg = []
    for who, back, km in ((owner, 1, 100), (member, 1, 20), (member, 2, 50)):
        day = periods.shift(this_month, "month", -back).replace(day=15)
        when = datetime(day.year, day.month, day.day, 12, tzinfo=UTC).isoformat()
        body = {"factorId": PETROL_CAR, "quantity": km, "unit": "km", "timestamp": when}
        response = client.post("/api/entries", json=body, headers=who)
        assert response.status_code == 201, response.text
        kg.append(response.json()["co2eKg"])
    url = f"/api/teams/{team['teamId']}/goals"
    body = {"kind": "reduction", "period": "month", "targetReductionPercent": 20}
    total = client.post(url, json={**body, "scope": "total"}, headers=owner)
    each = client.post(url, json={**body, "scope": "per_member"}, headers=owner)
    assert total.status_code == each.status_code == 201, total.text
    # Two of the three months before had entries: (kg[0] + kg[1]) and kg[2].
    mean = (kg[0] + kg[1] + kg[2]) / 2
    assert total.json()["baselineCo2eKg"] == pytest.approx(mean)
    assert total.json()["progress"]["targetCo2eKg"] == pytest.approx(mean * 0.8)
    assert each.json()["baselineCo2eKg"] == pytest.approx(mean / 2)


def test_impossible_team_goals_are_422_and_change_nothing(client: TestClient) -> None:
    owner, _ = person(client, "Olga")
    team = new_team(client, owner)
    budget = {"kind": "budget", "scope": "total", "period": "month", "targetCo2eKg": 5}
    reduction = {**budget, "kind": "reduction", "targetReductionPercent": 20}
    del reduction["targetCo2eKg"]
    cases: list[tuple[dict[str, Any], str | None]] = [
        ({**budget, "targetCo2eKg": -5}, "targetCo2eKg"),
        ({**budget, "targetCo2eKg": 0}, "targetCo2eKg"),
        (reduction, "targetReductionPercent"),  # no history to reduce from
        ({**budget, "scope": "everyone"}, None),
        ({**budget, "period": "day"}, None),
        ({**budget, "startDate": "2001-01-01"}, "startDate"),
    ]
    url = f"/api/teams/{team['teamId']}/goals"
    for body, field in cases:
        response = client.post(url, json=body, headers=owner)
        assert response.status_code == 422, (body, response.text)
        if field is not None:
            assert response.json()["field"] == field
    assert client.get(url, headers=owner).json()["items"] == []


def test_deleting_an_account_hands_its_teams_on(client: TestClient) -> None:
    owner, _ = person(client, "Olga")
    shared = new_team(client, owner, name="Shared")
    alone = new_team(client, owner, name="Alone")
    member, member_id = joined(client, shared, "Mo")
    admin, admin_id = joined(client, shared, "Ada")
    client.patch(
        f"/api/teams/{shared['teamId']}/members/{admin_id}", json={"role": "admin"}, headers=owner
    )
    assert client.delete("/api/profile", headers=owner).status_code == 204
    assert roles(client, admin, shared["teamId"]) == {"Ada": "owner", "Mo": "member"}
    assert member_id != admin_id
    assert store_of(client).teams.get(alone["teamId"]) is None
    assert client.get(f"/api/teams/{shared['teamId']}", headers=member).status_code == 200


def test_team_and_membership_limits_are_422(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(domain_teams, "MAX_MEMBERS", 2)
    monkeypatch.setattr(domain_teams, "MAX_TEAMS_PER_USER", 1)
    owner, _ = person(client, "Olga")
    team = new_team(client, owner)
    second = client.post("/api/teams", json={"name": "Second"}, headers=owner)
    assert second.status_code == 422
    joined(client, team, "Mo")
    late, _ = person(client, "Lee")
    full = join(client, late, team)
    assert full.status_code == 422
    assert "at most 2 members" in full.json()["detail"]
    assert [t["name"] for t in client.get("/api/teams", headers=owner).json()["items"]] == ["Acme"]
    assert client.get("/api/teams", headers=late).json()["items"] == []
