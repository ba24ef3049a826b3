"""Dates and CSV files on the pages that were 500s: each is now the page's own 422 message.

The user lives in Asia/Tokyo, whose year-1 midnight (+09:18:59, its local mean time) is in
year 0 in UTC: a day at Python's limits overflowed when it was turned into UTC.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.entry_pages import PETROL_CAR, error_next_to, log_via_api, my_entries
from tests.web.helpers import sign_up, submit

ZONE = "Asia/Tokyo"
RANGE_MESSAGE = "Enter a date as YYYY-MM-DD, from 1900-01-01 to 2999-12-31."
HEADER = "timestamp,quantity,unit,factorId,note\r\n"
GOOD_ROW = f"2026-01-01T10:00:00Z,10,km,{PETROL_CAR},fine\r\n"


def test_history_filters_past_pythons_dates_are_shown_next_to_their_field(
    client: TestClient,
) -> None:
    sign_up(client, time_zone=ZONE)
    for field, day in (("to", "9999-12-31"), ("from", "0001-01-01"), ("to", "0")):
        response = client.get("/history", params={field: day})
        assert response.status_code == 422, (field, day)
        assert error_next_to(response.text, field) == RANGE_MESSAGE
    assert client.get("/history", params={"from": "1900-01-01", "to": "2999-12-31"}).is_success


def test_log_and_edit_refuse_a_time_past_pythons_dates(client: TestClient) -> None:
    sign_up(client, time_zone=ZONE)
    fields = {"factorId": PETROL_CAR, "quantity": "1", "unit": "km", "note": "", "intent": "save"}
    for moment in ("0001-01-01T00:00", "9999-12-31T23:59"):
        response = submit(client, "/log", {**fields, "timestamp": moment})
        assert response.status_code == 422, moment
        assert error_next_to(response.text, "timestamp").startswith("Enter the date and time")
    entry = log_via_api(client, PETROL_CAR, 1, "km", timestamp="2026-01-10T08:00:00Z")
    edit_url = f"/history/{entry['entryId']}/edit"
    edited = submit(
        client, edit_url, {"quantity": "1", "unit": "km", "timestamp": "0001-01-01T00:00"}
    )
    assert edited.status_code == 422
    assert [e["timestamp"] for e in my_entries(client)] == ["2026-01-10T08:00:00Z"]


def test_a_goal_start_date_past_pythons_dates_is_a_form_error(client: TestClient) -> None:
    sign_up(client, time_zone=ZONE)
    goal = {"kind": "budget", "period": "year", "targetCo2eKg": "100"}
    for start in ("9999-12-31", "0001-01-01", "20260101"):
        response = submit(client, "/goals", {**goal, "startDate": start})
        assert response.status_code == 422, start
        assert "YYYY-MM-DD" in error_next_to(response.text, "startDate")


def test_the_import_page_names_the_row_csv_cannot_read(client: TestClient) -> None:
    sign_up(client)
    huge = f"2026-01-02T10:00:00Z,10,km,{PETROL_CAR},{'x' * 131_073}\r\n"
    for text, row in ((HEADER + GOOD_ROW + huge, 3), (HEADER + GOOD_ROW + "a\rb\r\n", 3)):
        files = {"file": ("entries.csv", text.encode(), "text/csv")}
        response = submit(client, "/history/import", {}, files=files)
        assert response.status_code == 422
        assert f"<tr><td>{row}</td>" in response.text
        assert "Nothing was imported from entries.csv" in response.text
    assert my_entries(client) == []
