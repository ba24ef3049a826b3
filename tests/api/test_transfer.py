from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.api.factor_ids import PETROL_CAR, UK_GRID
from tests.api.helpers import signed_in


def _log(
    client: TestClient,
    headers: dict[str, str],
    factor_id: str,
    quantity: float,
    unit: str,
    timestamp: str,
    note: str | None = None,
) -> None:
    body = {
        "factorId": factor_id,
        "quantity": quantity,
        "unit": unit,
        "timestamp": timestamp,
        "note": note,
    }
    assert client.post("/api/entries", json=body, headers=headers).status_code == 201


def _upload(client: TestClient, headers: dict[str, str], text: str | bytes):  # type: ignore[no-untyped-def]
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        "/api/entries/import", files={"file": ("entries.csv", data, "text/csv")}, headers=headers
    )


def _entries(client: TestClient, headers: dict[str, str]) -> list[dict[str, object]]:
    return client.get("/api/entries", params={"limit": 500}, headers=headers).json()["items"]  # type: ignore[no-any-return]


def test_export_then_import_into_another_account_keeps_every_value(client: TestClient) -> None:
    alice = signed_in(client)
    _log(client, alice, PETROL_CAR, 12.5, "miles", "2026-01-03T08:00:00Z", note='commute, "rainy"')
    _log(client, alice, UK_GRID, 310, "kWh", "2026-01-31T00:00:00Z")
    export = client.get("/api/entries/export", headers=alice)
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert [row["unit"] for row in rows] == ["kWh", "miles"]

    bob = signed_in(client)
    imported = _upload(client, bob, export.text)
    assert imported.status_code == 201, imported.text
    assert imported.json() == {"imported": 2}
    keys = ("entryId", "timestamp", "quantity", "unit", "co2eKg", "note", "category")
    assert [{k: e[k] for k in keys} for e in _entries(client, bob)] == [
        {k: e[k] for k in keys} for e in _entries(client, alice)
    ]


def test_importing_the_same_file_twice_is_refused(client: TestClient) -> None:
    alice = signed_in(client)
    _log(client, alice, PETROL_CAR, 5, "km", "2026-01-03T08:00:00Z")
    export = client.get("/api/entries/export", headers=alice).text
    again = _upload(client, alice, export)
    assert again.status_code == 409
    assert len(_entries(client, alice)) == 1


def test_one_bad_row_rejects_the_whole_file_with_row_errors(client: TestClient) -> None:
    headers = signed_in(client)
    text = (
        "timestamp,quantity,unit,factorId,note\n"
        f"2026-01-01T10:00:00Z,10,km,{PETROL_CAR},ok\n"
        f"2026-01-02T10:00:00Z,ten,km,{PETROL_CAR},bad quantity\n"
        f"2026-01-03T10:00:00Z,10,litre,{PETROL_CAR},bad unit\n"
        "2026-01-04T10:00:00Z,10,km,defra:none:nothing,bad factor\n"
        f"not-a-date,10,km,{PETROL_CAR},bad date\n"
        f"2026-01-05T10:00:00Z,-3,km,{PETROL_CAR},negative\n"
    )
    response = _upload(client, headers, text)
    assert response.status_code == 422
    body = response.json()
    assert "nothing was imported" in body["detail"]
    assert [(e["row"], e["field"]) for e in body["errors"]] == [
        (3, "quantity"),
        (4, "unit"),
        (5, "factorId"),
        (6, "timestamp"),
        (7, "quantity"),
    ]
    assert _entries(client, headers) == []


def test_import_refuses_files_that_are_not_entry_csv(client: TestClient) -> None:
    headers = signed_in(client)
    assert _upload(client, headers, "a,b\n1,2\n").status_code == 422
    assert _upload(client, headers, "timestamp,quantity,unit,factorId\n").status_code == 422
    assert _upload(client, headers, b"\xff\xfe\x00bad").status_code == 422
    no_file = client.post("/api/entries/import", headers=headers)
    assert no_file.status_code == 422
    assert _entries(client, headers) == []


def test_a_utf8_bom_from_spreadsheets_is_accepted(client: TestClient) -> None:
    headers = signed_in(client)
    text = f"\ufefftimestamp,quantity,unit,factorId\n2026-01-01T10:00:00Z,10,km,{PETROL_CAR}\n"
    assert _upload(client, headers, text).json() == {"imported": 1}


def test_the_day_is_exported_and_recomputed_on_import(client: TestClient) -> None:
    alice = signed_in(client, timeZone="Europe/London")
    _log(client, alice, UK_GRID, 10, "kWh", "2026-03-01T04:30:00Z")
    export = client.get("/api/entries/export", headers=alice).text
    (row,) = csv.DictReader(io.StringIO(export))
    assert row["day"] == "2026-03-01"
    bob = signed_in(client, timeZone="America/New_York")  # 23:30 on 28 February there
    assert _upload(client, bob, export).status_code == 201
    assert [entry["day"] for entry in _entries(client, bob)] == ["2026-02-28"]
