"""Bad input at the edge: always a clear 4xx, never a 500."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.api.helpers import signed_in


def test_health(client: TestClient) -> None:
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["store"] == client.app.state.store.backend  # type: ignore[attr-defined]
    assert body["store"] in {"sqlite", "dynamodb"}
    assert body["version"]


def test_oversized_json_body_is_413_by_content_length(client: TestClient) -> None:
    headers = signed_in(client)
    big = json.dumps({"factorId": "x", "quantity": 1, "unit": "km", "note": "a" * 1_100_000})
    response = client.post(
        "/api/entries", content=big, headers={**headers, "content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


def test_oversized_streamed_body_is_413_without_content_length(client: TestClient) -> None:
    headers = signed_in(client)

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(20):
            yield b"x" * 100_000

    response = client.post(
        "/api/entries", content=chunks(), headers={**headers, "content-type": "application/json"}
    )
    assert response.status_code == 413


def test_malformed_and_mistyped_bodies_are_422(client: TestClient) -> None:
    headers = signed_in(client)
    cases: list[bytes] = [
        b"{",
        b"null",
        b"[]",
        b'{"factorId": 5, "quantity": "many", "unit": []}',
        b'{"factorId": "x", "quantity": NaN, "unit": "km"}',
        b'{"factorId": "x", "quantity": Infinity, "unit": "km"}',
        "\u00ff\u00fe".encode("latin-1"),
    ]
    for body in cases:
        response = client.post(
            "/api/entries", content=body, headers={**headers, "content-type": "application/json"}
        )
        assert response.status_code == 422, body
        assert "detail" in response.json()
    assert client.get("/api/entries", headers=headers).json()["items"] == []


def test_unknown_route_is_a_json_404(client: TestClient) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_home_page_points_to_the_docs(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/docs"' in response.text
    assert "http://" not in response.text
    assert "https://" not in response.text
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.text
    assert "https://" not in docs.text
    assert "/api/entries" in client.get("/openapi.json").json()["paths"]
