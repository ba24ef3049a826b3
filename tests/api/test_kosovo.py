"""Kosovo (XK), which has no ISO 3166-1 code, is a country a profile can name."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.factor_ids import GRID_LOCAL
from tests.api.helpers import signed_in

# Ember's 2024 grid intensity for Kosovo (XKX): 958.72 gCO2/kWh, in the shipped
# ember_grid_intensity_by_country__co2js.json.
KOSOVO_KG_PER_KWH = 958.72 / 1000


def test_the_profile_accepts_kosovo(client: TestClient) -> None:
    headers = signed_in(client)
    response = client.patch("/api/profile", json={"country": "xk"}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["country"] == "XK"


def test_an_unknown_code_is_still_refused(client: TestClient) -> None:
    headers = signed_in(client)
    response = client.patch("/api/profile", json={"country": "XX"}, headers=headers)
    assert response.status_code == 422


def test_grid_electricity_in_kosovo_uses_kosovos_ember_value(client: TestClient) -> None:
    headers = signed_in(client, country="XK")
    body = {"factorId": GRID_LOCAL, "quantity": 100, "unit": "kWh"}
    entry = client.post("/api/entries", json=body, headers=headers).json()
    assert entry["factor"]["factorId"].endswith(":XKX")
    # 100 kWh x 0.95872 kg/kWh = 95.872 kg.
    assert entry["co2eKg"] == pytest.approx(95.872)
    assert entry["co2eKg"] == pytest.approx(100 * KOSOVO_KG_PER_KWH)
