"""The pages draw on the same limits as the API: log-in, sign-up and password-change forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from carbontrack.settings import Settings
from tests.api.helpers import from_address
from tests.conftest import TEST_SECRET
from tests.web.helpers import Account, sign_in, sign_up, submit

PAIR_LIMIT = 3
SIGN_UP_LIMIT = 2
ATTACKER, OWNER = "203.0.113.66", "198.51.100.7"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "var",
        jwt_secret=TEST_SECRET,  # type: ignore[arg-type]
        login_max_failures=PAIR_LIMIT,
        register_max_per_address=SIGN_UP_LIMIT,
    )


def message(html: str, name: str) -> str:
    """The message shown under one field."""
    found = re.search(rf'<small id="f-{name}-error" class="field-error">([^<]*)</small>', html)
    assert found is not None, f"no message for {name}"
    return found.group(1)


def test_a_flood_of_log_ins_from_one_address_leaves_the_owner_a_way_in(
    client: TestClient,
) -> None:
    account = sign_up(from_address(client, OWNER))
    attacker = from_address(client, ATTACKER)
    wrong = {"email": account.email, "password": "wrong password"}
    statuses = [submit(attacker, "/login", wrong).status_code for _ in range(PAIR_LIMIT + 1)]
    assert statuses == [401] * PAIR_LIMIT + [429]
    refused = submit(attacker, "/login", {"email": account.email, "password": account.password})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert message(refused.text, "email").startswith("Too many failed logins. Try again in ")
    sign_in(from_address(client, OWNER), account)


def test_sign_ups_from_one_address_are_limited(client: TestClient) -> None:
    for _ in range(SIGN_UP_LIMIT):
        sign_up(from_address(client, ATTACKER))
    fields = {"email": "late@example.org", "password": "long enough pw", "name": "Late"}
    response = submit(from_address(client, ATTACKER), "/register", fields)
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert "Too many sign-ups from your network. Try again in " in response.text
    assert 'value="late@example.org"' in response.text  # what was typed is kept
    sign_up(from_address(client, OWNER), email="late@example.org")


def test_guessing_the_current_password_on_the_profile_page_is_limited(
    client: TestClient,
) -> None:
    browser = from_address(client, ATTACKER)
    account = sign_up(browser)
    fields = {"current_password": "a guess", "new_password": "a new long password"}
    statuses = [
        submit(browser, "/profile/password", fields, page="/profile").status_code
        for _ in range(PAIR_LIMIT + 1)
    ]
    assert statuses == [422] * PAIR_LIMIT + [429]
    right = {"current_password": account.password, "new_password": "a new long password"}
    response = submit(browser, "/profile/password", right, page="/profile")
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    assert message(response.text, "current_password").startswith("Too many wrong passwords.")
    sign_in(from_address(client, OWNER), Account(account.email, account.password, account.name))
