"""What the Lambda tests share: the deployment's key, a user's password, and how to sign in."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from .events import rest_event

JWT_KEY = "lambda-test-key-from-secrets-manager-0123456789abcdef"
PASSWORD = "correct horse battery"

Invoke = Callable[[dict[str, Any]], dict[str, Any]]


def body_of(reply: dict[str, Any]) -> Any:
    assert reply["headers"]["content-type"] == "application/json"
    return json.loads(reply["body"])


def sign_in(invoke: Invoke, email: str) -> dict[str, str]:
    registered = invoke(
        rest_event(
            "POST",
            "/api/register",
            json_body={"email": email, "password": PASSWORD, "name": "Ada"},
        )
    )
    assert registered["statusCode"] == 201, registered["body"]
    login = invoke(
        rest_event("POST", "/api/login", json_body={"email": email, "password": PASSWORD})
    )
    assert login["statusCode"] == 200, login["body"]
    return {"Authorization": f"Bearer {body_of(login)['access_token']}"}
