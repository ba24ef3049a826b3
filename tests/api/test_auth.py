from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
from fastapi.testclient import TestClient

from tests.api.helpers import login, register, signed_in
from tests.conftest import TEST_SECRET


def test_register_returns_the_public_user(client: TestClient) -> None:
    response = client.post(
        "/api/register", json={"email": "Ada@Example.org", "password": "s3cret-pass", "name": "Ada"}
    )
    assert response.status_code == 201
    body = response.json()
    public = {"userId", "email", "name", "createdAt", "country", "timeZone", "distanceUnit"}
    assert set(body) == public
    assert body["distanceUnit"] == "km"
    assert body["email"] == "ada@example.org"
    assert body["name"] == "Ada"
    assert "password" not in response.text


def test_register_refuses_an_existing_email_in_any_case(client: TestClient) -> None:
    register(client, email="grace@example.org")
    response = client.post(
        "/api/register",
        json={"email": "GRACE@example.org", "password": "another-pass", "name": "G"},
    )
    assert response.status_code == 409
    assert "detail" in response.json()


def test_register_validates_email_password_and_name(client: TestClient) -> None:
    bad = [
        {"email": "not-an-email", "password": "long enough", "name": "A"},
        {"email": "a@example.org", "password": "short", "name": "A"},
        {"email": "a@example.org", "password": "long enough", "name": "  "},
        {"email": "a@example.org", "password": "long enough"},
        {"email": "a@example.org", "password": "long enough", "name": "A", "admin": True},
    ]
    for body in bad:
        response = client.post("/api/register", json=body)
        assert response.status_code == 422, body
    assert (
        client.post(
            "/api/login", json={"email": "a@example.org", "password": "long enough"}
        ).status_code
        == 401
    )


def test_login_with_json_gives_an_rfc6749_token(client: TestClient) -> None:
    user = register(client)
    response = client.post(
        "/api/login", json={"email": user["email"].upper(), "password": user["password"]}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 30 * 60
    assert response.headers["cache-control"] == "no-store"
    claims = jwt.decode(
        body["access_token"], TEST_SECRET, algorithms=["HS256"], audience="carbontrack"
    )
    assert claims["sub"] == user["userId"]


def test_login_accepts_the_oauth2_password_form(client: TestClient) -> None:
    user = register(client)
    response = client.post(
        "/api/login", data={"username": user["email"], "password": user["password"]}
    )
    assert response.status_code == 200
    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
    assert client.get("/api/profile", headers=headers).json()["userId"] == user["userId"]


def test_unknown_email_and_wrong_password_look_the_same(client: TestClient) -> None:
    user = register(client)
    unknown = client.post(
        "/api/login", json={"email": "nobody@example.org", "password": "whatever1"}
    )
    wrong = client.post("/api/login", json={"email": user["email"], "password": "wrong-pass"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()


def test_repeated_failures_are_throttled_per_email(client: TestClient) -> None:
    user = register(client)
    other = register(client)
    for _ in range(3):  # settings fixture: 3 failures per window
        assert (
            client.post(
                "/api/login", json={"email": user["email"], "password": "nope-nope"}
            ).status_code
            == 401
        )
    blocked = client.post("/api/login", json={"email": user["email"], "password": user["password"]})
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) > 0
    assert "detail" in blocked.json()
    # Another account is not affected.
    login(client, email=other["email"], password=other["password"])


def test_a_success_clears_earlier_failures(client: TestClient) -> None:
    user = register(client)
    for _ in range(2):
        client.post("/api/login", json={"email": user["email"], "password": "nope-nope"})
    login(client, email=user["email"], password=user["password"])
    for _ in range(2):
        client.post("/api/login", json={"email": user["email"], "password": "nope-nope"})
    login(client, email=user["email"], password=user["password"])


def test_login_rejects_malformed_bodies_with_422(client: TestClient) -> None:
    assert (
        client.post(
            "/api/login", content=b"{not json", headers={"content-type": "application/json"}
        ).status_code
        == 422
    )
    assert client.post("/api/login", json={"email": "a@b.c"}).status_code == 422
    assert client.post("/api/login", json=["a", "b"]).status_code == 422


def _token(
    claims: dict[str, object], *, key: str = TEST_SECRET, algorithm: str = "HS256"
) -> dict[str, str]:
    return {"Authorization": f"Bearer {jwt.encode(claims, key, algorithm=algorithm)}"}


def _claims(user_id: str, **overrides: object) -> dict[str, object]:
    now = datetime.now(UTC)
    return {
        "sub": user_id,
        "ver": 0,
        "aud": "carbontrack",
        "iat": now,
        "exp": now + timedelta(minutes=5),
        **overrides,
    }


def test_bad_tokens_get_401(client: TestClient) -> None:
    user = register(client)
    valid = _claims(user["userId"])
    assert client.get("/api/profile", headers=_token(valid)).status_code == 200
    unsigned = jwt.encode(valid, None, algorithm="none")
    cases = {
        "missing": {},
        "garbage": {"Authorization": "Bearer not.a.jwt"},
        "alg none": {"Authorization": f"Bearer {unsigned}"},
        "wrong key": _token(valid, key="another-secret-of-enough-length-0123456789abc"),
        "expired": _token(_claims(user["userId"], exp=datetime.now(UTC) - timedelta(seconds=1))),
        "wrong audience": _token(_claims(user["userId"], aud="someone-else")),
        "unknown user": _token(_claims("no-such-user")),
        "old version": _token(_claims(user["userId"], ver=7)),
    }
    for name, headers in cases.items():
        response = client.get("/api/profile", headers=headers)
        assert response.status_code == 401, name
        assert response.headers["www-authenticate"] == "Bearer", name
        assert "detail" in response.json(), name


def test_tampered_token_is_refused(client: TestClient) -> None:
    headers = signed_in(client)
    token = headers["Authorization"].removeprefix("Bearer ")
    head, payload, signature = token.split(".")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    response = client.get(
        "/api/profile", headers={"Authorization": f"Bearer {head}.{payload}.{flipped}"}
    )
    assert response.status_code == 401
