"""CSV export writes numbers without binary float noise, and they read back the same."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.api.factor_ids import PETROL_CAR, UK_GRID
from tests.api.helpers import signed_in


def _log(client: TestClient, headers: dict[str, str], factor_id: str, quantity: float) -> None:
    unit = "km" if factor_id == PETROL_CAR else "kWh"
    body = {
        "factorId": factor_id,
        "quantity": quantity,
        "unit": unit,
        "timestamp": "2026-01-03T08:00:00Z",
    }
    assert client.post("/api/entries", json=body, headers=headers).status_code == 201


def _rows(client: TestClient, headers: dict[str, str]) -> list[dict[str, str]]:
    return list(
        csv.DictReader(io.StringIO(client.get("/api/entries/export", headers=headers).text))
    )


def test_export_writes_the_co2e_without_float_noise(client: TestClient) -> None:
    alice = signed_in(client)
    # 1.1 km x 0.1743 kg/km (DEFRA 2020, average petrol car) = 0.19173 kg; in binary floating
    # point 1.1 * 0.1743 is 0.19173000000000004.
    assert 1.1 * 0.1743 == 0.19173000000000004
    _log(client, alice, PETROL_CAR, 1.1)
    [row] = _rows(client, alice)
    assert (row["quantity"], row["co2eKg"]) == ("1.1", "0.19173")


def test_exported_numbers_import_back_as_the_same_floats(client: TestClient) -> None:
    alice = signed_in(client)
    # 12.7 kWh x 0.23314 kg/kWh (DEFRA 2020 UK grid) = 2.960878 kg (2.9608779999999997 in binary).
    _log(client, alice, UK_GRID, 12.7)
    _log(client, alice, PETROL_CAR, 0.1)
    export = _rows(client, alice)
    assert sorted(row["co2eKg"] for row in export) == ["0.01743", "2.960878"]
    text = client.get("/api/entries/export", headers=alice).text
    bob = signed_in(client)
    response = client.post(
        "/api/entries/import", files={"file": ("e.csv", text.encode(), "text/csv")}, headers=bob
    )
    assert response.status_code == 201, response.text
    keys = ("quantity", "co2eKg")
    entries = [client.get("/api/entries", headers=h).json()["items"] for h in (alice, bob)]
    assert [{k: e[k] for k in keys} for e in entries[1]] == [
        {k: e[k] for k in keys} for e in entries[0]
    ]
    assert [float(row["quantity"]) for row in _rows(client, bob)] == [
        float(row["quantity"]) for row in export
    ]
