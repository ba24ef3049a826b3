"""API throughput on every core (issue 18): the app with N worker processes.

Three uvicorn servers run side by side on 127.0.0.1, on one SQLite file for the two apps:
the app with N workers (`create_app_from_environment`, the factory `carbontrack serve`
runs), the same app with 1 worker, and the bare FastAPI ceiling with N workers and as many
threads per worker as the app. Cases are interleaved per method (ceiling, app N, app 1),
so both ratios come from neighbouring measurements of one run.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.api_throughput import GET_PATH, capture, figures, request_target, seed
from bench.ceiling import CEILING_BODIES_ENV, CEILING_THREADS_ENV
from bench.loadgen import Load, LoadResult, measure, pick_tool
from bench.report import machine, table, verdict
from bench.server import Server, uvicorn_server
from carbontrack.settings import Settings

APP_FACTORY = "carbontrack.api.app:create_app_from_environment"
WORKERS = 2
THREADS_ENV = "CARBONTRACK_WORKER_THREADS"
MIN_CEILING_RATIO = {"GET": 0.5, "POST": 0.5}
MIN_SCALING = {"GET": 1.7, "POST": 1.5}  # N workers' req/s over 1 worker's
MAX_P99_RATIO = 2.0
TABLE_HEADERS = (
    *("case", "requests", "errors", "req/s", "p50 ms", "p99 ms"),
    *("req/s ratio", "p99 ratio", "target", "result"),
)


@dataclass(frozen=True)
class Case:
    method: str
    ceiling: LoadResult  # N workers
    app: LoadResult  # N workers
    single: LoadResult  # 1 worker

    @property
    def ceiling_ratio(self) -> float:
        return self.app.rps / self.ceiling.rps

    @property
    def p99_ratio(self) -> float:
        return self.app.p99_ms / self.ceiling.p99_ms

    @property
    def scaling(self) -> float:
        return self.app.rps / self.single.rps

    @property
    def clean(self) -> bool:
        return not (self.ceiling.errors or self.app.errors or self.single.errors)

    @property
    def near_ceiling(self) -> bool:
        fast = self.ceiling_ratio >= MIN_CEILING_RATIO[self.method]
        return self.clean and fast and self.p99_ratio <= MAX_P99_RATIO

    @property
    def scales(self) -> bool:
        return self.clean and self.scaling >= MIN_SCALING[self.method]


def run(load: Load, *, client: str, workers: int = WORKERS) -> bool:
    """Measure, print the table, and return whether every target passed."""
    tool = pick_tool(client)
    # The app's default, or CARBONTRACK_WORKER_THREADS to compare others.
    threads = int(os.environ.get(THREADS_ENV, Settings.model_fields["worker_threads"].default))
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            "CARBONTRACK_DATA_DIR": str(Path(tmp) / "data"),
            "CARBONTRACK_JWT_SECRET": secrets.token_urlsafe(40),
            THREADS_ENV: str(threads),
        }
        # A first app migrates and seeds the file, so the workers starting together find it
        # ready (as `carbontrack serve` prepares it before forking), and every measured
        # server starts fresh.
        with uvicorn_server("seed", APP_FACTORY, env=env, ready_path="/api/health") as first:
            auth = seed(first)
            bodies = Path(tmp) / "ceiling-bodies.json"
            bodies.write_text(json.dumps(capture(first, auth)))
        ceiling_env = {CEILING_BODIES_ENV: str(bodies), CEILING_THREADS_ENV: str(threads)}
        with (
            uvicorn_server("app-1", APP_FACTORY, env=env, ready_path="/api/health") as single,
            uvicorn_server(
                "app-n", APP_FACTORY, env=env, ready_path="/api/health", workers=workers
            ) as app,
            uvicorn_server(
                "ceiling-n",
                "bench.ceiling:ceiling_app",
                env=ceiling_env,
                ready_path=GET_PATH,
                workers=workers,
            ) as ceiling,
        ):
            cases = [
                _measure(method, (ceiling, app, single), auth, load, tool) for method in MIN_SCALING
            ]
    _print(cases, load, tool, workers=workers, threads=threads)
    return all(case.near_ceiling and case.scales for case in cases)


def _measure(
    method: str, servers: tuple[Server, Server, Server], auth: dict[str, str], load: Load, tool: str
) -> Case:
    ceiling, app, single = (
        measure(request_target(server, method, auth), load, tool=tool) for server in servers
    )
    return Case(method=method, ceiling=ceiling, app=app, single=single)


def _print(cases: list[Case], load: Load, tool: str, *, workers: int, threads: int) -> None:
    wrk_threads = f", {min(load.threads, load.connections)} threads" if tool == "wrk" else ""
    print(
        f"\nAPI throughput with {workers} workers x {threads} threads ({machine()}); load: {tool}, "
        f"{load.connections} connections{wrk_threads}, {load.warmup_s:g} s warm-up + "
        f"{load.duration_s:g} s per case"
    )
    rows: list[list[str]] = []
    for case in cases:
        m = case.method
        near = f"ratio >= {MIN_CEILING_RATIO[m]:.2f}, p99 <= {MAX_P99_RATIO:g}x"
        rows += [
            [f"{m} ceiling x{workers}", *figures(case.ceiling), "1.00", "1.00", "", ""],
            [
                f"{m} carbontrack x{workers}",
                *figures(case.app),
                f"{case.ceiling_ratio:.2f}",
                f"{case.p99_ratio:.2f}",
                near,
                verdict(case.near_ceiling),
            ],
            [
                f"{m} carbontrack x1",
                *figures(case.single),
                f"x{workers}/x1 = {case.scaling:.2f}",
                "",
                f"x{workers}/x1 >= {MIN_SCALING[m]:.1f}",
                verdict(case.scales),
            ],
        ]
    print(table(TABLE_HEADERS, rows))
    results = [r for c in cases for r in (c.ceiling, c.app, c.single)]
    if any(r.capped for r in results):
        print("NOTE: a case hit its request budget early; its req/s is understated.")
    if any(r.errors for r in results):
        print("NOTE: errors are socket errors, timeouts or non-2xx answers; any error fails.")
