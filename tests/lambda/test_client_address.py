"""On Lambda the limits on guessing count per API Gateway's `requestContext.identity.sourceIp`."""

from __future__ import annotations

from typing import Any

from .events import rest_event
from .helpers import PASSWORD, Invoke, body_of

ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"
LIMIT = 5  # the default login_max_failures


def from_ip(event: dict[str, Any], source_ip: str, *, forwarded_for: str | None = None) -> Any:
    """The event as API Gateway sends it for a client at `source_ip`."""
    event["requestContext"]["identity"]["sourceIp"] = source_ip
    forwarded = forwarded_for or source_ip
    event["headers"]["X-Forwarded-For"] = forwarded
    event["multiValueHeaders"]["X-Forwarded-For"] = [forwarded]
    return event


def login_event(email: str, password: str) -> dict[str, Any]:
    return rest_event("POST", "/api/login", json_body={"email": email, "password": password})


def test_guesses_count_per_source_ip_whatever_x_forwarded_for_says(invoke: Invoke) -> None:
    account = {"email": "ada@example.org", "password": PASSWORD, "name": "Ada"}
    registered = invoke(from_ip(rest_event("POST", "/api/register", json_body=account), OWNER))
    assert registered["statusCode"] == 201, registered["body"]
    statuses = [
        invoke(
            from_ip(
                login_event("ada@example.org", "wrong guess"),
                ATTACKER,
                forwarded_for=f"10.0.0.{n}, {ATTACKER}",  # a client may write anything first
            )
        )["statusCode"]
        for n in range(LIMIT + 2)
    ]
    assert statuses == [401] * LIMIT + [429] * 2
    owner = invoke(from_ip(login_event("ada@example.org", PASSWORD), OWNER))
    assert owner["statusCode"] == 200, owner["body"]
    assert body_of(owner)["token_type"] == "bearer"
