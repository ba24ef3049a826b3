from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.api.factor_ids import FLIGHT_SHORT_ECONOMY_RF, GRID_LOCAL, PETROL_CAR, UK_GRID
from tests.api.helpers import signed_in

# Published DEFRA/BEIS 2020 conversion factors (kg CO2e per unit), from the flat file.
DEFRA_PETROL_CAR_PER_KM = 0.1743
DEFRA_UK_GRID_PER_KWH = 0.23314
DEFRA_SHORT_HAUL_ECONOMY_RF_PER_PKM = 0.15298
KM_PER_MILE = 1.609344


def log(client: TestClient, headers: dict[str, str], **body: object) -> dict[str, object]:
    response = client.post("/api/entries", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_petrol_car_km_matches_defra(client: TestClient) -> None:
    headers = signed_in(client)
    entry = log(client, headers, factorId=PETROL_CAR, quantity=100, unit="km")
    assert entry["co2eKg"] == pytest.approx(100 * DEFRA_PETROL_CAR_PER_KM, rel=1e-12)
    assert entry["category"] == "transport"
    factor = entry["factor"]
    assert isinstance(factor, dict)
    assert factor["factorId"] == PETROL_CAR
    assert factor["year"] == 2020
    assert factor["dataset"]
    assert "DEFRA" in factor["source"] or "BEIS" in factor["source"]


def test_miles_are_converted_for_a_km_factor(client: TestClient) -> None:
    headers = signed_in(client)
    entry = log(client, headers, factorId=PETROL_CAR, quantity=100, unit="miles")
    assert entry["co2eKg"] == pytest.approx(100 * KM_PER_MILE * DEFRA_PETROL_CAR_PER_KM, rel=1e-9)
    assert entry["unit"] == "miles"
    assert entry["quantity"] == 100


def test_uk_grid_kwh_and_mwh_match_defra(client: TestClient) -> None:
    headers = signed_in(client)
    kwh = log(client, headers, factorId=UK_GRID, quantity=250, unit="kWh")
    mwh = log(client, headers, factorId=UK_GRID, quantity=0.25, unit="MWh")
    assert kwh["co2eKg"] == pytest.approx(250 * DEFRA_UK_GRID_PER_KWH, rel=1e-12)
    assert mwh["co2eKg"] == pytest.approx(kwh["co2eKg"], rel=1e-9)


def test_flight_per_passenger_km(client: TestClient) -> None:
    headers = signed_in(client)
    entry = log(client, headers, factorId=FLIGHT_SHORT_ECONOMY_RF, quantity=1000, unit="km")
    assert entry["co2eKg"] == pytest.approx(1000 * DEFRA_SHORT_HAUL_ECONOMY_RF_PER_PKM, rel=1e-12)
    assert entry["category"] == "flights"


def test_wrong_dimension_is_422_naming_the_expected_unit_type(client: TestClient) -> None:
    headers = signed_in(client)
    response = client.post(
        "/api/entries",
        json={"factorId": PETROL_CAR, "quantity": 3, "unit": "litre"},
        headers=headers,
    )
    assert response.status_code == 422
    assert "distance" in response.json()["detail"]
    unknown = client.post(
        "/api/entries",
        json={"factorId": PETROL_CAR, "quantity": 3, "unit": "furlongs-ish"},
        headers=headers,
    )
    assert unknown.status_code == 422
    assert client.get("/api/entries", headers=headers).json()["items"] == []


def test_unknown_factor_is_422(client: TestClient) -> None:
    headers = signed_in(client)
    response = client.post(
        "/api/entries",
        json={"factorId": "defra:nope:nothing", "quantity": 3, "unit": "km"},
        headers=headers,
    )
    assert response.status_code == 422
    assert response.json()["field"] == "factorId"


@pytest.mark.parametrize("quantity", [-1, -0.0001, 1e10, 1e308])
def test_out_of_range_quantities_are_422(client: TestClient, quantity: float) -> None:
    headers = signed_in(client)
    response = client.post(
        "/api/entries",
        json={"factorId": PETROL_CAR, "quantity": quantity, "unit": "km"},
        headers=headers,
    )
    assert response.status_code == 422


def test_zero_quantity_is_allowed(client: TestClient) -> None:
    headers = signed_in(client)
    assert log(client, headers, factorId=PETROL_CAR, quantity=0, unit="km")["co2eKg"] == 0


def test_timestamps_default_to_now_and_refuse_the_far_future(client: TestClient) -> None:
    headers = signed_in(client)
    before = datetime.now(UTC)
    entry = log(client, headers, factorId=PETROL_CAR, quantity=1, unit="km")
    stamp = datetime.fromisoformat(str(entry["timestamp"]))
    assert before - timedelta(seconds=1) <= stamp <= datetime.now(UTC) + timedelta(seconds=1)
    naive = log(
        client, headers, factorId=PETROL_CAR, quantity=1, unit="km", timestamp="2025-03-01T08:30:00"
    )
    assert naive["timestamp"] == "2025-03-01T08:30:00Z"
    offset = log(
        client,
        headers,
        factorId=PETROL_CAR,
        quantity=1,
        unit="km",
        timestamp="2025-03-01T08:30:00+02:00",
    )
    assert offset["timestamp"] == "2025-03-01T06:30:00Z"
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    for bad in (future, "yesterday", "2025-13-01T00:00:00", "1969-12-31T23:00:00Z"):
        response = client.post(
            "/api/entries",
            json={"factorId": PETROL_CAR, "quantity": 1, "unit": "km", "timestamp": bad},
            headers=headers,
        )
        assert response.status_code == 422, bad


def test_listing_is_newest_first_with_a_cursor(client: TestClient) -> None:
    headers = signed_in(client)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for day in range(7):
        log(
            client,
            headers,
            factorId=PETROL_CAR,
            quantity=day + 1,
            unit="km",
            timestamp=(start + timedelta(days=day)).isoformat(),
        )
    seen: list[float] = []
    cursor = None
    while True:
        params: dict[str, object] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = client.get("/api/entries", params=params, headers=headers).json()
        seen.extend(item["quantity"] for item in page["items"])
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == [7, 6, 5, 4, 3, 2, 1]


def test_listing_filters_by_dates_and_category(client: TestClient) -> None:
    headers = signed_in(client)
    log(
        client,
        headers,
        factorId=PETROL_CAR,
        quantity=1,
        unit="km",
        timestamp="2026-02-01T10:00:00Z",
    )
    log(
        client,
        headers,
        factorId=PETROL_CAR,
        quantity=2,
        unit="km",
        timestamp="2026-02-28T23:59:59Z",
    )
    log(client, headers, factorId=UK_GRID, quantity=3, unit="kWh", timestamp="2026-02-15T12:00:00Z")
    log(
        client,
        headers,
        factorId=PETROL_CAR,
        quantity=4,
        unit="km",
        timestamp="2026-03-01T00:00:00Z",
    )

    def quantities(**params: object) -> list[float]:
        response = client.get("/api/entries", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [item["quantity"] for item in response.json()["items"]]

    assert quantities(**{"from": "2026-02-01", "to": "2026-02-28"}) == [2, 3, 1]
    assert quantities(**{"from": "2026-02-01T10:00:01Z"}) == [4, 2, 3]
    assert quantities(to="2026-03-01T00:00:00Z") == [2, 3, 1]
    assert quantities(category="electricity") == [3]
    for params in (
        {"from": "Feb"},
        {"category": "spaceflight"},
        {"limit": 0},
        {"limit": 501},
        {"cursor": "garbage!"},
    ):
        assert client.get("/api/entries", params=params, headers=headers).status_code == 422, params


def test_get_patch_delete_one_entry(client: TestClient) -> None:
    headers = signed_in(client)
    entry = log(client, headers, factorId=PETROL_CAR, quantity=10, unit="km", note="to work")
    url = f"/api/entries/{entry['entryId']}"
    assert client.get(url, headers=headers).json() == entry

    patched = client.patch(url, json={"quantity": 20}, headers=headers).json()
    assert patched["co2eKg"] == pytest.approx(20 * DEFRA_PETROL_CAR_PER_KM)
    assert patched["note"] == "to work"
    assert patched["createdAt"] == entry["createdAt"]

    switched = client.patch(url, json={"factorId": UK_GRID, "unit": "kWh"}, headers=headers).json()
    assert switched["category"] == "electricity"
    assert switched["co2eKg"] == pytest.approx(20 * DEFRA_UK_GRID_PER_KWH)

    cleared = client.patch(url, json={"note": None}, headers=headers).json()
    assert cleared["note"] is None
    assert cleared["co2eKg"] == switched["co2eKg"]

    bad = client.patch(url, json={"unit": "kg"}, headers=headers)
    assert bad.status_code == 422
    assert client.patch(url, json={}, headers=headers).status_code == 422
    assert client.get(url, headers=headers).json()["co2eKg"] == switched["co2eKg"]

    assert client.delete(url, headers=headers).status_code == 204
    assert client.get(url, headers=headers).status_code == 404
    assert client.delete(url, headers=headers).status_code == 404


def test_users_cannot_see_or_change_each_others_entries(client: TestClient) -> None:
    alice = signed_in(client)
    bob = signed_in(client)
    entry = log(client, alice, factorId=PETROL_CAR, quantity=10, unit="km")
    url = f"/api/entries/{entry['entryId']}"
    assert client.get(url, headers=bob).status_code == 404
    assert client.patch(url, json={"quantity": 1}, headers=bob).status_code == 404
    assert client.delete(url, headers=bob).status_code == 404
    assert client.get("/api/entries", headers=bob).json()["items"] == []
    export = client.get("/api/entries/export", headers=bob).text
    assert entry["entryId"] not in export
    assert client.get(url, headers=alice).json()["quantity"] == 10


def test_entries_need_a_token(client: TestClient) -> None:
    assert client.get("/api/entries").status_code == 401
    assert client.post("/api/entries", json={}).status_code == 401


def test_grid_electricity_follows_the_profile_country(client: TestClient) -> None:
    de = signed_in(client, country="DE")
    entry = log(client, de, factorId=GRID_LOCAL, quantity=100, unit="kWh")
    factor = entry["factor"]
    assert isinstance(factor, dict)
    assert factor["requestedFactorId"] == GRID_LOCAL
    assert factor["factorId"].endswith(":DEU")
    assert factor["resolution"]
    germany = client.get(f"/api/factors/{factor['factorId']}").json()
    assert entry["co2eKg"] == pytest.approx(100 * germany["co2eKgPerUnit"])

    nowhere = signed_in(client)
    fallback = log(client, nowhere, factorId=GRID_LOCAL, quantity=100, unit="kWh")
    fb = fallback["factor"]
    assert isinstance(fb, dict)
    assert "world" in fb["factorId"].lower()
    assert any("country" in step for step in fb["resolution"])
    assert math.isfinite(float(str(fallback["co2eKg"])))


def test_entry_json_has_exactly_the_documented_fields(client: TestClient) -> None:
    headers = signed_in(client)
    entry = log(client, headers, factorId=PETROL_CAR, quantity=1, unit="km")
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert set(entry) == set(schemas["EntryOut"]["properties"])
    assert set(entry["factor"]) == set(schemas["FactorUsedOut"]["properties"])  # type: ignore[arg-type]
    page = client.get("/api/entries", headers=headers).json()
    assert set(page) == set(schemas["EntryPage"]["properties"])
