"""The OpenAPI document: the statuses of each operation, one Error schema, complete 405s."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest
from fastapi.testclient import TestClient

from carbontrack.api.openapi import KNOWN
from carbontrack.settings import Settings
from tests.api.helpers import app_client, signed_in


@pytest.fixture
def api(settings: Settings) -> Iterator[TestClient]:
    with app_client(settings) as client:
        yield client


@pytest.fixture
def document(api: TestClient) -> dict[str, Any]:
    response = api.get("/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def statuses(document: dict[str, Any], method: str, path: str) -> set[int]:
    return {int(status) for status in document["paths"][path][method.lower()]["responses"]}


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/api/health", {200}),
        ("POST", "/api/login", {200, 400, 401, 413, 422, 429}),
        ("POST", "/api/register", {201, 400, 409, 413, 422, 429}),
        ("GET", "/api/profile", {200, 401}),
        ("DELETE", "/api/profile", {204, 401, 403, 409, 413}),
        ("POST", "/api/profile/password", {204, 400, 401, 403, 409, 413, 422, 429}),
        ("GET", "/api/factors/{factor_id}", {200, 404, 422}),
        ("GET", "/api/entries/export", {200, 401}),
        ("PATCH", "/api/entries/{entry_id}", {200, 400, 401, 403, 404, 409, 413, 422}),
        ("POST", "/api/goals", {201, 400, 401, 403, 409, 413, 422}),
        ("POST", "/api/teams", {201, 400, 401, 403, 413, 422}),
        ("GET", "/api/anomalies", {200, 404, 422}),
    ],
)
def test_each_operation_lists_the_statuses_it_can_answer(
    document: dict[str, Any], method: str, path: str, expected: set[int]
) -> None:
    assert statuses(document, method, path) == expected


def test_every_error_status_has_the_one_error_schema(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas  # FastAPI's, which we never answer with
    for item in document["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    content = response["content"]["application/json"]["schema"]
                    assert content == {"$ref": "#/components/schemas/Error"}


def test_retry_after_and_www_authenticate_are_documented(document: dict[str, Any]) -> None:
    login = document["paths"]["/api/login"]["post"]["responses"]
    assert login["429"]["headers"]["Retry-After"]["required"] is True
    assert login["401"]["headers"]["WWW-Authenticate"]["required"] is True


def test_the_document_is_the_json_api_only(document: dict[str, Any]) -> None:
    """Pages are served too, but they are no part of the API's contract."""
    assert all(path.startswith("/api/") for path in document["paths"])
    assert "/api/entries" in document["paths"]


def test_known_statuses_name_operations_that_exist(document: dict[str, Any]) -> None:
    operations = {
        f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item
    }
    assert set(KNOWN) <= operations


def test_error_bodies_match_the_error_schema(api: TestClient, document: dict[str, Any]) -> None:
    """A domain error, FastAPI's validation list and an import's rows, as they are answered."""
    error = {**document["components"]["schemas"]["Error"], "components": document["components"]}
    headers = signed_in(api)
    taken = api.post(
        "/api/register", json={"email": "a@example.org", "password": "12345678", "name": "A"}
    )
    again = api.post(
        "/api/register", json={"email": "a@example.org", "password": "12345678", "name": "A"}
    )
    shape = api.post("/api/entries", json={"quantity": "many"}, headers=headers)
    rows = api.post(
        "/api/entries/import",
        files={"file": ("e.csv", "timestamp,quantity,unit,factorId\nnot-a-time,1,km,x\n")},
        headers=headers,
    )
    assert (taken.status_code, again.status_code, shape.status_code) == (201, 409, 422)
    assert rows.status_code == 422, rows.text
    assert rows.json()["errors"]
    assert isinstance(shape.json()["detail"], list)
    for response in (again, shape, rows):
        jsonschema.validate(response.json(), error)


@pytest.mark.parametrize(
    ("path", "allow"),
    [
        ("/api/profile", "GET, PATCH, DELETE"),
        ("/api/entries/some-id", "GET, PATCH, DELETE"),
        ("/api/entries/export", "GET"),
        ("/api/teams/t/members/m", "PATCH, DELETE"),
    ],
)
def test_a_405_names_every_method_of_its_resource(api: TestClient, path: str, allow: str) -> None:
    response = api.request("OPTIONS", path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json() == {"detail": "Method Not Allowed"}
