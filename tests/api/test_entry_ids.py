"""An entry id exists once per user on both stores, also through an edited CSV import."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.api.factor_ids import PETROL_CAR
from tests.api.helpers import signed_in


def _log(client: TestClient, headers: dict[str, str], timestamp: str) -> str:
    body = {"factorId": PETROL_CAR, "quantity": 10, "unit": "km", "timestamp": timestamp}
    response = client.post("/api/entries", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return str(response.json()["entryId"])


def _moved_export(client: TestClient, headers: dict[str, str], entry_id: str) -> str:
    """The user's export cut to one row, its time changed and its entryId kept, plus a new row."""
    export = client.get("/api/entries/export", headers=headers)
    assert export.status_code == 200
    rows = [row for row in csv.DictReader(io.StringIO(export.text)) if row["entryId"] == entry_id]
    rows[0]["timestamp"] = "2026-02-14T09:30:00Z"
    rows.append({**rows[0], "entryId": "", "timestamp": "2026-02-15T09:30:00Z"})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _listed(client: TestClient, headers: dict[str, str]) -> list[str]:
    response = client.get("/api/entries", params={"limit": 500}, headers=headers)
    return [str(item["entryId"]) for item in response.json()["items"]]


def test_an_edited_export_that_moves_an_entry_is_refused_and_writes_nothing(
    client: TestClient,
) -> None:
    headers = signed_in(client)
    kept = _log(client, headers, "2026-01-03T08:00:00Z")
    other = _log(client, headers, "2026-01-04T08:00:00Z")
    before = client.get("/api/stats", headers=headers).json()
    text = _moved_export(client, headers, kept)

    upload = client.post(
        "/api/entries/import",
        files={"file": ("entries.csv", text.encode(), "text/csv")},
        headers=headers,
    )

    assert upload.status_code == 409, upload.text
    assert _listed(client, headers) == [other, kept]
    assert client.get("/api/stats", headers=headers).json() == before
    assert client.delete(f"/api/entries/{kept}", headers=headers).status_code == 204
    assert client.get(f"/api/entries/{kept}", headers=headers).status_code == 404
    assert _listed(client, headers) == [other]
