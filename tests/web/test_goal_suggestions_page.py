"""/goals' suggested targets through TestClient on both stores: shown, cited, set in one tap."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from carbontrack.domain.baseline_model import Baseline, BaselineLine
from carbontrack.store.base import Store
from tests.web.area_pages import flashes
from tests.web.goal_suggestions import suggestion_fields
from tests.web.helpers import sign_up, submit


def test_the_one_point_five_degree_share_is_one_tap(client: TestClient) -> None:
    sign_up(client)
    page = client.get("/goals").text
    assert "Suggested monthly budgets" in page
    assert "1.5 °C share: 208 kg a month" in html.unescape(page)
    assert "Hot or Cool Institute (2021)" in page
    assert "answer the questionnaire at /start" in page
    fields = suggestion_fields(page, "lifestyle-budget-1.5c")
    # 2,500 kg a year (Hot or Cool Institute 2021) / 12 = 208.3 kg a month, whole footprint.
    assert fields == {"kind": "budget", "period": "month", "category": "", "targetCo2eKg": "208.3"}
    assert submit(client, "/goals", fields).status_code == 303
    page = client.get("/goals").text
    assert ("success", "Goal set. Its progress updates as you log activities.") in flashes(page)
    assert "Monthly budget of 208.3 kg CO2e" in page


def test_a_baseline_adds_ten_percent_under_it(client: TestClient) -> None:
    sign_up(client)
    user_id = client.get("/api/profile").json()["userId"]
    now = datetime.now(UTC)
    line = BaselineLine("heating", 2400.0, "gas, medium home")
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    store.baselines.put(Baseline(user_id, 1, {}, (line,), now, now), expected_version=None)
    page = client.get("/goals").text
    # 2,400 kg a year x 0.9 / 12 = 180 kg a month.
    assert suggestion_fields(page, "baseline-minus-10")["targetCo2eKg"] == "180.0"
    assert "10% under your estimate: 180 kg a month" in page
    # The signed-up user lives in GB: electricity at the UK average per person (OWID).
    assert suggestion_fields(page, "country-electricity")["category"] == "electricity"
    assert "Electricity at the United Kingdom average" in page
