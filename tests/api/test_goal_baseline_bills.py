"""A reduction goal's baseline counts a bill spread over the periods before the goal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from carbontrack.domain.periods import shift
from tests.api.factor_ids import UK_GRID
from tests.api.helpers import signed_in

UK_GRID_PER_KWH = 0.23314  # DEFRA/BEIS 2020, UK electricity generated, kg CO2e per kWh


def test_a_quarterly_bill_before_the_goal_is_its_baseline(client: TestClient) -> None:
    headers = signed_in(client)  # a fresh user's time zone is UTC
    this_month = datetime.now(UTC).date().replace(day=1)
    quarter_start: date = shift(this_month, "month", -3)
    bill = {
        "factorId": UK_GRID,
        "quantity": 900,
        "unit": "kWh",
        "periodStart": str(quarter_start),
        "periodEnd": str(this_month - timedelta(days=1)),
    }
    assert client.post("/api/entries", json=bill, headers=headers).status_code == 201
    goal = {
        "kind": "reduction",
        "period": "month",
        "targetReductionPercent": 10,
        "startDate": str(this_month),
    }
    response = client.post("/api/goals", json=goal, headers=headers)
    assert response.status_code == 201, response.text
    # The three months before the goal hold the whole bill between them: a third each.
    assert response.json()["baselineCo2eKg"] == pytest.approx(900 * UK_GRID_PER_KWH / 3)
