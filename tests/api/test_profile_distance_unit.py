"""PATCH /api/profile with distanceUnit: km or miles, the log form's default distance unit."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.helpers import signed_in


def test_the_distance_unit_is_km_until_changed_to_miles(client: TestClient) -> None:
    headers = signed_in(client)
    assert client.get("/api/profile", headers=headers).json()["distanceUnit"] == "km"
    response = client.patch("/api/profile", json={"distanceUnit": "mi"}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["distanceUnit"] == "mi"
    renamed = client.patch("/api/profile", json={"name": "Ada L."}, headers=headers).json()
    assert (renamed["name"], renamed["distanceUnit"]) == ("Ada L.", "mi")  # kept when not sent


def test_an_unknown_distance_unit_is_a_422_naming_the_field(client: TestClient) -> None:
    headers = signed_in(client)
    for bad in ("miles", "furlong", 5):
        response = client.patch("/api/profile", json={"distanceUnit": bad}, headers=headers)
        assert response.status_code == 422, bad
        assert "distanceUnit" in response.text


def test_a_null_distance_unit_leaves_it_as_it_is(client: TestClient) -> None:
    headers = signed_in(client, distanceUnit="mi")
    response = client.patch("/api/profile", json={"distanceUnit": None}, headers=headers)
    assert response.status_code == 200
    assert response.json()["distanceUnit"] == "mi"
