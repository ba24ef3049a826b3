"""/history/{id}/edit shows a bill's period and changes it with /log's checks and messages."""

from __future__ import annotations

from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from tests.web.entry_pages import (
    PERIOD_MISTAKES,
    error_next_to,
    log_quarterly_bill,
    my_entries,
    value_of,
)
from tests.web.helpers import sign_up, submit


def edit(client: TestClient, bill: Any, start: str, end: str) -> httpx.Response:
    """Post the edit form as it shows the bill, with a new period."""
    action = f"/history/{bill['entryId']}/edit"
    data = {"quantity": "900", "unit": "kWh", "timestamp": "2026-04-02T09:00", "note": ""}
    return submit(client, action, {**data, "periodStart": start, "periodEnd": end})


def day_kg(client: TestClient, day: str) -> float:
    """The kg CO2e the stats give one day."""
    found = client.get("/api/stats", params={"period": "day", "from": day, "to": day})
    assert found.status_code == 200, found.text
    return float(found.json()["totalCo2eKg"])


def test_the_edit_form_shows_the_period_and_a_new_one_respreads_the_bill(
    client: TestClient,
) -> None:
    sign_up(client, time_zone="UTC")
    bill = log_quarterly_bill(client)
    page = client.get(f"/history/{bill['entryId']}/edit").text
    assert value_of(page, "f-periodStart") == "2026-01-01"
    assert value_of(page, "f-periodEnd") == "2026-03-31"
    assert day_kg(client, "2026-01-15") == pytest.approx(bill["co2eKg"] / 90, abs=1e-6)
    assert edit(client, bill, "2026-03-01", "2026-03-31").status_code == 303
    (saved,) = my_entries(client)
    assert (saved["periodStart"], saved["periodEnd"]) == ("2026-03-01", "2026-03-31")
    assert saved["co2eKg"] == bill["co2eKg"]  # a new period keeps the footprint
    assert day_kg(client, "2026-01-15") == 0
    # The stats round to the gram.
    assert day_kg(client, "2026-03-15") == pytest.approx(bill["co2eKg"] / 31, abs=1e-6)


def test_clearing_both_days_makes_the_bill_a_one_off(client: TestClient) -> None:
    sign_up(client, time_zone="UTC")
    bill = log_quarterly_bill(client)
    assert edit(client, bill, "", "").status_code == 303
    (saved,) = my_entries(client)
    assert (saved.get("periodStart"), saved.get("periodEnd")) == (None, None)
    assert day_kg(client, "2026-04-02") == pytest.approx(bill["co2eKg"], abs=1e-6)


@pytest.mark.parametrize(("start", "end", "field", "words"), PERIOD_MISTAKES)
def test_a_wrong_period_gets_the_same_message_as_on_log(
    client: TestClient, start: str, end: str, field: str, words: str
) -> None:
    sign_up(client, time_zone="UTC")
    bill = log_quarterly_bill(client)
    response = edit(client, bill, start, end)
    assert response.status_code == 422
    assert words in error_next_to(response.text, field)
    assert value_of(response.text, "f-periodStart") == start
    (saved,) = my_entries(client)
    assert (saved["periodStart"], saved["periodEnd"]) == ("2026-01-01", "2026-03-31")
