from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.factor_ids import PETROL_CAR
from tests.api.helpers import login, register, signed_in


def test_profile_starts_with_defaults(client: TestClient) -> None:
    user = register(client, name="Grace")
    headers = login(client, email=user["email"], password=user["password"])
    body = client.get("/api/profile", headers=headers).json()
    assert body["name"] == "Grace"
    assert body["country"] is None
    assert body["timeZone"] == "UTC"


def test_patch_profile_changes_only_given_fields(client: TestClient) -> None:
    headers = signed_in(client)
    body = client.patch(
        "/api/profile", json={"country": "de", "timeZone": "Europe/Berlin"}, headers=headers
    ).json()
    assert body["country"] == "DE"
    assert body["timeZone"] == "Europe/Berlin"
    body = client.patch("/api/profile", json={"name": "Ada L."}, headers=headers).json()
    assert (body["name"], body["country"], body["timeZone"]) == ("Ada L.", "DE", "Europe/Berlin")
    body = client.patch("/api/profile", json={"country": None}, headers=headers).json()
    assert body["country"] is None
    assert client.get("/api/profile", headers=headers).json()["country"] is None


def test_patch_profile_rejects_bad_values_and_changes_nothing(client: TestClient) -> None:
    headers = signed_in(client, country="FR")
    for body in (
        {"country": "XX"},
        {"country": "FRA"},
        {"timeZone": "Mars/Olympus"},
        {"name": ""},
        {"email": "new@example.org"},
        {"country": 12},
    ):
        response = client.patch("/api/profile", json=body, headers=headers)
        assert response.status_code == 422, body
    assert client.get("/api/profile", headers=headers).json()["country"] == "FR"


def test_password_change_revokes_older_tokens(client: TestClient) -> None:
    user = register(client)
    old = login(client, email=user["email"], password=user["password"])
    response = client.post(
        "/api/profile/password",
        json={"currentPassword": user["password"], "newPassword": "a brand new one"},
        headers=old,
    )
    assert response.status_code == 204
    assert client.get("/api/profile", headers=old).status_code == 401
    refused = client.post("/api/login", json={"email": user["email"], "password": user["password"]})
    assert refused.status_code == 401
    new = login(client, email=user["email"], password="a brand new one")
    assert client.get("/api/profile", headers=new).status_code == 200


def test_password_change_needs_the_current_password(client: TestClient) -> None:
    user = register(client)
    headers = login(client, email=user["email"], password=user["password"])
    wrong = client.post(
        "/api/profile/password",
        json={"currentPassword": "not it at all", "newPassword": "a brand new one"},
        headers=headers,
    )
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "currentPassword"
    short = client.post(
        "/api/profile/password",
        json={"currentPassword": user["password"], "newPassword": "short"},
        headers=headers,
    )
    assert short.status_code == 422
    login(client, email=user["email"], password=user["password"])  # unchanged


def test_delete_account_removes_the_user_and_their_data(client: TestClient) -> None:
    user = register(client)
    headers = login(client, email=user["email"], password=user["password"])
    created = client.post(
        "/api/entries", json={"factorId": PETROL_CAR, "quantity": 10, "unit": "km"}, headers=headers
    )
    assert created.status_code == 201
    assert client.delete("/api/profile", headers=headers).status_code == 204
    assert client.get("/api/profile", headers=headers).status_code == 401
    assert (
        client.post(
            "/api/login", json={"email": user["email"], "password": user["password"]}
        ).status_code
        == 401
    )
    # The email is free again, and the new account starts empty.
    again = register(client, email=user["email"])
    new_headers = login(client, email=again["email"], password=again["password"])
    assert client.get("/api/entries", headers=new_headers).json()["items"] == []
