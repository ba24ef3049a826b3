"""Achievements through the API and the award hooks on both stores."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from carbontrack.domain.models import User
from carbontrack.services import achievements
from carbontrack.services.entries import EntryInput, build_entry
from carbontrack.store.base import Store
from tests.api.factor_ids import PETROL_CAR
from tests.api.helpers import login, register

Headers = dict[str, str]
ITEM_KEYS = {"achievementId", "title", "description", "tier", "points", "earnedAt", "progress"}


def account(client: TestClient, **profile: Any) -> tuple[Headers, User, Store]:
    """A fresh user: auth headers, the stored user and the app's store."""
    created = register(client)
    headers = login(client, email=created["email"], password=created["password"])
    if profile:
        assert client.patch("/api/profile", json=profile, headers=headers).status_code == 200
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    user = store.users.get_by_email(created["email"])
    assert user is not None
    return headers, user, store


def board(client: TestClient, headers: Headers) -> dict[str, Any]:
    response = client.get("/api/achievements", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def by_id(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["achievementId"]: item for item in body["items"]}


def log(client: TestClient, headers: Headers, **extra: Any) -> None:
    body = {"factorId": PETROL_CAR, "quantity": 10, "unit": "km", **extra}
    response = client.post("/api/entries", json=body, headers=headers)
    assert response.status_code == 201, response.text


def add_entry(store: Store, user: User, timestamp: datetime, *, km: float = 10.0) -> None:
    """Write an entry as the API would, at any time, without running the hooks."""
    data = EntryInput(factor_id=PETROL_CAR, quantity=km, unit="km", timestamp=timestamp)
    store.entries.add(build_entry(store=store, user=user, data=data, now=timestamp))


def test_a_new_user_sees_every_achievement_locked(client: TestClient) -> None:
    headers, _, _ = account(client)
    body = board(client, headers)
    assert (body["level"], body["points"], body["nextLevelPoints"]) == (1, 0, 50)
    assert len(body["items"]) == 16
    for item in body["items"]:
        assert set(item) == ITEM_KEYS
        assert item["earnedAt"] is None
        assert item["progress"] == 0.0
        assert item["tier"] in {"bronze", "silver", "gold", "platinum"}


def test_the_first_entry_is_awarded_with_its_points(client: TestClient) -> None:
    headers, _, _ = account(client)
    log(client, headers)
    body = board(client, headers)
    items = by_id(body)
    assert items["first-entry"]["earnedAt"] is not None
    assert items["first-entry"]["progress"] == 1.0
    assert items["entries-10"]["earnedAt"] is None
    assert items["entries-10"]["progress"] == pytest.approx(0.1)
    assert items["streak-7"]["progress"] == pytest.approx(1 / 7)
    assert (body["points"], body["level"]) == (10, 1)


def test_an_award_happens_once_even_if_the_hook_runs_twice(client: TestClient) -> None:
    headers, user, store = account(client)
    log(client, headers)
    [first] = store.achievements.list_for_user(user.user_id)
    later = datetime.now(UTC) + timedelta(minutes=5)
    assert achievements.on_entry_written(store=store, user=user, now=later) == []
    assert store.achievements.list_for_user(user.user_id) == [first]
    assert by_id(board(client, headers))["first-entry"]["earnedAt"] is not None


def test_ten_entries_imported_from_csv_award_entries_10(client: TestClient) -> None:
    headers, _, _ = account(client)
    rows = [f"2026-11-{day:02d}T08:00:00Z,5,km,{PETROL_CAR}" for day in range(1, 11)]
    text = "timestamp,quantity,unit,factorId\n" + "\n".join(rows) + "\n"
    files = {"file": ("entries.csv", text.encode(), "text/csv")}
    response = client.post("/api/entries/import", files=files, headers=headers)
    assert response.status_code == 201, response.text
    items = by_id(board(client, headers))
    assert items["entries-10"]["earnedAt"] is not None
    assert items["first-entry"]["earnedAt"] == items["entries-10"]["earnedAt"]
    assert items["entries-50"]["progress"] == pytest.approx(10 / 50)


def test_setting_a_goal_awards_first_goal(client: TestClient) -> None:
    headers, _, _ = account(client)
    goal = {"kind": "budget", "period": "month", "targetCo2eKg": 200}
    assert client.post("/api/goals", json=goal, headers=headers).status_code == 201
    items = by_id(board(client, headers))
    assert items["first-goal"]["earnedAt"] is not None
    assert items["goal-achieved"]["earnedAt"] is None


@pytest.mark.parametrize(
    ("first_day", "now"),
    [
        (date(2026, 3, 26), datetime(2026, 3, 31, 23, 45, tzinfo=UTC)),  # Apr 1, 01:45 CEST
        (date(2026, 10, 21), datetime(2026, 10, 27, 0, 45, tzinfo=UTC)),  # Oct 27, 01:45 CET
    ],
)
def test_a_streak_across_a_dst_change_counts_local_days(
    client: TestClient, first_day: date, now: datetime
) -> None:
    _, user, store = account(client, timeZone="Europe/Berlin")
    berlin = ZoneInfo("Europe/Berlin")
    for n in range(7):  # 01:30 local each day: UTC days collide in spring, skip one in autumn
        local = datetime.combine(first_day + timedelta(days=n), time(1, 30), berlin)
        add_entry(store, user, local.astimezone(UTC))
    awarded = achievements.on_entry_written(store=store, user=user, now=now)
    assert {a.achievement_id for a in awarded} == {"first-entry", "streak-7"}


def test_a_missed_day_breaks_the_streak(client: TestClient) -> None:
    _, user, store = account(client)
    now = datetime(2026, 6, 10, 12, tzinfo=UTC)
    for n in (0, 1, 2, 4, 5, 6, 7):
        add_entry(store, user, now - timedelta(days=n))
    awarded = achievements.on_entry_written(store=store, user=user, now=now)
    assert {a.achievement_id for a in awarded} == {"first-entry"}


def test_twenty_percent_less_than_the_month_before(client: TestClient) -> None:
    _, user, store = account(client)
    for day in range(1, 11):  # 10 days of 100 km in January, of 80 km in February
        add_entry(store, user, datetime(2026, 1, day, 9, tzinfo=UTC), km=100)
        add_entry(store, user, datetime(2026, 2, day, 9, tzinfo=UTC), km=80)
    now = datetime(2026, 3, 1, 9, tzinfo=UTC)
    awarded = {
        a.achievement_id for a in achievements.on_entry_written(store=store, user=user, now=now)
    }
    assert awarded == {"first-entry", "entries-10", "reduction-5", "reduction-10"}


def test_achievements_need_a_token(client: TestClient) -> None:
    assert client.get("/api/achievements").status_code == 401
