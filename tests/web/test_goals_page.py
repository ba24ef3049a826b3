"""/goals through TestClient on both stores: set, see progress, refuse bad input, delete."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from tests.web.area_pages import (
    another_browser,
    field_error,
    field_errors,
    flashes,
    log_car_km,
    selected,
    value_of,
)
from tests.web.helpers import csrf_from, sign_up, submit

BUDGET = {"kind": "budget", "period": "month", "category": "transport", "targetCo2eKg": "100"}


def api_goals(client: TestClient) -> list[dict[str, Any]]:
    response = client.get("/api/goals")
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def test_signed_out_visitors_are_sent_to_log_in(client: TestClient) -> None:
    response = client.get("/goals", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fgoals"


def test_a_new_user_sees_what_to_do_and_a_labelled_form(client: TestClient) -> None:
    sign_up(client)
    page = client.get("/goals")
    assert page.status_code == 200
    assert "No goals yet" in page.text
    assert 'href="#new-goal"' in page.text
    for name in ("kind", "category", "targetCo2eKg", "targetReductionPercent", "period"):
        assert f'<label for="f-{name}">' in page.text
    # Without JavaScript both targets show, each saying which kind of goal it is for.
    assert "For a budget goal" in page.text
    assert "For a reduction goal" in page.text
    assert '<script type="module" src="/static/app/goals.js"></script>' in page.text
    assert client.get("/static/app/goals.js").status_code == 200
    assert "default-src 'none'" in page.headers["content-security-policy"]


def test_a_budget_goal_shows_the_same_progress_as_the_api(client: TestClient) -> None:
    sign_up(client)
    log_car_km(client, 200)  # 200 km x 0.1743 = 34.86 kg CO2e, this month

    response = submit(client, "/goals", BUDGET)
    assert response.status_code == 303
    assert response.headers["location"] == "/goals"

    [goal] = api_goals(client)
    progress = goal["progress"]
    assert abs(progress["currentCo2eKg"] - 34.86) < 1e-6
    assert progress["percent"] is not None
    page = client.get("/goals").text
    assert ("success", "Goal set. Its progress updates as you log activities.") in flashes(page)
    assert "Monthly budget of 100 kg CO2e · Transport" in page
    assert "34.9 kg of 100.0 kg CO2e this month (35%)" in page
    bar = re.search(r'<progress value="([\d.]+)" max="100"', page)
    assert bar is not None
    assert abs(float(bar.group(1)) - progress["percent"]) < 1e-9
    days = progress["daysLeft"]
    assert f"{days} day{'' if days == 1 else 's'} left in this month" in page
    assert ("On track" if progress["onTrack"] else "Off track") in page
    assert "No goals yet" not in page


def test_only_the_target_of_the_chosen_kind_is_read(client: TestClient) -> None:
    sign_up(client)
    typed = {**BUDGET, "targetReductionPercent": "not a number"}
    assert submit(client, "/goals", typed).status_code == 303
    [goal] = api_goals(client)
    assert goal["targetCo2eKg"] == 100
    assert goal["targetReductionPercent"] is None


def test_bad_input_shows_each_error_next_to_its_field_keeps_it_and_saves_nothing(
    client: TestClient,
) -> None:
    sign_up(client)
    typed = {
        "kind": "budget",
        "period": "day",
        "category": "diet",
        "targetCo2eKg": "-5",
        "startDate": "soon",
    }
    response = submit(client, "/goals", typed)

    assert response.status_code == 422
    page = response.text
    assert field_errors(page) == {"period", "category", "targetCo2eKg", "startDate"}
    assert "above 0" in field_error(page, "targetCo2eKg")
    assert "YYYY-MM-DD" in field_error(page, "startDate")
    assert 'aria-invalid="true"' in page
    assert '<a href="#f-targetCo2eKg">' in page  # the error summary links to the field
    assert value_of(page, "targetCo2eKg") == "-5"
    assert value_of(page, "startDate") == "soon"
    assert selected(page, "kind") == "budget"
    assert api_goals(client) == []


def test_the_services_rules_show_next_to_their_field(client: TestClient) -> None:
    sign_up(client)
    reduction = {"kind": "reduction", "period": "month", "targetReductionPercent": "20"}
    response = submit(client, "/goals", reduction)
    assert response.status_code == 422
    assert "No history to measure a reduction against" in field_error(
        response.text, "targetReductionPercent"
    )
    assert value_of(response.text, "targetReductionPercent") == "20"
    assert selected(response.text, "kind") == "reduction"

    far = submit(client, "/goals", {**BUDGET, "startDate": "2000-01-01"})
    assert far.status_code == 422
    assert "within 366 days" in field_error(far.text, "startDate")
    assert api_goals(client) == []


def test_a_second_goal_of_the_same_kind_is_refused_by_the_kind_field(client: TestClient) -> None:
    sign_up(client)
    assert submit(client, "/goals", BUDGET).status_code == 303
    response = submit(client, "/goals", {**BUDGET, "targetCo2eKg": "80"})
    assert response.status_code == 409
    assert "You already have a monthly transport budget goal" in field_error(response.text, "kind")
    assert value_of(response.text, "targetCo2eKg") == "80"
    assert [g["targetCo2eKg"] for g in api_goals(client)] == [100]


def test_deleting_asks_first_and_then_removes_the_goal(client: TestClient) -> None:
    sign_up(client)
    assert submit(client, "/goals", BUDGET).status_code == 303
    [goal] = api_goals(client)
    page = client.get("/goals").text
    action = f"/goals/{goal['goalId']}/delete"
    # The button is inside a <details> disclosure: a second, deliberate step.
    assert re.search(
        rf'<details class="confirm">\s*<summary>Delete this goal</summary>\s*'
        rf'<form method="post" action="{action}">',
        page,
    )

    response = submit(client, action, {}, page="/goals")
    assert response.status_code == 303
    assert api_goals(client) == []
    after = client.get("/goals").text
    assert ("success", "Goal deleted.") in flashes(after)
    assert "No goals yet" in after


def test_another_users_goal_cannot_be_deleted(client: TestClient) -> None:
    sign_up(client)
    assert submit(client, "/goals", BUDGET).status_code == 303
    [goal] = api_goals(client)
    intruder = another_browser(client, name="Mallory")

    response = submit(intruder, f"/goals/{goal['goalId']}/delete", {}, page="/goals")
    assert response.status_code == 404
    assert "goal not found" in response.text
    assert "Monthly budget" not in intruder.get("/goals").text
    assert len(api_goals(client)) == 1


def test_posts_without_a_valid_csrf_token_change_nothing(client: TestClient) -> None:
    sign_up(client)
    refused = client.post("/goals", data=BUDGET)
    assert refused.status_code == 403
    assert "This form was not sent" in refused.text
    assert value_of(refused.text, "targetCo2eKg") == "100"  # what was typed is kept
    assert api_goals(client) == []

    assert submit(client, "/goals", BUDGET).status_code == 303
    [goal] = api_goals(client)
    action = f"/goals/{goal['goalId']}/delete"
    assert client.post(action, data={"csrf": "forged"}).status_code == 403
    # A token from another session does not pass either.
    other = another_browser(client, name="Eve")
    stolen = csrf_from(other.get("/goals").text)
    assert client.post(action, data={"csrf": stolen}).status_code == 403
    assert len(api_goals(client)) == 1
