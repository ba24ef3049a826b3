"""The CO2 explorer in process: a reasoning cache hit against a rules-provider cache miss.

For each of up to `points` known anomalies (distinct points, spread over the record) the
rules explanation is asked in turn: a miss (facts looked up, text composed, item written),
a hit served from the process's memory, and a hit of a second reasoner (another process,
memory empty) served by the store, so misses and hits interleave through the run. The
target: both hits' p50 under 10% of the miss p50, through the service (`Reasoner.explain`).
Through the app (`POST /api/reasoning` with TestClient, its own fresh store) the same is
printed for context: there the framework's fixed cost per request dominates every case.
`GET /api/anomalies?date=` is timed on the same dates. Bounded by `points` and `budget_s`.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient

from bench.report import machine, table, verdict
from carbontrack.api.app import create_app
from carbontrack.explorer.domain.anomalies import Anomaly
from carbontrack.explorer.services.anomalies import default_catalogue
from carbontrack.explorer.services.reasoning import Reasoner, ReasoningQuery, build_reasoner
from carbontrack.settings import Settings
from carbontrack.store.sqlite import SqliteStore

MAX_HIT_TO_MISS = 0.10
SECRET = "bench-secret-that-is-long-enough-for-hs256-0123456789"
WARMUP = 5


@dataclass
class Timing:
    name: str
    samples: list[float] = field(default_factory=list)  # seconds

    @property
    def p50(self) -> float:
        """Median in milliseconds."""
        return statistics.median(self.samples) * 1000

    @property
    def p99(self) -> float:
        """99th percentile in milliseconds."""
        return statistics.quantiles(self.samples, n=100, method="inclusive")[98] * 1000


def run(*, points: int, budget_s: float) -> bool:
    """Measure and print; True if a service cache hit costs under 10% of a rules miss."""
    print(f"\n## CO2 explorer: reasoning cache hit vs rules miss ({machine()})")
    chosen = _anomalies(points)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "var", jwt_secret=SECRET)
        started = time.perf_counter()
        service = _service(settings, Path(tmp) / "service.sqlite3", chosen, budget_s / 2)
        http = _http(settings, Path(tmp) / "http.sqlite3", chosen, budget_s / 2)
        elapsed = time.perf_counter() - started
    ratio = service[1].p50 / service[0].p50
    store_ratio = service[2].p50 / service[0].p50
    http_ratio = http[1].p50 / http[0].p50
    passed = max(ratio, store_ratio) < MAX_HIT_TO_MISS
    rows = [
        _row(service[0], ""),
        _row(service[1], f"{ratio:.1%} of miss"),
        _row(service[2], f"{store_ratio:.1%} of miss"),
        _row(http[0], ""),
        _row(http[1], f"{http_ratio:.1%} of miss (info)"),
        _row(http[2], ""),
    ]
    print(
        f"\n{len(service[0].samples)} points (known anomalies) in {elapsed:.1f} s; rules "
        f"provider, SQLite; target: service hits (memory and store) p50 < "
        f"{MAX_HIT_TO_MISS:.0%} of miss p50: {verdict(passed)}\n"
    )
    print(table(("case", "n", "p50 ms", "p99 ms", "hit / miss"), rows))
    return passed


def _anomalies(count: int) -> list[Anomaly]:
    """Known anomalies at distinct rounded points, in date order."""
    catalogue = default_catalogue()
    first, last = catalogue.extent
    seen: set[tuple[float, float, date]] = set()
    chosen = []
    for day, _ in _all_dates(first, last):
        for anomaly in catalogue.on_date(day):
            key = (round(anomaly.lat, 2), round(anomaly.lon, 2), anomaly.date)
            if key not in seen:
                seen.add(key)
                chosen.append(anomaly)
    # Spread the sample over the whole record rather than its first months.
    step = max(1, len(chosen) // (count + WARMUP))
    return chosen[::step][: count + WARMUP]


def _all_dates(first: date, last: date) -> list[tuple[date, int]]:
    catalogue = default_catalogue()
    found: list[tuple[date, int]] = []
    start = first
    while start <= last:  # the catalogue answers at most 400 days at a time
        end = min(last, date.fromordinal(start.toordinal() + 364))
        found += catalogue.dates(start, end)
        start = date.fromordinal(end.toordinal() + 1)
    return found


def _service(
    settings: Settings, path: Path, anomalies: list[Anomaly], budget_s: float
) -> tuple[Timing, ...]:
    store = SqliteStore(path)
    # `other` stands for another process: its memory is empty, so the store serves its hits.
    this, other = build_reasoner(settings), build_reasoner(settings)
    try:

        def asker(reasoner: Reasoner) -> Callable[[Anomaly], bool]:
            def ask(anomaly: Anomaly) -> bool:
                query = ReasoningQuery(lat=anomaly.lat, lon=anomaly.lon, day=anomaly.date)
                return reasoner.explain(store=store, query=query).cached

            return ask

        return _interleaved(
            anomalies,
            budget_s,
            Step(Timing("service rules miss"), asker(this), cached=False),
            Step(Timing("service cache hit, from memory"), asker(this), cached=True),
            Step(Timing("service cache hit, from the store"), asker(other), cached=True),
        )
    finally:
        this.close()
        other.close()
        store.close()


def _http(
    settings: Settings, path: Path, anomalies: list[Anomaly], budget_s: float
) -> tuple[Timing, Timing, Timing]:
    store = SqliteStore(path)
    try:
        with TestClient(create_app(settings, store=store)) as client:

            def ask(anomaly: Anomaly) -> bool:
                body = {"lat": anomaly.lat, "lon": anomaly.lon, "date": anomaly.date.isoformat()}
                response = client.post("/api/reasoning", json=body)
                assert response.status_code == 200, response.text
                cached: bool = response.json()["cached"]
                return cached

            miss, hit = _interleaved(
                anomalies,
                budget_s,
                Step(Timing("HTTP rules miss"), ask, cached=False),
                Step(Timing("HTTP cache hit, from memory"), ask, cached=True),
            )
            day_list = Timing("HTTP GET /api/anomalies?date=")
            for anomaly in anomalies[WARMUP : WARMUP + len(miss.samples)]:
                started = time.perf_counter()
                response = client.get(f"/api/anomalies?date={anomaly.date.isoformat()}")
                day_list.samples.append(time.perf_counter() - started)
                assert response.status_code == 200, response.text
    finally:
        store.close()
    return miss, hit, day_list


@dataclass(frozen=True)
class Step:
    """One timed request of each point's round, and whether it must be a cache hit."""

    timing: Timing
    ask: Callable[[Anomaly], bool]
    cached: bool


def _interleaved(anomalies: list[Anomaly], budget_s: float, *steps: Step) -> tuple[Timing, ...]:
    """Run the steps on each point in turn until the points or the budget run out."""
    for anomaly in anomalies[:WARMUP]:  # loads the facts' indexes and the catalogue
        for step in steps:
            step.ask(anomaly)
    deadline = time.perf_counter() + budget_s
    for anomaly in anomalies[WARMUP:]:
        for step in steps:
            started = time.perf_counter()
            cached = step.ask(anomaly)
            step.timing.samples.append(time.perf_counter() - started)
            assert cached is step.cached, f"{anomaly.id}: expected cached={step.cached}"
        if time.perf_counter() > deadline:
            break
    return tuple(step.timing for step in steps)


def _row(timing: Timing, result: str) -> tuple[str, ...]:
    return (timing.name, str(len(timing.samples)), f"{timing.p50:.3f}", f"{timing.p99:.3f}", result)
