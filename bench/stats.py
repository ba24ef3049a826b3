"""GET /api/stats against history: a user with 100,000 entries vs one with 100, same store.

SQLite: one store file holding 1,000,000 entries of 1,000 other users plus a heavy user
(100,000 entries over 5 years), a light user (100 entries) and a dense user (the heavy user's
entries a day, for two months only), seeded once with `add_many` (seeding time reported
apart). `GET /api/stats?period=month` is timed through TestClient for each, interleaved; the
heavy user's p50 must be at most 2x the light user's. DynamoDB: the same request on moto
in-process counts its calls (at most 2), with a smaller history, seeded as a restore does
(`put_many`, then `rollups.rebuild`): moto deep-copies every table on each TransactWriteItems,
so seeding through `add_many` grows quadratically in time and memory (2,000 entries: 4 min, 6 GB).
Every `PERIOD_EVERY`-th seeded entry is a bill over the `PERIOD_DAYS` days up to its day
(issue 13), so the month totals read hold spread shares as well as single days.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from moto import mock_aws

from bench.report import machine, table, verdict
from carbontrack.api.app import create_app
from carbontrack.domain import periods
from carbontrack.domain.models import Entry, FactorUsed, User
from carbontrack.services import stats
from carbontrack.settings import Settings
from carbontrack.store.base import Store
from carbontrack.store.dynamodb import DynamoStore
from carbontrack.store.dynamodb.metrics import CallCounter
from carbontrack.store.dynamodb.tables import create_tables
from carbontrack.store.sqlite import SqliteStore

MAX_RATIO = 2.0
MAX_CALLS = 2
YEARS = 5
CHUNK = 50_000  # entries per add_many (one transaction)
PASSWORD = "bench-password-1"
SECRET = "bench-secret-that-is-long-enough-for-hs256-0123456789"
REQUEST = "/api/stats?period=month"
CATEGORIES = ("transport", "electricity", "heating", "flights")
PERIOD_EVERY = 20  # one entry in 20 is a bill over a period (issue 13)
PERIOD_DAYS = 90  # a quarter
FACTOR = FactorUsed(
    factor_id="defra:ghg-cf-2020:passenger-vehicles.cars-by-size.average-car.petrol",
    dataset="defra-ghg-cf-2020",
    year=2020,
    source="BEIS/DEFRA GHG conversion factors 2020",
    co2e_kg_per_unit=0.1743,
    unit="km",
)


@dataclass(frozen=True)
class Timing:
    name: str
    entries: int
    samples: list[float]  # seconds

    def p(self, q: int) -> float:
        """The q-th percentile in milliseconds."""
        return statistics.quantiles(self.samples, n=100, method="inclusive")[q - 1] * 1000

    @property
    def p50(self) -> float:
        return statistics.median(self.samples) * 1000


def run(
    *, heavy: int, light: int, others: int, other_users: int, calls: int, dynamo_heavy: int
) -> bool:
    """Seed, measure and print; True if both targets were met."""
    load = os.getloadavg()[0]  # the machine is shared: say how busy it was
    print(f"\n## GET /api/stats against history ({machine()})")
    print(
        f"1-min load average {load:.1f} at start; 1 entry in {PERIOD_EVERY} is a bill over "
        f"{PERIOD_DAYS} days"
    )
    with tempfile.TemporaryDirectory() as tmp:
        passed = _sqlite(Path(tmp), heavy, light, others, other_users, calls)
    passed = _dynamodb(dynamo_heavy, light) and passed
    print(f"1-min load average {os.getloadavg()[0]:.1f} at end")
    return passed


# -- SQLite ------------------------------------------------------------------------------


def _sqlite(tmp: Path, heavy: int, light: int, others: int, other_users: int, calls: int) -> bool:
    settings = Settings(data_dir=tmp / "var", jwt_secret=SECRET)
    store = SqliteStore(tmp / "stats.sqlite3")
    # As many entries a day as the heavy user, but only for the last two months: what a
    # month of stats reads is the same, the history behind it is not.
    dense = round(heavy / (365.25 * YEARS) * 61)
    try:
        with TestClient(create_app(settings, store=store)) as client:
            users = {name: _account(client, store) for name in ("heavy", "light", "dense")}
            started = time.perf_counter()
            _seed_others(store, others, other_users)
            _seed(store, users["heavy"][1], heavy)
            _seed(store, users["light"][1], light, years=0.25)
            _seed(store, users["dense"][1], dense, years=61 / 365.25)
            seeded = time.perf_counter() - started
            size_mb = os.path.getsize(tmp / "stats.sqlite3") / 1e6
            total = heavy + light + dense + others
            print(
                f"seeded {total:,} entries ({heavy:,} heavy, {light:,} light, {dense:,} dense, "
                f"{others:,} of {other_users:,} other users) with add_many in {seeded:.1f} s "
                f"({total / seeded:,.0f} entries/s); file {size_mb:,.0f} MB"
            )
            counts = {"heavy": heavy, "light": light, "dense": dense}
            http = _interleaved(
                calls,
                *[
                    (Timing(f"{name}, HTTP", counts[name], []), _http(client, headers))
                    for name, (headers, _) in users.items()
                ],
            )
            direct = _interleaved(
                calls,
                *[
                    (Timing(f"{name}, service only", counts[name], []), _direct(store, user))
                    for name, (_, user) in users.items()
                ],
            )
    finally:
        store.close()
    ratio = http[0].p50 / http[1].p50
    rows = [*_rows(http, verdict(ratio <= MAX_RATIO)), *_rows(direct, "(info)")]
    print(
        f"\n`{REQUEST}`, {calls} calls per user, interleaved; target: heavy p50 <= "
        f"{MAX_RATIO:g}x light p50\n"
    )
    headers = ("user", "entries", "p50 ms", "p99 ms", "p50 / light p50", "result")
    print(table(headers, rows))
    return ratio <= MAX_RATIO


def _rows(timings: tuple[Timing, ...], result: str) -> list[tuple[str, ...]]:
    light = timings[1]
    return [
        (
            timing.name,
            f"{timing.entries:,}",
            f"{timing.p50:.2f}",
            f"{timing.p(99):.2f}",
            f"{timing.p50 / light.p50:.2f}",
            result if index == 0 else "",
        )
        for index, timing in enumerate(timings)
    ]


def _account(client: TestClient, store: Store) -> tuple[dict[str, str], User]:
    """Register a London user through the API; its auth headers and stored user."""
    email = f"bench-{uuid.uuid4().hex[:10]}@example.org"
    body = {"email": email, "password": PASSWORD, "name": "Bench"}
    assert client.post("/api/register", json=body).status_code == 201
    token = client.post("/api/login", json={"email": email, "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    profile = {"timeZone": "Europe/London", "country": "GB"}
    assert client.patch("/api/profile", json=profile, headers=headers).status_code == 200
    user = store.users.get_by_email(email)
    assert user is not None
    return headers, user


def _seed_others(store: Store, entries: int, users: int) -> None:
    for n in range(users):
        user = User(
            user_id=str(uuid.uuid4()),
            email=f"other-{n}@example.org",
            name="Other",
            password_hash="unused",
            created_at=datetime.now(UTC),
        )
        store.users.add(user)
        _seed(store, user, entries // users)


def _seed(store: Store, user: User, count: int, *, years: float = YEARS) -> None:
    batch: list[Entry] = []
    for entry in _history(user, count, years):
        batch.append(entry)
        if len(batch) == CHUNK:
            store.entries.add_many(batch)
            batch = []
    if batch:
        store.entries.add_many(batch)


def _history(user: User, count: int, years: float) -> Iterator[Entry]:
    """`count` entries spread evenly over the last `years`, the newest an hour ago.

    Every `PERIOD_EVERY`-th is a bill over the `PERIOD_DAYS` days that end on its day.
    """
    now = datetime.now(UTC).replace(microsecond=0)
    span = timedelta(days=365.25 * years)
    step = span / max(count, 1)
    for n in range(count):
        timestamp = now - timedelta(hours=1) - step * n
        day = periods.local_day(timestamp, user.time_zone)
        billed = n % PERIOD_EVERY == PERIOD_EVERY - 1
        yield Entry(
            entry_id=str(uuid.uuid4()),
            user_id=user.user_id,
            timestamp=timestamp,
            day=day,
            category=CATEGORIES[n % len(CATEGORIES)],
            activity="bench",
            quantity=10.0,
            unit="km",
            co2e_kg=1.743,
            factor=FACTOR,
            created_at=now,
            updated_at=now,
            period_start=day - timedelta(days=PERIOD_DAYS - 1) if billed else None,
            period_end=day if billed else None,
        )


def _http(client: TestClient, headers: dict[str, str]) -> Callable[[], None]:
    def get() -> None:
        response = client.get(REQUEST, headers=headers)
        assert response.status_code == 200, response.text

    return get


def _direct(store: Store, user: User) -> Callable[[], None]:
    def get() -> None:
        stats.get_stats(store=store, user=user, period="month")

    return get


def _interleaved(calls: int, *cases: tuple[Timing, Callable[[], None]]) -> tuple[Timing, ...]:
    """Time each case `calls` times, taking turns, after a warm-up."""
    for _ in range(20):  # warm-up: caches, the factor catalogue, the connection
        for _, action in cases:
            action()
    for _ in range(calls):
        for timing, action in cases:
            started = time.perf_counter()
            action()
            timing.samples.append(time.perf_counter() - started)
    return tuple(timing for timing, _ in cases)


# -- DynamoDB (moto) -----------------------------------------------------------------------


def _dynamodb(heavy: int, light: int) -> bool:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-central-1",
    }.items():
        os.environ.setdefault(name, value)
    with mock_aws(), tempfile.TemporaryDirectory() as tmp:
        store = DynamoStore(region="eu-central-1", prefix="bench-stats-")
        create_tables(store.client, store.prefix)
        settings = Settings(data_dir=Path(tmp), jwt_secret=SECRET)
        with TestClient(create_app(settings, store=store)) as client:
            heavy_headers, heavy_user = _account(client, store)
            light_headers, light_user = _account(client, store)
            started = time.perf_counter()
            for user, count, years in ((heavy_user, heavy, YEARS), (light_user, light, 0.25)):
                store.entries.put_many(list(_history(user, count, years)))
                store.rollups.rebuild(user.user_id)
            seeded = time.perf_counter() - started
            rows, passed = [], True
            cases = (
                ("heavy", heavy, heavy_headers, REQUEST, True),
                ("light", light, light_headers, REQUEST, True),
                (
                    "heavy",
                    heavy,
                    heavy_headers,
                    "/api/stats?period=year&from=" + _five_years(),
                    False,
                ),
            )
            for name, entries, headers, path, judged in cases:
                with CallCounter(store.client) as counter:
                    assert client.get(path, headers=headers).status_code == 200
                counts = counter.counts()
                ok = counts.total() <= MAX_CALLS and counts["Scan"] == 0
                passed &= ok or not judged
                calls = ", ".join(f"{op} {n}" for op, n in sorted(counts.items()))
                rows.append(
                    (name, f"{entries:,}", f"`{path}`", calls, verdict(ok) if judged else "(info)")
                )
        store.close()
    print(
        f"\nDynamoDB (moto {_moto_version()}, in-process): {heavy:,} + {light:,} entries seeded "
        f"in {seeded:.0f} s; target: at most {MAX_CALLS} calls per month request\n"
    )
    print(table(("user", "entries", "request", "calls", "result"), rows))
    return passed


def _five_years() -> str:
    """From the first of the month 59 months ago to today: 5 years, the longest range."""
    today = datetime.now(UTC).date()
    first = periods.shift(periods.period_start(today, "month"), "month", -(YEARS * 12 - 1))
    return f"{first.isoformat()}&to={today.isoformat()}"


def _moto_version() -> str:
    from importlib.metadata import version

    return version("moto")
