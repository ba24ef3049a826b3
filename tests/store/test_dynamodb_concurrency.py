"""Concurrent writers against a moto server over HTTP, through `dynamodb_endpoint_url`.

moto's DynamoDB backend takes no locks, and the stock `moto_server` serves requests on
many threads: two TransactWriteItems can interleave inside moto, and a cancelled one
restores a copy of the table taken before the other committed. In our runs that broke
"one email, one user" in about 1 run in 13 even for correct code, which DynamoDB itself
never does (it serialises conditional writes on an item). So the server here is moto's
own WSGI app served one request at a time: each call is atomic, as in DynamoDB, while
the client threads still interleave freely *between* calls. A check-then-write
registration (GetItem, then PutItem) fails these tests every time; only conditions
inside one request pass them.
"""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TypeVar

import pytest

from carbontrack.domain.errors import AlreadyExists
from carbontrack.settings import Settings
from carbontrack.store.dynamodb import DynamoStore
from carbontrack.store.dynamodb.tables import create_tables
from tests.backends import AWS_REGION, FAKE_AWS_ENV
from tests.store.factories import T0, make_user

T = TypeVar("T")
THREADS = 8
# moto's own app (what `moto_server` runs), with threaded=False: one request at a time.
_SERVE = """
import sys
from moto.server import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple
app = DomainDispatcherApplication(create_backend_app)
run_simple("127.0.0.1", int(sys.argv[1]), app, threaded=False, request_handler=MotoRequestHandler)
"""


@pytest.fixture(scope="module")
def endpoint_url() -> Iterator[str]:
    """A moto server on a free loopback port, stopped after this module."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVE, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(150):  # 15 s at most
        if server.poll() is not None:
            raise RuntimeError(f"moto server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url + "/moto-api/", timeout=1):  # noqa: S310
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("moto server did not start")


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


def _all_at_once(work: Callable[[int], T]) -> list[T]:
    """Run `work(0..THREADS-1)` on THREADS threads released together."""
    start = threading.Barrier(THREADS, timeout=30)

    def run(n: int) -> T:
        start.wait()
        return work(n)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(run, range(THREADS)))


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
    outcomes = _all_at_once(lambda n: _outcome(lambda: store.users.add(users[n])))
    assert sorted(outcomes) == ["ok"] + ["taken:email"] * (THREADS - 1)
    [winner] = [user for user, outcome in zip(users, outcomes, strict=True) if outcome == "ok"]
    assert list(store.users.scan_all()) == [winner]
    assert store.users.get_by_email(email) == winner


def test_one_address_goes_to_one_of_many_users_changing_to_it(store: DynamoStore) -> None:
    users = [make_user() for _ in range(THREADS)]
    store.users.put_many(users)
    wanted = "wanted@example.com"
    outcomes = _all_at_once(
        lambda n: _outcome(lambda: store.users.update(replace(users[n], email=wanted)))
    )
    assert sorted(outcomes) == ["ok"] + ["taken:email"] * (THREADS - 1)
    for user, outcome in zip(users, outcomes, strict=True):
        expected = replace(user, email=wanted) if outcome == "ok" else user
        assert store.users.get(user.user_id) == expected
        assert store.users.get_by_email(expected.email) == expected
    assert len(list(store.users.scan_all())) == THREADS


def test_concurrent_failures_are_each_counted_once(store: DynamoStore) -> None:
    key = "target@example.com"
    throttle = store.login_throttle
    counts = _all_at_once(lambda _: throttle.record_failure(key, now=T0, window_s=300))
    assert sorted(counts) == list(range(1, THREADS + 1))
    assert throttle.failures(key, now=T0)[0] == THREADS
