"""History (/history) through TestClient on both stores: filter, page, edit, delete, CSV."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from fastapi.testclient import TestClient

from carbontrack.services.transfer import COLUMNS
from tests.web.entry_pages import (
    CAR_ACTIVITY,
    DEFRA_PETROL_CAR_PER_KM,
    GRID_ACTIVITY,
    PETROL_CAR,
    SHORT_HAUL,
    UK_GRID,
    error_next_to,
    flashes,
    log_via_api,
    my_entries,
    selected_option,
    value_of,
)
from tests.web.helpers import sign_in, sign_out, sign_up, submit

ROW = re.compile(
    r'<tr>\s*<td data-label="When"><time datetime="[^"]+">([^<]+)</time></td>\s*'
    r'<td data-label="Activity">([^<]+)</td>'
)


def listed(page: str) -> list[tuple[str, str]]:
    """(when, activity) of each table row, top to bottom."""
    return [(html.unescape(w), html.unescape(a)) for w, a in ROW.findall(page)]


def entry_ids(page: str) -> list[str]:
    return re.findall(r'href="/history/([0-9a-f-]{36})/edit', page)


def test_a_new_user_is_told_how_to_start(client: TestClient) -> None:
    sign_up(client)
    page = client.get("/history").text
    assert "Nothing logged yet" in page
    assert '<a href="/log" role="button">Log your first activity</a>' in page


def test_entries_are_listed_newest_first_in_local_time(client: TestClient) -> None:
    sign_up(client, time_zone="America/New_York")
    log_via_api(client, PETROL_CAR, 10, "km", timestamp="2026-01-10T03:00:00Z")
    log_via_api(client, UK_GRID, 250, "kWh", timestamp="2026-01-12T15:00:00Z")
    page = client.get("/history").text
    assert listed(page) == [
        ("12 Jan 2026, 10:00", GRID_ACTIVITY),
        ("09 Jan 2026, 22:00", CAR_ACTIVITY),
    ]
    kg = f"{10 * DEFRA_PETROL_CAR_PER_KM:.2f}"
    assert f'<td class="number" data-label="kg CO2e">{kg}</td>' in page


def test_filters_by_local_days_and_category(client: TestClient) -> None:
    sign_up(client, time_zone="America/New_York")
    log_via_api(client, PETROL_CAR, 10, "km", timestamp="2026-01-10T03:00:00Z")  # 9 Jan local
    log_via_api(client, UK_GRID, 250, "kWh", timestamp="2026-01-10T15:00:00Z")  # 10 Jan local
    log_via_api(client, SHORT_HAUL, 900, "km", timestamp="2026-01-11T15:00:00Z")  # 11 Jan local

    def activities(**params: str) -> list[str]:
        response = client.get("/history", params=params)
        assert response.status_code == 200
        return [activity for _, activity in listed(response.text)]

    assert len(activities()) == 3
    assert activities(**{"from": "2026-01-10", "to": "2026-01-10"}) == [GRID_ACTIVITY]
    assert activities(to="2026-01-09") == [CAR_ACTIVITY]
    assert len(activities(**{"from": "2026-01-10"})) == 2
    assert activities(category="transport") == [CAR_ACTIVITY]
    filtered = client.get("/history", params={"category": "transport"}).text
    assert selected_option(filtered, "f-category") == "transport"
    empty = client.get("/history", params={"category": "waste"}).text
    assert "No entries match" in empty


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        (
            {"from": "last week"},
            "from",
            "Enter a date as YYYY-MM-DD, from 1900-01-01 to 2999-12-31.",
        ),
        ({"from": "2026-02-02", "to": "2026-02-01"}, "to", "The end date is before the start"),
        ({"category": "spaceflight"}, "category", "Choose one of the categories in the list."),
    ],
)
def test_bad_filters_are_shown_next_to_their_field(
    client: TestClient, params: dict[str, str], field: str, message: str
) -> None:
    sign_up(client)
    response = client.get("/history", params=params)
    assert response.status_code == 422
    assert error_next_to(response.text, field).startswith(message)


def test_pages_follow_the_stores_cursor(client: TestClient) -> None:
    sign_up(client)
    for day in range(1, 26):
        log_via_api(client, PETROL_CAR, day, "km", timestamp=f"2026-01-{day:02d}T12:00:00Z")
    first = client.get("/history").text
    assert len(listed(first)) == 20
    assert listed(first)[0][0] == "25 Jan 2026, 12:00"
    older = re.search(r'<a href="(/history\?cursor=[^"]+)" rel="next">Older entries</a>', first)
    assert older is not None
    second = client.get(older.group(1).replace("&amp;", "&")).text
    assert [when for when, _ in listed(second)] == [
        f"{day:02d} Jan 2026, 12:00" for day in range(5, 0, -1)
    ]
    assert 'rel="next"' not in second
    assert '<a href="/history" rel="prev">Newest entries</a>' in second
    stale = client.get("/history", params={"cursor": "not-a-cursor"})
    assert "That page link no longer works" in stale.text
    assert len(listed(stale.text)) == 20


def test_edit_changes_the_quantity_and_recomputes(client: TestClient) -> None:
    sign_up(client)
    entry = log_via_api(client, PETROL_CAR, 10, "km", timestamp="2026-01-10T08:00:00Z")
    back = "/history?category=transport"
    edit_url = f"/history/{entry['entryId']}/edit"
    form = client.get(edit_url, params={"back": back}).text
    assert value_of(form, "f-quantity") == "10"
    assert selected_option(form, "f-unit") == "km"
    assert value_of(form, "f-timestamp") == "2026-01-10T08:00"
    response = submit(
        client,
        edit_url,
        {"quantity": "20", "unit": "km", "timestamp": "2026-01-10T08:00", "note": "", "back": back},
    )
    assert response.status_code == 303
    assert response.headers["location"] == back
    (updated,) = my_entries(client)
    assert updated["quantity"] == 20
    assert updated["co2eKg"] == pytest.approx(20 * DEFRA_PETROL_CAR_PER_KM, rel=1e-12)
    assert updated["timestamp"] == "2026-01-10T08:00:00Z"
    assert flashes(client.get(back).text) == [
        "Saved your changes to Average car, petrol, per vehicle km: 3.49 kg CO2e."
    ]


def test_editing_only_the_note_keeps_the_recorded_factor(client: TestClient) -> None:
    sign_up(client)
    entry = log_via_api(client, PETROL_CAR, 12, "miles", timestamp="2026-01-10T08:00:00Z")
    edit_url = f"/history/{entry['entryId']}/edit"
    assert selected_option(client.get(edit_url).text, "f-unit") == "mile"
    fields = {"quantity": "12", "unit": "mile", "timestamp": "2026-01-10T08:00", "note": "x"}
    assert submit(client, edit_url, fields).status_code == 303
    (updated,) = my_entries(client)
    assert updated["note"] == "x"
    assert updated["unit"] == "miles"  # unchanged: the menu's "mile" names the same unit
    assert updated["co2eKg"] == entry["co2eKg"]
    assert updated["updatedAt"] != entry["updatedAt"]
    unchanged = submit(client, edit_url, fields, follow_redirects=True)
    assert "Nothing was changed." in flashes(unchanged.text)


def test_a_bad_edit_keeps_what_was_typed(client: TestClient) -> None:
    sign_up(client)
    entry = log_via_api(client, PETROL_CAR, 10, "km", timestamp="2026-01-10T08:00:00Z")
    edit_url = f"/history/{entry['entryId']}/edit"
    fields = {"quantity": "abc", "unit": "mile", "timestamp": "2026-01-11T09:15", "note": "typo"}
    response = submit(client, edit_url, fields)
    assert response.status_code == 422
    assert error_next_to(response.text, "quantity") == "Enter the quantity as a number, e.g. 12.5."
    assert value_of(response.text, "f-quantity") == "abc"
    assert value_of(response.text, "f-timestamp") == "2026-01-11T09:15"
    assert selected_option(response.text, "f-unit") == "mile"
    assert ">typo</textarea>" in response.text
    assert my_entries(client)[0]["quantity"] == 10


def test_delete_asks_first_then_deletes(client: TestClient) -> None:
    sign_up(client)
    keep = log_via_api(client, UK_GRID, 100, "kWh", timestamp="2026-01-09T08:00:00Z")
    gone = log_via_api(client, PETROL_CAR, 10, "km", timestamp="2026-01-10T08:00:00Z")
    delete_url = f"/history/{gone['entryId']}/delete"
    confirm = client.get(delete_url)
    assert confirm.status_code == 200
    assert "<h1>Delete this entry?</h1>" in confirm.text
    assert CAR_ACTIVITY in confirm.text
    assert [e["entryId"] for e in my_entries(client)] == [gone["entryId"], keep["entryId"]]

    forged = client.post(delete_url, data={"csrf": "forged"})
    assert forged.status_code == 403
    assert len(my_entries(client)) == 2

    response = submit(client, delete_url, {"back": "/history"})
    assert response.status_code == 303
    assert [e["entryId"] for e in my_entries(client)] == [keep["entryId"]]
    assert client.get(f"/api/entries/{gone['entryId']}").status_code == 404
    page = client.get("/history").text
    assert flashes(page) == ["Deleted Average car, petrol, per vehicle km of 10 Jan 2026, 08:00."]
    assert entry_ids(page) == [keep["entryId"]]


def test_back_never_leaves_the_history_pages(client: TestClient) -> None:
    sign_up(client)
    entry = log_via_api(client, PETROL_CAR, 10, "km")
    response = submit(
        client, f"/history/{entry['entryId']}/delete", {"back": "https://evil.example"}
    )
    assert response.headers["location"] == "/history"


def export_rows(client: TestClient) -> list[dict[str, str]]:
    response = client.get("/history/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["content-disposition"]
    reader = csv.DictReader(io.StringIO(response.text))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


def test_export_is_the_users_entries_as_csv(client: TestClient) -> None:
    sign_up(client)
    assert export_rows(client) == []
    entry = log_via_api(client, PETROL_CAR, 10, "km", note="commute")
    (row,) = export_rows(client)
    assert row["entryId"] == entry["entryId"]
    assert row["factorId"] == PETROL_CAR
    assert float(row["co2eKg"]) == entry["co2eKg"]
    assert row["note"] == "commute"


CSV_HEADER = "timestamp,quantity,unit,factorId,note\n"
GOOD_ROWS = (
    f"2026-01-05T08:00:00Z,10,km,{PETROL_CAR},to work\n"
    f"2026-01-06T08:00:00Z,250,kWh,{UK_GRID},\n"
    f"2026-01-07T08:00:00Z,900,km,{SHORT_HAUL},\n"
)


def test_import_with_one_bad_row_says_which_and_why_and_imports_nothing(
    client: TestClient,
) -> None:
    sign_up(client)
    bad = GOOD_ROWS.replace(",250,kWh,", ",lots,kWh,")
    response = submit(
        client,
        "/history/import",
        {},
        files={"file": ("entries.csv", CSV_HEADER + bad, "text/csv")},
    )
    assert response.status_code == 422
    page = response.text
    assert "Nothing was imported from entries.csv" in page
    assert "1 row has an error" in page
    assert (
        "<tr><td>3</td><td>quantity</td><td>quantity &#39;lots&#39; is not a number</td></tr>"
        in page
    )
    assert "no entry from this file was saved" in page
    assert my_entries(client) == []

    fixed = submit(
        client,
        "/history/import",
        {},
        files={"file": ("entries.csv", CSV_HEADER + GOOD_ROWS, "text/csv")},
    )
    assert fixed.status_code == 303
    assert fixed.headers["location"] == "/history"
    assert flashes(client.get("/history").text) == ["Imported 3 entries from entries.csv."]
    assert {e["category"] for e in my_entries(client)} == {"transport", "electricity", "flights"}


def test_import_refuses_bad_files_next_to_the_file_field(client: TestClient) -> None:
    sign_up(client)

    def import_file(content: bytes, name: str = "entries.csv") -> tuple[int, str]:
        files = {"file": (name, content, "text/csv")}
        response = submit(client, "/history/import", {}, files=files)
        return response.status_code, response.text

    status, page = import_file(b"\xff\xfe not text")
    assert status == 422
    assert error_next_to(page, "file").startswith("The file is not UTF-8 text")
    status, page = import_file(b"when,how much\n1,2\n")
    assert (
        error_next_to(page, "file")
        == "CSV header lacks column(s): timestamp, quantity, unit, factorId"
    )
    status, page = import_file(CSV_HEADER.encode())
    assert error_next_to(page, "file") == "The file has no rows"
    status, page = import_file(b"", name="")
    assert error_next_to(page, "file") == "Choose a CSV file."


def test_importing_an_export_twice_is_refused_not_doubled(client: TestClient) -> None:
    sign_up(client)
    log_via_api(client, PETROL_CAR, 10, "km")
    exported = client.get("/history/export.csv").text
    files = {"file": ("carbontrack-entries.csv", exported, "text/csv")}
    response = submit(client, "/history/import", {}, files=files)
    assert response.status_code == 409
    assert "already exist" in error_next_to(response.text, "file")
    assert len(my_entries(client)) == 1


def test_another_users_entries_are_never_listed_and_their_ids_are_404(
    client: TestClient,
) -> None:
    owner = sign_up(client)
    mine = log_via_api(client, PETROL_CAR, 10, "km", note="owner's secret note")
    sign_out(client)
    sign_up(client)
    other = log_via_api(client, UK_GRID, 50, "kWh")

    history = client.get("/history").text
    assert entry_ids(history) == [other["entryId"]]
    assert "owner&#39;s secret note" not in history
    log_page = client.get("/log").text
    # The shortcuts aside lists the user's own activities (the page cites the car elsewhere).
    aside = log_page[log_page.index('<aside class="log-shortcuts"') : log_page.index("</aside>")]
    assert "Average car" not in aside
    assert [row["entryId"] for row in export_rows(client)] == [other["entryId"]]
    for path in (f"/history/{mine['entryId']}/edit", f"/history/{mine['entryId']}/delete"):
        page = client.get(path)
        assert page.status_code == 404
        assert "owner" not in page.text
    fields = {"quantity": "1", "unit": "km", "timestamp": "2026-01-10T08:00", "note": "mine now"}
    edit = submit(client, f"/history/{mine['entryId']}/edit", fields, page="/history")
    assert edit.status_code == 404
    delete = submit(client, f"/history/{mine['entryId']}/delete", {}, page="/history")
    assert delete.status_code == 404

    sign_out(client)
    sign_in(client, owner)
    (still,) = my_entries(client)
    assert still["quantity"] == 10
    assert still["note"] == "owner's secret note"


def test_history_pages_need_a_signed_in_user(client: TestClient) -> None:
    for path in ("/history", "/history/import", "/history/export.csv"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
