"""The /log form's "Spread over a period (a bill)" days, without JavaScript, on both stores."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.entry_pages import PERIOD_MISTAKES, error_next_to, flashes, my_entries, value_of
from tests.web.helpers import sign_up, submit

NATURAL_GAS = "defra:ghg-cf-2020:fuels.gaseous-fuels.natural-gas.energy-gross-cv"
# DEFRA/BEIS 2020 conversion factors, natural gas, kWh (gross CV): 0.18387 kg CO2e per kWh.
DEFRA_NATURAL_GAS_PER_KWH = 0.18387


def log_bill(client: TestClient, start: str, end: str) -> str:
    """Submit a 1,000 kWh gas bill dated 14 March 2025 over `start`..`end`; the page or ""."""
    values = {
        "factorId": NATURAL_GAS,
        "quantity": "1000",
        "unit": "kWh",
        "timestamp": "2025-03-14T08:30",
        "note": "Q1 gas bill",
        "periodStart": start,
        "periodEnd": end,
        "intent": "save",
    }
    response = submit(client, "/log", values)
    return "" if response.status_code == 303 else response.text


def test_a_bill_over_a_period_saves_one_entry_with_its_days(client: TestClient) -> None:
    sign_up(client, time_zone="Europe/London")
    assert log_bill(client, "2024-12-01", "2025-02-28") == ""
    (message,) = flashes(client.get("/log").text)
    assert "1000 kWh: 184 kg CO2e, spread over 2024-12-01 to 2025-02-28" in message
    (entry,) = my_entries(client)
    assert (entry["periodStart"], entry["periodEnd"]) == ("2024-12-01", "2025-02-28")
    assert entry["co2eKg"] == pytest.approx(1000 * DEFRA_NATURAL_GAS_PER_KWH, rel=1e-9)
    # The stats spread it: 90 days (31 + 31 + 28), 183.87 / 90 = 2.043 kg each.
    stats = client.get(
        "/api/stats", params={"period": "day", "from": "2025-01-15", "to": "2025-01-15"}
    )
    assert stats.status_code == 200, stats.text
    assert stats.json()["totalCo2eKg"] == pytest.approx(183.87 / 90, rel=1e-9)


@pytest.mark.parametrize(("start", "end", "field", "words"), PERIOD_MISTAKES)
def test_a_wrong_period_is_shown_next_to_its_field_and_nothing_is_saved(
    client: TestClient, start: str, end: str, field: str, words: str
) -> None:
    sign_up(client)
    page = log_bill(client, start, end)
    assert words in error_next_to(page, field)
    assert value_of(page, "f-periodStart") == start  # what was typed comes back
    assert '<details class="period-fields" id="period-fields" open>' in page
    assert my_entries(client) == []
