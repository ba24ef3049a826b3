"""CSV files that broke the import (500s), and an export a spreadsheet cannot run as formulas.

Every note goes out as it was typed, led by a single quote where a spreadsheet would read a
formula (OWASP "CSV Injection"), and comes back exactly on import, on both stores.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.factor_ids import PETROL_CAR
from tests.api.helpers import signed_in
from tests.csv_injection import FORMULA_STARTS, PAYLOADS, formula_like

HEADER = "timestamp,quantity,unit,factorId,note\r\n"
GOOD_ROW = f"2026-01-01T10:00:00Z,10,km,{PETROL_CAR},fine\r\n"
CSV_FIELD_LIMIT = 131_072  # csv.field_size_limit()'s default
TRICKY = ["'=1+2", "''@x", "'plain", "line one\r\nline two", "bare\rcr", "lf\nonly", " spaced "]


def _upload(client: TestClient, headers: dict[str, str], text: str) -> Any:
    files = {"file": ("entries.csv", text.encode(), "text/csv")}
    return client.post("/api/entries/import", files=files, headers=headers)


def _log(client: TestClient, headers: dict[str, str], note: str, minute: int) -> None:
    body = {
        "factorId": PETROL_CAR,
        "quantity": 1,
        "unit": "km",
        "timestamp": f"2026-01-01T10:{minute:02d}:00Z",
        "note": note,
    }
    response = client.post("/api/entries", json=body, headers=headers)
    assert response.status_code == 201, response.text


def _log_notes(client: TestClient, headers: dict[str, str], notes: list[str]) -> None:
    for minute, note in enumerate(notes):
        _log(client, headers, note, minute)


def _export_and_import(
    client: TestClient, notes: list[str]
) -> tuple[list[str | None], list[str | None]]:
    """Alice logs `notes`; Bob imports her export: her notes as listed, and his."""
    alice = signed_in(client)
    _log_notes(client, alice, notes)
    export = client.get("/api/entries/export", headers=alice).text
    bob = signed_in(client)
    response = _upload(client, bob, export)
    assert response.status_code == 201, response.text
    return _notes(client, alice), _notes(client, bob)


def _notes(client: TestClient, headers: dict[str, str]) -> list[str | None]:
    response = client.get("/api/entries", params={"limit": 500}, headers=headers)
    return [entry["note"] for entry in response.json()["items"]]


def _rejected_rows(response: Any) -> list[int]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert "nothing was imported" in body["detail"]
    return [error["row"] for error in body["errors"]]


def test_a_field_over_the_csv_limit_is_a_422_naming_its_row(client: TestClient) -> None:
    headers = signed_in(client)
    huge = f"2026-01-02T10:00:00Z,10,km,{PETROL_CAR},{'x' * (CSV_FIELD_LIMIT + 1)}\r\n"
    response = _upload(client, headers, HEADER + GOOD_ROW + huge + GOOD_ROW)
    assert _rejected_rows(response) == [3]
    assert "field larger than field limit" in response.json()["errors"][0]["message"]
    assert _notes(client, headers) == []


def test_a_bare_cr_ends_a_row_and_a_broken_row_is_named(client: TestClient) -> None:
    headers = signed_in(client)
    broken = f"2026-01-02T10:00:00Z,10,km,{PETROL_CAR},half\rthe rest\r\n"
    response = _upload(client, headers, HEADER + GOOD_ROW + broken)
    assert _rejected_rows(response) == [4]  # "the rest": a row of one cell, no quantity
    assert _notes(client, headers) == []
    old_mac = HEADER.replace("\r\n", "\r") + GOOD_ROW.replace("\r\n", "\r")
    assert _upload(client, headers, old_mac).json() == {"imported": 1}


def test_a_header_csv_cannot_read_is_a_422(client: TestClient) -> None:
    headers = signed_in(client)
    response = _upload(client, headers, "x" * (CSV_FIELD_LIMIT + 1) + "\r\n" + GOOD_ROW)
    assert _rejected_rows(response) == [1]


def test_the_export_neutralises_formulas_and_quotes_line_breaks(client: TestClient) -> None:
    headers = signed_in(client)
    _log_notes(client, headers, PAYLOADS + TRICKY)
    export = client.get("/api/entries/export", headers=headers).text
    rows = list(csv.reader(io.StringIO(export, newline="")))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(tuple(FORMULA_STARTS))]
    note = rows[0].index("note")
    notes = {row[note] for row in rows[1:]}
    assert {"'" + payload for payload in PAYLOADS} <= notes
    assert {"''=1+2", "'''@x", "'plain"} <= notes
    assert '"bare\rcr"' in export
    assert '"lf\nonly"' in export
    # Outside quotes, every line break is the CRLF that ends a row.
    assert export.count("\r\n") == len(rows) + 1  # and one inside "line one\r\nline two"


def test_an_export_imported_again_gives_back_exactly_the_notes(client: TestClient) -> None:
    written, read = _export_and_import(client, PAYLOADS + TRICKY)
    assert read == written
    assert sorted(note or "" for note in read) == sorted(PAYLOADS + TRICKY)


notes = st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=60)
formula_notes = formula_like(st.text(max_size=20), max_quotes=2)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(written=st.lists(notes | formula_notes, min_size=1, max_size=4))
def test_any_notes_survive_export_and_import(client: TestClient, written: list[str]) -> None:
    before, after = _export_and_import(client, written)
    assert after == before
