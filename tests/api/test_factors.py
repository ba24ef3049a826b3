from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.factor_ids import PETROL_CAR, UK_GRID


def test_search_finds_factors_by_words(client: TestClient) -> None:
    response = client.get("/api/factors", params={"q": "average car petrol", "region": "GB"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert PETROL_CAR in [item["factorId"] for item in items]
    item = next(i for i in items if i["factorId"] == PETROL_CAR)
    assert set(item) == {
        "factorId",
        "category",
        "activity",
        "unit",
        "unitType",
        "co2eKgPerUnit",
        "region",
        "source",
        "dataset",
        "year",
        "licence",
    }
    assert item["unitType"] == "distance"
    assert item["licence"] == "OGL-UK-3.0"


def test_search_filters_by_category_and_limits(client: TestClient) -> None:
    items = client.get("/api/factors", params={"category": "electricity", "limit": 100}).json()[
        "items"
    ]
    assert len(items) == 100
    assert {i["category"] for i in items} == {"electricity"}
    assert len(client.get("/api/factors", params={"limit": 3}).json()["items"]) == 3


def test_search_rejects_bad_parameters(client: TestClient) -> None:
    assert client.get("/api/factors", params={"category": "spaceflight"}).status_code == 422
    assert client.get("/api/factors", params={"limit": 0}).status_code == 422
    assert client.get("/api/factors", params={"limit": 101}).status_code == 422
    assert client.get("/api/factors", params={"q": "x" * 201}).status_code == 422


def test_get_one_factor(client: TestClient) -> None:
    body = client.get(f"/api/factors/{UK_GRID}").json()
    assert body["co2eKgPerUnit"] == 0.23314
    assert body["unit"] == "kWh"
    assert body["year"] == 2020
    missing = client.get("/api/factors/defra:none:nothing")
    assert missing.status_code == 404
    assert "detail" in missing.json()
