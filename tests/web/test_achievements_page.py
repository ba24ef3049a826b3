"""/achievements through TestClient on both stores: earned and locked, points and level."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.area_pages import log_car_km
from tests.web.helpers import sign_up, submit

ACHIEVEMENT = re.compile(r'<li class="achievement (earned|locked)" id="achievement-([\w-]+)">')


def states(page: str) -> dict[str, str]:
    """achievement id -> "earned" or "locked", as listed on the page."""
    return {achievement_id: state for state, achievement_id in ACHIEVEMENT.findall(page)}


def locked_progress(page: str, achievement_id: str) -> str:
    found = re.search(rf'id="achievement-{achievement_id}-progress"[^>]*>([^<]*)<', page)
    assert found is not None, f"no progress shown for {achievement_id}"
    return found.group(1)


def test_signed_out_visitors_are_sent_to_log_in(client: TestClient) -> None:
    response = client.get("/achievements", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fachievements"


def test_a_new_user_sees_every_achievement_locked_and_what_to_do(client: TestClient) -> None:
    sign_up(client)
    page = client.get("/achievements")
    assert page.status_code == 200
    api = client.get("/api/achievements").json()
    assert states(page.text) == {item["achievementId"]: "locked" for item in api["items"]}
    assert '<h2 id="level">Level 1</h2>' in page.text
    assert "0 points from 0 of 16 achievements." in page.text
    assert "50 points to level 2 (at 50 points)." in page.text
    assert 'href="/log">Log your first activity</a>' in page.text
    assert locked_progress(page.text, "first-entry") == "0% of the way"


def test_earned_achievements_show_with_points_and_locked_ones_with_progress(
    client: TestClient,
) -> None:
    sign_up(client)
    log_car_km(client, 10)
    goal = {"kind": "budget", "period": "month", "targetCo2eKg": "100"}
    assert submit(client, "/goals", goal).status_code == 303

    page = client.get("/achievements").text
    api = client.get("/api/achievements").json()
    earned = {i["achievementId"] for i in api["items"] if i["earnedAt"] is not None}
    assert earned == {"first-entry", "first-goal"}
    assert {a for a, state in states(page).items() if state == "earned"} == earned
    assert api["points"] == 20
    assert "20 points from 2 of 16 achievements." in page
    assert "30 points to level 2 (at 50 points)." in page
    assert '<progress value="20" max="50"' in page
    assert locked_progress(page, "entries-10") == "10% of the way"  # 1 of 10 entries
    assert '<span class="badge tier tier-bronze">Bronze</span>' in page
    assert "Nothing earned yet" not in page
