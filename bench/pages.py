"""A page's server time against the API calls that feed it, for the same user and data.

Each page calls the same services as the API (never the API over HTTP), so rendering it should
cost about what a client pays to fetch its data from the API, not more than `MAX_RATIO` times
that. One SQLite store holds the demo account (`carbontrack demo`: a year of entries, a goal,
its achievements). Through one in-process TestClient, each round times the page once
(signed in with the session cookie) and the page's API calls one after another (with the
Bearer token), taking turns, after a warm-up, until `rounds` rounds or the end of the run's
time budget (at least `MIN_ROUNDS`). Before that, the same pages on DynamoDB (moto in-process)
count their calls against the API's, for information. A page is a `PageCase`: add one to
`cases()` (history and goals would name their page and the API requests behind it).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from fastapi.testclient import TestClient
from moto import mock_aws

from bench.report import machine, table, verdict
from carbontrack.api.app import create_app
from carbontrack.domain import periods
from carbontrack.domain.models import User
from carbontrack.services import demo
from carbontrack.services.dashboard import trend_range
from carbontrack.settings import Settings
from carbontrack.store.base import Store
from carbontrack.store.dynamodb import DynamoStore
from carbontrack.store.dynamodb.metrics import CallCounter
from carbontrack.store.dynamodb.tables import create_tables
from carbontrack.store.sqlite import SqliteStore

MAX_RATIO = 2.0
WARMUP_ROUNDS = 10
MIN_ROUNDS = 20  # even past the time budget: fewer make a p99 meaningless
SESSION_COOKIE = "ct_session"
SECRET = "bench-secret-that-is-long-enough-for-hs256-0123456789"
LIGHT_ENTRIES = (
    (demo.PETROL_CAR, 120.0, "km"),
    (demo.NATURAL_GAS, 300.0, "kWh"),
    (demo.SHORT_HAUL, 900.0, "km"),
)
FAKE_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "eu-central-1",
}


@dataclass(frozen=True)
class PageCase:
    """A page and the API requests a client would make for the same figures."""

    name: str
    path: str
    api_paths: Sequence[str]


@dataclass
class Timing:
    """Seconds per round of one side (the page, or the sum of its API calls)."""

    samples: list[float] = field(default_factory=list)

    def ms(self, q: int) -> float:
        """The q-th percentile in milliseconds."""
        return statistics.quantiles(self.samples, n=100, method="inclusive")[q - 1] * 1000


def cases(user: User, now: datetime) -> list[PageCase]:
    """The pages measured, with the API calls that feed each, for `user` on `now`."""
    today = periods.local_day(now, user.time_zone)
    trends = [
        f"/api/stats?period={period}&from={start}&to={stop - timedelta(days=1)}"
        for period, (start, stop) in (
            (period, trend_range(today, period)) for period in ("day", "week", "month")
        )
    ]
    return [
        PageCase(
            name="dashboard",
            path="/",
            api_paths=(
                "/api/stats?period=month",
                *trends,
                "/api/goals",
                "/api/recommendations?limit=3",
                "/api/achievements",
            ),
        ),
        # The log form's shortcuts read the latest 200 entries (services.shortcuts).
        PageCase(name="log", path="/log", api_paths=("/api/entries?limit=200",)),
        PageCase(name="history", path="/history", api_paths=("/api/entries?limit=20",)),
        PageCase(name="goals", path="/goals", api_paths=("/api/goals",)),
        PageCase(name="achievements", path="/achievements", api_paths=("/api/achievements",)),
        PageCase(
            name="recommendations",
            path="/recommendations",
            api_paths=("/api/recommendations",),
        ),
        PageCase(name="teams", path="/teams", api_paths=("/api/teams",)),
    ]


def run(*, rounds: int, budget_s: float) -> bool:
    """Count each page's DynamoDB calls (moto, info), then time it against its API calls
    (SQLite) in what is left of `budget_s`; True if every page is within `MAX_RATIO`."""
    deadline = time.perf_counter() + budget_s
    print(f"\n## Page server time vs the API calls that feed it ({machine()})")
    calls = _dynamodb_calls()
    passed = _timings(rounds, deadline)
    print(
        "\nDynamoDB (moto, in-process), an account with 3 entries and a goal: calls of one "
        "page view\n"
    )
    print(table(("page", "page calls", "its API calls, summed", "result"), calls))
    return passed


def _timings(rounds: int, deadline: float) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "pages.sqlite3")
        settings = Settings(data_dir=Path(tmp) / "var", jwt_secret=SECRET)
        try:
            with TestClient(create_app(settings, store=store)) as client:
                entries, token, found = _demo(client, store)
                results = [
                    (case, *_measure(client, case, token, rounds, _share(deadline, found, case)))
                    for case in found
                ]
        finally:
            store.close()
    print(
        f"\nSQLite, the demo account ({entries:,} entries, a goal, its achievements); in-process "
        f"TestClient; {WARMUP_ROUNDS} warm-up rounds, then {MIN_ROUNDS} to {rounds} rounds as "
        f"the time budget allows; target: page p50 <= {MAX_RATIO:g}x the sum of its API "
        "calls' p50\n"
    )
    rows, passed = [], True
    for case, page, api in results:
        ratio = page.ms(50) / api.ms(50)
        passed &= ratio <= MAX_RATIO
        rows.append(
            (
                f"`GET {case.path}` ({case.name})",
                str(len(case.api_paths)),
                str(len(page.samples)),
                f"{page.ms(50):.2f} / {page.ms(99):.2f}",
                f"{api.ms(50):.2f} / {api.ms(99):.2f}",
                f"{ratio:.2f}x",
                f"{page.ms(99) / api.ms(99):.2f}x",
                verdict(ratio <= MAX_RATIO),
            )
        )
    headers = (
        "page",
        "API calls",
        "rounds",
        "page p50 / p99 ms",
        "API sum p50 / p99 ms",
        "p50 ratio",
        "p99 ratio",
        "result",
    )
    print(table(headers, rows))
    for case, _, _ in results:
        print(f"\n{case.name} API calls: " + ", ".join(f"`{path}`" for path in case.api_paths))
    return passed


def _dynamodb_calls() -> list[tuple[str, str, str, str]]:
    """DynamoDB calls of one page view against its API calls, on moto in-process (info).

    A light account stands in for the demo's: the calls do not depend on how many entries
    there are (below 500 in the 90 days recommendations read), and seeding a year through
    moto's transactions would take most of the run's time budget.
    """
    for name, value in FAKE_AWS.items():
        os.environ.setdefault(name, value)
    with mock_aws(), tempfile.TemporaryDirectory() as tmp:
        store = DynamoStore(region=FAKE_AWS["AWS_DEFAULT_REGION"], prefix="bench-pages-")
        create_tables(store.client, store.prefix)
        settings = Settings(data_dir=Path(tmp), jwt_secret=SECRET)
        rows: list[tuple[str, str, str, str]] = []
        with TestClient(create_app(settings, store=store)) as client:
            token, found = _light_account(client, store)
            bearer = {"Authorization": f"Bearer {token}"}
            for case in found:
                client.cookies.set(SESSION_COOKIE, token)
                page = _calls(store, partial(_get, client, case.path))
                client.cookies.clear()
                api = Counter[str]()
                for path in case.api_paths:
                    api += _calls(store, partial(_get, client, path, bearer))
                rows.append((case.name, _listed(page), _listed(api), "(info)"))
        store.close()
    return rows


def _demo(client: TestClient, store: Store) -> tuple[int, str, list[PageCase]]:
    """Create the demo account; its entry count, an access token and the page cases."""
    entries = demo.create(store=store)
    user = store.users.get_by_email(demo.DEMO_EMAIL)
    assert user is not None
    return entries, _login(client), cases(user, datetime.now(UTC))


def _light_account(client: TestClient, store: Store) -> tuple[str, list[PageCase]]:
    """An account with an entry in each of three categories and a budget goal."""
    email = "bench-pages@example.org"
    body = {"email": email, "password": demo.DEMO_PASSWORD, "name": "Bench"}
    assert client.post("/api/register", json=body).status_code == 201
    token = _login(client, email)
    bearer = {"Authorization": f"Bearer {token}"}
    for factor_id, quantity, unit in LIGHT_ENTRIES:
        entry = {"factorId": factor_id, "quantity": quantity, "unit": unit}
        assert client.post("/api/entries", json=entry, headers=bearer).status_code == 201
    goal = {"kind": "budget", "period": "month", "targetCo2eKg": 300.0}
    assert client.post("/api/goals", json=goal, headers=bearer).status_code == 201
    user = store.users.get_by_email(email)
    assert user is not None
    return token, cases(user, datetime.now(UTC))


def _calls(store: DynamoStore, action: Callable[[], None]) -> Counter[str]:
    with CallCounter(store.client) as counter:
        action()
    return counter.counts()


def _listed(counts: Counter[str]) -> str:
    found = ", ".join(f"{op} {n}" for op, n in sorted(counts.items()))
    return f"{counts.total()} ({found})"


def _get(client: TestClient, path: str, headers: dict[str, str] | None = None) -> None:
    response = client.get(path, headers=headers, follow_redirects=False)
    assert response.status_code == 200, f"{path}: {response.status_code}"


def _login(client: TestClient, email: str = demo.DEMO_EMAIL) -> str:
    body = {"email": email, "password": demo.DEMO_PASSWORD}
    response = client.post("/api/login", json=body)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def _measure(
    client: TestClient, case: PageCase, token: str, rounds: int, budget_s: float
) -> tuple[Timing, Timing]:
    """Time the page and its API calls in turns; at most `rounds` rounds and `budget_s` s."""
    page, api = Timing(), Timing()
    bearer = {"Authorization": f"Bearer {token}"}
    client.cookies.set(SESSION_COOKIE, token)

    def get_page() -> None:
        _get(client, case.path)

    def get_api() -> None:
        for path in case.api_paths:
            _get(client, path, bearer)

    for _ in range(WARMUP_ROUNDS):
        get_page()
        get_api()
    deadline = time.perf_counter() + budget_s
    while len(page.samples) < rounds and (
        len(page.samples) < MIN_ROUNDS or time.perf_counter() < deadline
    ):
        page.samples.append(_timed(get_page))
        api.samples.append(_timed(get_api))
    client.cookies.clear()
    return page, api


def _share(deadline: float, found: list[PageCase], case: PageCase) -> float:
    """Seconds for `case`: an equal share of what is left for it and the cases after it."""
    left = len(found) - found.index(case)
    return max(deadline - time.perf_counter(), 0.0) / left


def _timed(action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started
