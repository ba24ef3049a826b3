"""What the log and history page tests share: read fields and messages, log through the API."""

from __future__ import annotations

import html
import re
from typing import Any

from fastapi.testclient import TestClient

from tests.web.helpers import api_headers

PETROL_CAR = "defra:ghg-cf-2020:passenger-vehicles.cars-by-size.average-car.petrol"
UK_GRID = "defra:ghg-cf-2020:uk-electricity.electricity-generated.electricity-uk"
SHORT_HAUL = (
    "defra:ghg-cf-2020:business-travel-air.flights.short-haul-to-from-uk.economy-class.with-rf"
)
CAR_ACTIVITY = "Average car, petrol, per vehicle km"
GRID_ACTIVITY = "UK grid electricity (direct combustion at generation, excl. T&D losses), per kWh"
# Published DEFRA/BEIS 2020 conversion factors (kg CO2e per unit), from the flat file.
DEFRA_PETROL_CAR_PER_KM = 0.1743
DEFRA_UK_GRID_PER_KWH = 0.23314
DEFRA_SHORT_HAUL_ECONOMY_RF_PER_PKM = 0.15298
KM_PER_MILE = 1.609344
# A bill's period typed wrong, where its message shows, and words of it (/log and its edit).
PERIOD_MISTAKES = [
    ("2025-02-01", "2025-01-01", "periodEnd", "must not be before"),
    ("2025-01-01", "", "periodEnd", "Give both"),
    ("2025-02-30", "2025-03-01", "periodStart", "YYYY-MM-DD"),
]


def control(page: str, element_id: str) -> str:
    """The opening tag of the form control with this id."""
    found = re.search(rf'<(?:input|select|textarea)\b[^>]*\bid="{element_id}"[^>]*>', page)
    assert found is not None, f"no control #{element_id}"
    return found.group(0)


def value_of(page: str, element_id: str) -> str:
    """The value attribute of an input, unescaped."""
    found = re.search(r'\bvalue="([^"]*)"', control(page, element_id))
    assert found is not None, f"#{element_id} has no value"
    return html.unescape(found.group(1))


def selected_option(page: str, select_id: str) -> str:
    """The value of the selected option of a <select>."""
    body = page[page.index(f'id="{select_id}"') :]
    body = body[: body.index("</select>")]
    found = re.search(r'<option value="([^"]*)" selected>', body)
    assert found is not None, f"nothing selected in #{select_id}"
    return html.unescape(found.group(1))


def options(page: str, select_id: str) -> list[str]:
    """The values a <select> offers."""
    body = page[page.index(f'id="{select_id}"') :]
    body = body[: body.index("</select>")]
    return [html.unescape(v) for v in re.findall(r'<option value="([^"]*)"', body)]


def error_next_to(page: str, name: str) -> str:
    """The message under field `name`, after checking the field points at it."""
    found = re.search(rf'<(?:small|p) id="f-{name}-error" class="field-error">([^<]*)<', page)
    assert found is not None, f"no error shown for {name}"
    tag = control(page, f"f-{name}")
    assert 'aria-invalid="true"' in tag
    assert f"f-{name}-error" in tag
    return html.unescape(found.group(1))


def flashes(page: str) -> list[str]:
    """The one-time messages on a page."""
    return [html.unescape(m) for m in re.findall(r'<p class="flash flash-\w+">([^<]*)</p>', page)]


def log_via_api(client: TestClient, factor_id: str, quantity: float, unit: str, **more: Any) -> Any:
    """Log an entry as the pages' scripts would (session cookie and CSRF header)."""
    body = {"factorId": factor_id, "quantity": quantity, "unit": unit, **more}
    response = client.post("/api/entries", json=body, headers=api_headers(client, page="/log"))
    assert response.status_code == 201, response.text
    return response.json()


def my_entries(client: TestClient) -> list[dict[str, Any]]:
    """The signed-in user's entries from the JSON API (session cookie), newest first."""
    response = client.get("/api/entries", params={"limit": 500})
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


def log_quarterly_bill(client: TestClient) -> Any:
    """900 kWh of UK grid electricity over the first quarter of 2026, logged on 2 April."""
    return log_via_api(
        client,
        UK_GRID,
        900,
        "kWh",
        timestamp="2026-04-02T09:00:00Z",
        periodStart="2026-01-01",
        periodEnd="2026-03-31",
    )
