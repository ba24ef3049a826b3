"""Limits on guessing passwords and on sign-ups, per email and per client address (issue 12).

Requests come from chosen addresses (TestClient's `client=`), on both stores. The race of
many concurrent guesses runs against a real server in test_guessing_live.py.
"""

from __future__ import annotations

from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from carbontrack.settings import Settings
from tests.api.helpers import from_address, login, register
from tests.conftest import TEST_SECRET

PAIR_LIMIT = 3
ADDRESS_LIMIT = 5
EMAIL_CEILING = 7  # above PAIR_LIMIT x 2 windows, as settings.py requires
SIGN_UP_LIMIT = 3
ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Small limits, so each is reached in a few requests."""
    return Settings(
        data_dir=tmp_path / "var",
        jwt_secret=TEST_SECRET,  # type: ignore[arg-type]
        login_max_failures=PAIR_LIMIT,
        login_address_max_failures=ADDRESS_LIMIT,
        login_email_max_failures=EMAIL_CEILING,
        login_email_window_seconds=300,
        register_max_per_address=SIGN_UP_LIMIT,
    )


def guess(client: TestClient, email: str, password: str = "wrong-guess") -> httpx.Response:
    return client.post("/api/login", json={"email": email, "password": password})


def refused(response: httpx.Response) -> bool:
    """A 429 that says when to come back."""
    return response.status_code == 429 and int(response.headers["retry-after"]) > 0


def test_a_flood_from_one_address_does_not_lock_the_owner_out_elsewhere(
    client: TestClient,
) -> None:
    user = register(client)
    attacker = from_address(client, ATTACKER)
    statuses = [guess(attacker, user["email"]).status_code for _ in range(PAIR_LIMIT + 5)]
    assert statuses == [401] * PAIR_LIMIT + [429] * 5
    assert refused(guess(attacker, user["email"], user["password"]))  # even the right one
    owner = from_address(client, OWNER)
    assert guess(owner, user["email"]).status_code == 401  # still only a wrong password
    login(owner, email=user["email"], password=user["password"])


def test_spraying_one_password_over_many_emails_is_limited_per_address(
    client: TestClient,
) -> None:
    user = register(client)
    sprayer = from_address(client, ATTACKER)
    emails = [f"sprayed{n}@example.org" for n in range(ADDRESS_LIMIT + 3)]
    statuses = [guess(sprayer, email, "Summer2026!").status_code for email in emails]
    assert statuses == [401] * ADDRESS_LIMIT + [429] * 3
    assert refused(guess(sprayer, user["email"], user["password"]))
    login(from_address(client, OWNER), email=user["email"], password=user["password"])


def test_guesses_from_many_addresses_meet_the_email_ceiling(client: TestClient) -> None:
    user = register(client)
    addresses = [f"192.0.2.{n}" for n in range(1, 5)]
    statuses = [
        guess(from_address(client, address), user["email"]).status_code
        for address in addresses
        for _ in range(PAIR_LIMIT)
    ]
    # 12 guesses from 4 addresses, each within its own limits: the ceiling checks only 7.
    assert statuses.count(401) == EMAIL_CEILING
    assert statuses.count(429) == len(statuses) - EMAIL_CEILING
    assert refused(guess(from_address(client, OWNER), user["email"], user["password"]))


def test_right_passwords_do_not_use_up_the_limits(client: TestClient) -> None:
    office = from_address(client, OWNER)
    users = [register(client) for _ in range(3)]
    for _ in range(EMAIL_CEILING + ADDRESS_LIMIT):
        for user in users:
            login(office, email=user["email"], password=user["password"])
    # A right password also clears this address's earlier failures for the account.
    for _ in range(2):
        for _ in range(PAIR_LIMIT - 1):
            assert guess(office, users[0]["email"]).status_code == 401
        login(office, email=users[0]["email"], password=users[0]["password"])


def test_x_forwarded_for_is_not_trusted_by_default(client: TestClient) -> None:
    user = register(client)
    attacker = from_address(client, ATTACKER)
    statuses = [
        attacker.post(
            "/api/login",
            json={"email": user["email"], "password": "wrong-guess"},
            headers={"X-Forwarded-For": f"10.0.0.{n}"},
        ).status_code
        for n in range(PAIR_LIMIT + 2)
    ]
    assert statuses == [401] * PAIR_LIMIT + [429] * 2


def test_addresses_in_one_ipv6_64_share_their_limits(client: TestClient) -> None:
    user = register(client)
    hosts = [f"2001:db8:1:2::{n:x}" for n in range(1, PAIR_LIMIT + 2)]
    statuses = [guess(from_address(client, host), user["email"]).status_code for host in hosts]
    assert statuses == [401] * PAIR_LIMIT + [429]
    login(from_address(client, "2001:db8:1:3::1"), email=user["email"], password=user["password"])


def test_sign_ups_are_limited_per_address(client: TestClient) -> None:
    crowd = from_address(client, ATTACKER)
    for n in range(SIGN_UP_LIMIT):
        register(crowd, email=f"bulk{n}@example.org")
    again = crowd.post(
        "/api/register",
        json={"email": "one-more@example.org", "password": "long enough", "name": "B"},
    )
    assert refused(again)
    assert login_status(client, "one-more@example.org", "long enough") == 401  # not created
    register(from_address(client, OWNER), email="one-more@example.org")


def test_guessing_the_current_password_is_limited(client: TestClient) -> None:
    user = register(client)
    thief = from_address(client, ATTACKER)
    stolen = login(thief, email=user["email"], password=user["password"])
    statuses = [
        thief.post(
            "/api/profile/password",
            json={"currentPassword": f"guess-{n}", "newPassword": "taken over"},
            headers=stolen,
        ).status_code
        for n in range(PAIR_LIMIT + 2)
    ]
    assert statuses == [422] * PAIR_LIMIT + [429] * 2
    right = thief.post(
        "/api/profile/password",
        json={"currentPassword": user["password"], "newPassword": "taken over"},
        headers=stolen,
    )
    assert refused(right)
    # The same budget as logins: this address may not guess the password there either.
    assert refused(guess(thief, user["email"], user["password"]))
    owner = from_address(client, OWNER)
    headers = login(owner, email=user["email"], password=user["password"])
    changed = owner.post(
        "/api/profile/password",
        json={"currentPassword": user["password"], "newPassword": "a fresh one"},
        headers=headers,
    )
    assert changed.status_code == 204


def login_status(client: TestClient, email: str, password: str) -> int:
    return guess(client, email, password).status_code
