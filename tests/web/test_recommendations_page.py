"""/recommendations through TestClient on both stores: ranking, savings, commit and complete."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from carbontrack.domain.reduction_actions import CATALOGUE
from tests.web.area_pages import another_browser, flashes, log_car_km
from tests.web.helpers import sign_up, submit

ACTION = re.compile(r'<article class="recommendation" id="action-([\w-]+)">')


def listed(page: str) -> list[str]:
    return ACTION.findall(page)


def card(page: str, action_id: str) -> str:
    found = re.search(rf'id="action-{action_id}">.*?</article>', page, re.DOTALL)
    assert found is not None, f"no card for {action_id}"
    return html.unescape(found.group(0))


def status(client: TestClient, action_id: str) -> str | None:
    items = client.get("/api/recommendations", params={"limit": 50}).json()["items"]
    found: str | None = next(item["status"] for item in items if item["actionId"] == action_id)
    return found


def test_signed_out_visitors_are_sent_to_log_in(client: TestClient) -> None:
    response = client.get("/recommendations", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Frecommendations"


def test_a_new_user_gets_typical_advice_and_the_questionnaire(client: TestClient) -> None:
    sign_up(client)
    log_car_km(client, 12)  # one trip today: too little to compute savings from
    page = client.get("/recommendations").text
    assert "Typical advice for now" in page
    assert 'href="/start"' in page
    assert listed(page) == [action.action_id for action in CATALOGUE]
    first = card(page, "car-to-rail")
    assert "Typical advice" in first
    assert "General advice" not in page
    assert "Saves about" not in first  # no invented number
    assert "I will do this" in first


def test_actions_are_ranked_as_the_api_ranks_them_with_their_yearly_savings(
    client: TestClient,
) -> None:
    sign_up(client)
    log_car_km(client, 1000, days_ago=40)  # over a month of logs: the user's own numbers
    page = client.get("/recommendations").text
    api = client.get("/api/recommendations", params={"limit": 50}).json()["items"]

    assert listed(page) == [item["actionId"] for item in api]
    assert "Typical advice" not in page
    rail = next(item for item in api if item["actionId"] == "car-to-rail")
    assert rail["general"] is False
    shown = card(page, "car-to-rail")
    assert f"Saves about {rail['estimatedSavingsKgPerYear']:,.1f} kg CO2e a year" in shown
    assert rail["rationale"] in shown
    assert "Medium effort" in shown
    assert "Not computed" not in shown
    assert "Not computed" in card(page, "plant-based-meals")


def test_commit_then_complete_shows_the_status(client: TestClient) -> None:
    sign_up(client)
    response = submit(client, "/recommendations/car-to-rail/commit", {}, page="/recommendations")
    assert response.status_code == 303
    assert response.headers["location"] == "/recommendations#action-car-to-rail"
    page = client.get("/recommendations").text
    assert ("success", "You committed to “Take the train for some car trips”.") in flashes(page)
    committed = card(page, "car-to-rail")
    assert "Committed" in committed
    assert "I will do this" not in committed
    assert "I have done this" in committed
    assert status(client, "car-to-rail") == "committed"

    done = submit(client, "/recommendations/car-to-rail/complete", {}, page="/recommendations")
    assert done.status_code == 303
    page = client.get("/recommendations").text
    completed = card(page, "car-to-rail")
    assert "Done" in completed
    assert "<button" not in completed
    assert listed(page)[-1] == "car-to-rail"  # completed actions go last
    assert status(client, "car-to-rail") == "completed"
    achievements = client.get("/api/achievements").json()["items"]
    assert any(a["achievementId"] == "first-action" and a["earnedAt"] for a in achievements)


def test_an_unknown_action_is_the_404_page(client: TestClient) -> None:
    sign_up(client)
    response = submit(client, "/recommendations/no-such-action/commit", {}, page="/recommendations")
    assert response.status_code == 404
    assert "unknown action" in response.text


def test_commitments_are_each_users_own(client: TestClient) -> None:
    sign_up(client)
    committed = submit(client, "/recommendations/car-share/commit", {}, page="/recommendations")
    assert committed.status_code == 303
    other = another_browser(client, name="Other")
    assert "Committed" not in card(other.get("/recommendations").text, "car-share")
    assert status(client, "car-share") == "committed"


def test_posts_without_a_valid_csrf_token_change_nothing(client: TestClient) -> None:
    sign_up(client)
    for step in ("commit", "complete"):
        response = client.post(f"/recommendations/car-to-bus/{step}", data={"csrf": "forged"})
        assert response.status_code == 403
        assert "This form was not sent" in response.text
        assert client.post(f"/recommendations/car-to-bus/{step}").status_code == 403
    assert status(client, "car-to-bus") is None
