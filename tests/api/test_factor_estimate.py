"""GET /api/factors/{id}/estimate: the log page's live preview, computed as saving would."""

from __future__ import annotations

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from tests.api.factor_ids import GRID_LOCAL, PETROL_CAR, UK_GRID
from tests.api.helpers import signed_in

# Published DEFRA/BEIS 2020 conversion factors (kg CO2e per unit), from the flat file.
DEFRA_PETROL_CAR_PER_KM = 0.1743
DEFRA_UK_GRID_PER_KWH = 0.23314
KM_PER_MILE = 1.609344


def estimate(
    client: TestClient, headers: dict[str, str], factor_id: str, **params: object
) -> httpx.Response:
    return client.get(f"/api/factors/{factor_id}/estimate", params=params, headers=headers)


def test_estimate_converts_units_like_an_entry(client: TestClient) -> None:
    headers = signed_in(client)
    response = estimate(client, headers, PETROL_CAR, quantity=12, unit="miles")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["co2eKg"] == pytest.approx(12 * KM_PER_MILE * DEFRA_PETROL_CAR_PER_KM, rel=1e-9)
    assert body["factorId"] == PETROL_CAR
    assert body["unit"] == "miles"
    assert body["factor"]["co2eKgPerUnit"] == DEFRA_PETROL_CAR_PER_KM
    assert body["factor"]["year"] == 2020

    saved = client.post(
        "/api/entries",
        json={"factorId": PETROL_CAR, "quantity": 12, "unit": "miles"},
        headers=headers,
    ).json()
    assert saved["co2eKg"] == body["co2eKg"]


def test_estimate_writes_nothing(client: TestClient) -> None:
    headers = signed_in(client)
    response = estimate(client, headers, UK_GRID, quantity=250, unit="kWh")
    assert response.json()["co2eKg"] == pytest.approx(250 * DEFRA_UK_GRID_PER_KWH, rel=1e-12)
    assert client.get("/api/entries", headers=headers).json()["items"] == []


def test_grid_electricity_in_my_country_follows_the_profile(client: TestClient) -> None:
    headers = signed_in(client, country="DE")
    body = estimate(client, headers, GRID_LOCAL, quantity=100, unit="kWh").json()
    assert body["factorId"] == GRID_LOCAL
    assert body["factor"]["factorId"].endswith(":DEU")
    assert body["factor"]["requestedFactorId"] == GRID_LOCAL


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"quantity": -1, "unit": "km"}, "quantity"),
        ({"quantity": "nan", "unit": "km"}, "quantity"),
        ({"quantity": 2e9, "unit": "km"}, "quantity"),
        ({"quantity": 5, "unit": "kWh"}, "unit"),
        ({"quantity": 5, "unit": "parsecs"}, "unit"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    client: TestClient, params: dict[str, object], field: str
) -> None:
    response = estimate(client, signed_in(client), PETROL_CAR, **params)
    assert response.status_code == 422
    assert response.json()["field"] == field


def test_unknown_factor_and_missing_parameters_are_422(client: TestClient) -> None:
    headers = signed_in(client)
    unknown = estimate(client, headers, "defra:none:nothing", quantity=1, unit="km")
    assert unknown.status_code == 422
    assert unknown.json()["field"] == "factorId"
    assert estimate(client, headers, PETROL_CAR, quantity=1).status_code == 422
    assert estimate(client, headers, PETROL_CAR, unit="km").status_code == 422


def test_estimate_needs_a_signed_in_user(client: TestClient) -> None:
    response = client.get(
        f"/api/factors/{PETROL_CAR}/estimate", params={"quantity": 1, "unit": "km"}
    )
    assert response.status_code == 401
