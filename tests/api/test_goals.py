"""Personal goals through the API on both stores: progress, bad input, privacy."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from carbontrack.domain import goals as goal_rules
from carbontrack.domain.models import Goal
from carbontrack.domain.periods import period_end, period_start, shift
from carbontrack.store.base import Store
from tests.api.factor_ids import FLIGHT_SHORT_ECONOMY_RF, PETROL_CAR, UK_GRID
from tests.api.helpers import signed_in

Headers = dict[str, str]
BUDGET = {"kind": "budget", "period": "month", "targetCo2eKg": 200}


def today() -> date:
    """Today for a user in UTC (the default time zone)."""
    return datetime.now(UTC).date()


def at_noon(day: date) -> str:
    return datetime.combine(day, time(12), UTC).isoformat()


def log(
    client: TestClient, headers: Headers, factor_id: str, quantity: float, **extra: Any
) -> float:
    """Log an entry (today unless a timestamp is given) and return its kg CO2e."""
    unit = "kWh" if factor_id == UK_GRID else "km"
    body = {"factorId": factor_id, "quantity": quantity, "unit": unit, **extra}
    response = client.post("/api/entries", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return float(response.json()["co2eKg"])


def create(client: TestClient, headers: Headers, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/goals", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def listed(client: TestClient, headers: Headers) -> list[dict[str, Any]]:
    response = client.get("/api/goals", headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_budget_progress_is_the_sum_of_the_logged_entries(client: TestClient) -> None:
    headers = signed_in(client)
    car = log(client, headers, PETROL_CAR, 100, timestamp=at_noon(today()))
    grid = log(client, headers, UK_GRID, 250, timestamp=at_noon(today()))
    goal = create(client, headers, BUDGET)
    assert set(goal) == {
        "goalId", "kind", "period", "category", "targetReductionPercent", "targetCo2eKg",
        "baselineCo2eKg", "startDate", "createdAt", "achievedAt", "progress",
    }  # fmt: skip
    assert (goal["kind"], goal["period"], goal["category"]) == ("budget", "month", None)
    assert (goal["targetCo2eKg"], goal["targetReductionPercent"]) == (200, None)
    assert goal["startDate"] == today().isoformat()
    progress = goal["progress"]
    assert progress["status"] == "active"
    assert progress["periodStart"] == period_start(today(), "month").isoformat()
    assert progress["periodEnd"] == period_end(today(), "month").isoformat()
    assert progress["currentCo2eKg"] == pytest.approx(car + grid, rel=1e-12)
    assert progress["targetCo2eKg"] == 200
    assert progress["percent"] == pytest.approx((car + grid) / 200 * 100, rel=1e-12)
    assert progress["daysLeft"] == (period_end(today(), "month") - today()).days
    elapsed = (today() - period_start(today(), "month")).days + 1
    month_days = (period_end(today(), "month") - period_start(today(), "month")).days
    assert progress["projectedCo2eKg"] == pytest.approx((car + grid) * month_days / elapsed)

    flight = log(client, headers, FLIGHT_SHORT_ECONOMY_RF, 1000, timestamp=at_noon(today()))
    again = client.get(f"/api/goals/{goal['goalId']}", headers=headers).json()
    assert again["progress"]["currentCo2eKg"] == pytest.approx(car + grid + flight, rel=1e-12)
    assert again["progress"]["onTrack"] is False  # 152 kg of flight blows a 200 kg month
    assert [g["goalId"] for g in listed(client, headers)] == [goal["goalId"]]


def test_category_goals_count_their_category_only(client: TestClient) -> None:
    headers = signed_in(client)
    car = log(client, headers, PETROL_CAR, 40, timestamp=at_noon(today()))
    log(client, headers, UK_GRID, 100, timestamp=at_noon(today()))
    weekly = create(client, headers, {**BUDGET, "period": "week", "category": "transport"})
    assert weekly["progress"]["currentCo2eKg"] == pytest.approx(car, rel=1e-12)
    assert weekly["progress"]["periodStart"] == period_start(today(), "week").isoformat()
    yearly = create(client, headers, {**BUDGET, "period": "year", "category": "flights"})
    assert yearly["progress"]["currentCo2eKg"] == 0
    assert [g["goalId"] for g in listed(client, headers)] == [weekly["goalId"], yearly["goalId"]]


def test_reduction_goal_measures_against_the_three_months_before(client: TestClient) -> None:
    headers = signed_in(client)
    this_month = period_start(today(), "month")
    history = [
        log(client, headers, PETROL_CAR, km, timestamp=at_noon(shift(this_month, "month", -back)))
        for back, km in ((1, 300), (2, 200), (3, 100))
    ]
    log(client, headers, UK_GRID, 500, timestamp=at_noon(shift(this_month, "month", -1)))
    log(client, headers, PETROL_CAR, 999, timestamp=at_noon(shift(this_month, "month", -4)))
    goal = create(
        client,
        headers,
        {
            "kind": "reduction",
            "period": "month",
            "category": "transport",
            "targetReductionPercent": 20,
        },
    )
    baseline = sum(history) / 3
    assert goal["baselineCo2eKg"] == pytest.approx(baseline, rel=1e-12)
    assert goal["progress"]["targetCo2eKg"] == pytest.approx(baseline * 0.8, rel=1e-12)
    assert goal["progress"]["currentCo2eKg"] == 0
    assert goal["progress"]["lastPeriod"] is None  # the goal started this month

    # The baseline was fixed when the goal was set: later back-filling does not move it.
    log(client, headers, PETROL_CAR, 5000, timestamp=at_noon(shift(this_month, "month", -2)))
    again = client.get(f"/api/goals/{goal['goalId']}", headers=headers).json()
    assert again["baselineCo2eKg"] == goal["baselineCo2eKg"]


def test_goal_started_last_month_reports_how_that_month_ended(client: TestClient) -> None:
    headers = signed_in(client)
    last_month = shift(period_start(today(), "month"), "month", -1)
    kg = log(client, headers, PETROL_CAR, 100, timestamp=at_noon(last_month))
    goal = create(client, headers, {**BUDGET, "startDate": last_month.isoformat()})
    assert goal["progress"]["lastPeriod"] == {
        "periodStart": last_month.isoformat(),
        "periodEnd": period_start(today(), "month").isoformat(),
        "co2eKg": pytest.approx(kg, rel=1e-12),
        "targetCo2eKg": 200,
        "achieved": True,
    }


def test_a_month_met_while_the_goal_was_set_records_it_and_awards_it(
    client: TestClient,
) -> None:
    headers = signed_in(client, timeZone="Europe/Berlin")
    user_id = client.get("/api/profile", headers=headers).json()["userId"]
    zone = ZoneInfo("Europe/Berlin")
    this_month = period_start(datetime.now(zone).date(), "month")
    last_month = shift(this_month, "month", -1)
    log(client, headers, PETROL_CAR, 100, timestamp=at_noon(last_month))
    # Set in the middle of last month: the API would stamp it now, so write it to the store.
    set_then = datetime.combine(last_month + timedelta(days=9), time(9), zone)
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    store.goals.add(
        Goal(
            goal_id="3f1d6c1e-0000-4000-8000-000000000001",
            owner_id=user_id,
            kind="budget",
            period="month",
            start_date=last_month,
            created_at=set_then.astimezone(UTC),
            target_co2e_kg=50.0,
        )
    )
    (goal,) = listed(client, headers)
    assert goal["progress"]["lastPeriod"]["achieved"] is True  # 17.43 kg of 50
    midnight = datetime.combine(this_month, time(), zone).astimezone(UTC)
    assert datetime.fromisoformat(goal["achievedAt"]) == midnight
    assert client.get(f"/api/goals/{goal['goalId']}", headers=headers).json() == goal
    board = client.get("/api/achievements", headers=headers).json()["items"]
    earned = {item["achievementId"]: item["earnedAt"] for item in board}
    assert earned["goal-achieved"] is not None


def test_a_month_over_before_the_goal_was_set_is_not_a_goal_met(client: TestClient) -> None:
    headers = signed_in(client)
    last_month = shift(period_start(today(), "month"), "month", -1)
    log(client, headers, PETROL_CAR, 10, timestamp=at_noon(last_month))
    goal = create(client, headers, {**BUDGET, "startDate": last_month.isoformat()})
    assert goal["progress"]["lastPeriod"]["achieved"] is True
    assert goal["achievedAt"] is None
    assert listed(client, headers)[0]["achievedAt"] is None


def test_goal_starting_next_month_is_upcoming(client: TestClient) -> None:
    headers = signed_in(client)
    start = period_end(today(), "month") + timedelta(days=3)
    goal = create(client, headers, {**BUDGET, "startDate": start.isoformat()})
    progress = goal["progress"]
    assert progress["status"] == "upcoming"
    assert progress["periodStart"] == period_end(today(), "month").isoformat()
    assert (progress["currentCo2eKg"], progress["percent"], progress["onTrack"]) == (0, 0, True)


def test_reduction_without_history_is_refused(client: TestClient) -> None:
    headers = signed_in(client)
    log(client, headers, PETROL_CAR, 100, timestamp=at_noon(today()))  # this period only
    body = {"kind": "reduction", "period": "week", "targetReductionPercent": 10}
    response = client.post("/api/goals", json=body, headers=headers)
    assert response.status_code == 422
    assert "no history to measure a reduction" in response.json()["detail"]
    assert listed(client, headers) == []


# One store per backend for all the cases: setting up a store costs more than a request.
IMPOSSIBLE: list[dict[str, Any]] = [
    {**BUDGET, "targetCo2eKg": -5},
    {**BUDGET, "targetCo2eKg": 0},
    {**BUDGET, "targetCo2eKg": 1e12},
    {**BUDGET, "targetCo2eKg": "lots"},
    {"kind": "budget", "period": "month"},
    {**BUDGET, "period": "day"},
    {**BUDGET, "period": 0},
    {**BUDGET, "period": ""},
    {**BUDGET, "kind": "savings"},
    {**BUDGET, "targetReductionPercent": 10},
    {"kind": "reduction", "period": "month", "targetReductionPercent": 0},
    {"kind": "reduction", "period": "month", "targetReductionPercent": -20},
    {"kind": "reduction", "period": "month", "targetReductionPercent": 120},
    {"kind": "reduction", "period": "month", "targetCo2eKg": 100},
    {**BUDGET, "category": "diet"},
    {**BUDGET, "startDate": "2000-01-01"},
    {**BUDGET, "startDate": "2100-01-01"},
    {**BUDGET, "startDate": "2026-02-30"},
    {**BUDGET, "endDate": "2020-01-01"},
    {**BUDGET, "goalId": "mine"},
]


def test_impossible_goals_are_422_and_change_nothing(client: TestClient) -> None:
    headers = signed_in(client)
    for body in IMPOSSIBLE:
        response = client.post("/api/goals", json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
    nan = '{"kind": "budget", "period": "month", "targetCo2eKg": NaN}'
    json_headers = {**headers, "Content-Type": "application/json"}
    assert client.post("/api/goals", content=nan, headers=json_headers).status_code == 422
    assert listed(client, headers) == []


def test_a_second_goal_of_the_same_kind_category_and_period_is_409(client: TestClient) -> None:
    headers = signed_in(client)
    first = create(client, headers, BUDGET)
    response = client.post("/api/goals", json={**BUDGET, "targetCo2eKg": 50}, headers=headers)
    assert response.status_code == 409
    assert first["goalId"] in response.json()["detail"]
    create(client, headers, {**BUDGET, "period": "week"})
    create(client, headers, {**BUDGET, "category": "transport"})
    assert len(listed(client, headers)) == 3


def test_goals_per_user_are_capped(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(goal_rules, "MAX_GOALS", 2)
    headers = signed_in(client)
    create(client, headers, BUDGET)
    create(client, headers, {**BUDGET, "period": "week"})
    response = client.post("/api/goals", json={**BUDGET, "period": "year"}, headers=headers)
    assert response.status_code == 422
    assert "delete one first" in response.json()["detail"]
    assert len(listed(client, headers)) == 2


def test_patch_changes_the_target_only(client: TestClient) -> None:
    headers = signed_in(client)
    kg = log(client, headers, PETROL_CAR, 100, timestamp=at_noon(today()))
    goal = create(client, headers, BUDGET)
    url = f"/api/goals/{goal['goalId']}"
    response = client.patch(url, json={"targetCo2eKg": 50}, headers=headers)
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["targetCo2eKg"] == 50
    assert changed["progress"]["targetCo2eKg"] == 50
    assert changed["progress"]["percent"] == pytest.approx(kg / 50 * 100, rel=1e-12)
    assert {k: v for k, v in changed.items() if k not in {"targetCo2eKg", "progress"}} == {
        k: v for k, v in goal.items() if k not in {"targetCo2eKg", "progress"}
    }
    assert client.get(url, headers=headers).json() == changed


def test_patch_of_a_reduction_keeps_its_baseline(client: TestClient) -> None:
    headers = signed_in(client)
    last_week = shift(period_start(today(), "week"), "week", -1)
    kg = log(client, headers, PETROL_CAR, 90, timestamp=at_noon(last_week))
    body = {"kind": "reduction", "period": "week", "targetReductionPercent": 10}
    goal = create(client, headers, body)
    assert goal["baselineCo2eKg"] == pytest.approx(kg, rel=1e-12)  # one logged week of three
    url = f"/api/goals/{goal['goalId']}"
    changed = client.patch(url, json={"targetReductionPercent": 50}, headers=headers).json()
    assert changed["baselineCo2eKg"] == goal["baselineCo2eKg"]
    assert changed["progress"]["targetCo2eKg"] == pytest.approx(kg / 2, rel=1e-12)


BAD_PATCHES: list[tuple[dict[str, Any], str]] = [
    ({"period": "week"}, "create a new goal"),
    ({"kind": "reduction", "targetReductionPercent": 10}, "create a new goal"),
    ({"category": None}, "create a new goal"),
    ({"startDate": "2026-01-01"}, "create a new goal"),
    ({"targetCo2eKg": -1}, "targetCo2eKg"),
    ({"targetCo2eKg": 0}, "targetCo2eKg"),
    ({"targetCo2eKg": None}, "targetCo2eKg"),
    ({"targetReductionPercent": 10}, "targetReductionPercent"),
    ({}, "give targetReductionPercent or targetCo2eKg"),
    ({"note": "x"}, "note"),
]


def test_bad_patches_are_422_and_change_nothing(client: TestClient) -> None:
    headers = signed_in(client)
    goal = create(client, headers, BUDGET)
    url = f"/api/goals/{goal['goalId']}"
    for body, detail in BAD_PATCHES:
        response = client.patch(url, json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert detail in str(response.json()["detail"]), (body, response.text)
    assert client.get(url, headers=headers).json() == goal


def test_delete_then_the_goal_is_gone(client: TestClient) -> None:
    headers = signed_in(client)
    keep, drop = (
        create(client, headers, BUDGET),
        create(client, headers, {**BUDGET, "period": "week"}),
    )
    url = f"/api/goals/{drop['goalId']}"
    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url, headers=headers).status_code == 404
    assert client.delete(url, headers=headers).status_code == 404
    assert [g["goalId"] for g in listed(client, headers)] == [keep["goalId"]]


def test_another_users_goal_is_404_for_every_method(client: TestClient) -> None:
    ada, bob = signed_in(client), signed_in(client)
    goal = create(client, ada, BUDGET)
    url = f"/api/goals/{goal['goalId']}"
    assert client.get(url, headers=bob).status_code == 404
    assert client.patch(url, json={"targetCo2eKg": 1}, headers=bob).status_code == 404
    assert client.delete(url, headers=bob).status_code == 404
    assert listed(client, bob) == []
    assert client.get(url, headers=ada).json() == goal
    assert client.get("/api/goals/" + "x" * 2000, headers=ada).status_code == 404


def test_goals_need_a_signed_in_user(client: TestClient) -> None:
    assert client.get("/api/goals").status_code == 401
    assert client.post("/api/goals", json=BUDGET).status_code == 401
