"""The estimate carries an equivalent a person can picture, citing the factor it divides by."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.factor_ids import PETROL_CAR, UK_GRID
from tests.api.helpers import signed_in

# Published DEFRA/BEIS 2020 conversion factors (kg CO2e per unit), from the flat file.
DEFRA_PETROL_CAR_PER_KM = 0.1743
DEFRA_UK_GRID_PER_KWH = 0.23314


def test_an_electricity_estimate_says_how_far_a_petrol_car_goes_for_it(client: TestClient) -> None:
    headers = signed_in(client)
    params = {"quantity": 300, "unit": "kWh"}
    body = client.get(f"/api/factors/{UK_GRID}/estimate", params=params, headers=headers).json()
    # 300 kWh x 0.23314 kg/kWh = 69.942 kg; / 0.1743 kg/km = 401.27 km -> "≈ 400 km".
    [car] = body["equivalents"]
    assert car["amount"] == pytest.approx(300 * DEFRA_UK_GRID_PER_KWH / DEFRA_PETROL_CAR_PER_KM)
    assert car["text"] == "≈ 400 km in an average petrol car"
    assert (car["unit"], car["factorId"]) == ("km", PETROL_CAR)
    assert car["source"].startswith("BEIS/DEFRA GHG conversion factors 2020")


def test_a_zero_estimate_has_no_equivalent(client: TestClient) -> None:
    headers = signed_in(client)
    params = {"quantity": 0, "unit": "kWh"}
    response = client.get(f"/api/factors/{UK_GRID}/estimate", params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["equivalents"] == []
