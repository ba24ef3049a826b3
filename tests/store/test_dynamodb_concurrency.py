"""Concurrent writers against a moto server over HTTP, through `dynamodb_endpoint_url`.

The server serves one request at a time (`tests.live.serialized_moto_server` says why), so
each call is atomic, as in DynamoDB. A check-then-write registration (GetItem, then PutItem)
fails these tests every time; only conditions inside one request pass them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import replace

import pytest

from carbontrack.domain.errors import AlreadyExists, Conflict
from carbontrack.settings import Settings
from carbontrack.store.dynamodb import DynamoStore
from carbontrack.store.dynamodb.tables import create_tables
from tests.backends import AWS_REGION, FAKE_AWS_ENV
from tests.concurrency import all_at_once
from tests.live import serialized_moto_server
from tests.store.factories import T0, make_user

THREADS = 8


@pytest.fixture(scope="module")
def endpoint_url() -> Iterator[str]:
    """A moto server on a free loopback port, stopped after this module."""
    with serialized_moto_server() as url:
        yield url


@pytest.fixture
def store(
    endpoint_url: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[DynamoStore]:
    """A store built from settings, as the app builds it, with tables of its own."""
    for name, value in FAKE_AWS_ENV.items():
        monkeypatch.setenv(name, value)
    settings = Settings(
        store="dynamodb",
        dynamodb_region=AWS_REGION,
        dynamodb_endpoint_url=endpoint_url,
        dynamodb_table_prefix="c"
        + hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:12]
        + "-",
    )
    opened = DynamoStore.from_settings(settings)
    create_tables(opened.client, opened.prefix)
    yield opened
    opened.close()


def _outcome(action: Callable[[], object]) -> str:
    try:
        action()
    except AlreadyExists as exc:
        return f"taken:{exc.field}"
    return "ok"


def test_requests_go_to_the_endpoint(store: DynamoStore) -> None:
    response = store.client.describe_table(TableName=store.prefix + "users")
    assert "Werkzeug" in response["ResponseMetadata"]["HTTPHeaders"]["server"]


@pytest.mark.parametrize("round_", range(3))
def test_one_email_registers_once(store: DynamoStore, round_: int) -> None:
    email = f"race{round_}@example.com"
    users = [make_user(email=email.upper() if n % 2 else email) for n in range(THREADS)]
    outcomes = all_at_once(THREADS, lambda n: _outcome(lambda: store.users.add(users[n])))
    assert sorted(outcomes) == ["ok"] + ["taken:email"] * (THREADS - 1)
    [winner] = [user for user, outcome in zip(users, outcomes, strict=True) if outcome == "ok"]
    assert list(store.users.scan_all()) == [winner]
    assert store.users.get_by_email(email) == winner


def test_of_password_changes_from_one_version_one_commits(store: DynamoStore) -> None:
    user = make_user(token_version=0)
    store.users.add(user)

    def change(n: int) -> str:
        try:
            store.users.change_password(
                user.user_id, password_hash=f"$argon2id${n}", expected_token_version=0
            )
        except Conflict:
            return "conflict"
        return f"$argon2id${n}"

    outcomes = all_at_once(THREADS, change)
    [winner] = [outcome for outcome in outcomes if outcome != "conflict"]
    stored = replace(user, password_hash=winner, token_version=1)
    assert store.users.get(user.user_id) == stored
    assert store.users.get_by_email(user.email) == stored


def test_profile_changes_racing_a_password_change_leave_it_standing(store: DynamoStore) -> None:
    user = make_user(token_version=0, country="GB")
    store.users.add(user)
    fields: list[dict[str, str]] = [{"name": "Racer"}, {"country": "FR"}, {"time_zone": "UTC"}]

    def work(n: int) -> None:
        if n == 0:
            store.users.change_password(
                user.user_id, password_hash="$argon2id$new", expected_token_version=0
            )
        else:
            store.users.update_profile(user.user_id, **fields[n % len(fields)])

    all_at_once(THREADS, work)
    expected = replace(
        user,
        name="Racer",
        country="FR",
        time_zone="UTC",
        password_hash="$argon2id$new",
        token_version=1,
    )
    assert store.users.get(user.user_id) == expected
    assert store.users.get_by_email(user.email) == expected


def test_concurrent_attempts_are_each_counted_once(store: DynamoStore) -> None:
    key = "target@example.com"
    throttle = store.login_throttle
    counted = all_at_once(THREADS, lambda _: throttle.record_attempt(key, now=T0, window_s=300))
    assert sorted(count for count, _ in counted) == list(range(1, THREADS + 1))
    assert throttle.attempts(key, now=T0)[0] == THREADS
