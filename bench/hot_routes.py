"""CPU per request on the hot routes (issue 18), in one process, against the bare ceiling.

The app (`create_app` on a fresh SQLite file: one user, 1,000 entries imported) and the
bare FastAPI ceiling (`bench/ceiling.py`, the same page and created entry as constant JSON)
are driven as ASGI apps, one request at a time, with no server and no sockets: what is
measured is what the process spends per request (`time.process_time`, every thread),
the figure behind req/s once the CPUs are busy. Rounds alternate between the cases, and
each figure is the median of the rounds.

Nothing here depends on the tree's age: `PYTHONPATH=<old tree>/src python -m bench
hot-routes` measures an older CarbonTrack the same way, which is how docs/benchmarks.md's
table of what moved what was made.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.to_thread
from fastapi.testclient import TestClient
from starlette.types import ASGIApp, Message

from bench import sample_data
from bench.api_throughput import PASSWORD
from bench.ceiling import CEILING_BODIES_ENV, ceiling_app
from bench.report import machine, table
from carbontrack.api.app import create_app
from carbontrack.settings import Settings

EMAIL = "hot-routes@example.org"
SEED_ENTRIES = 1_000
THREADS = 4  # the app's default worker_threads; the ceiling gets as many
TABLE_HEADERS = ("case", "requests", "CPU ms per request", "x the ceiling (same method)", "bytes")


@dataclass(frozen=True)
class Case:
    name: str
    app: str  # "app" or "ceiling"
    method: str
    path: str
    query: str = ""
    body: bytes = b""
    status: int = 200
    per_round: int = 100


@dataclass
class Measured:
    case: Case
    cpu_ms: list[float]
    size: int

    @property
    def median_ms(self) -> float:
        return statistics.median(self.cpu_ms)


def cases() -> list[Case]:
    """Ceiling GET and POST, then each hot route of the app."""
    created = json.dumps(sample_data.entry_body()).encode()
    login = json.dumps({"email": EMAIL, "password": PASSWORD}).encode()
    return [
        Case("ceiling: GET page of 50", "ceiling", "GET", "/api/entries", "limit=50"),
        Case("ceiling: POST entry", "ceiling", "POST", "/api/entries", body=created, status=201),
        Case("GET /api/entries (page of 50)", "app", "GET", "/api/entries", "limit=50"),
        Case("POST /api/entries", "app", "POST", "/api/entries", body=created, status=201),
        Case("GET /api/stats", "app", "GET", "/api/stats"),
        Case("GET /api/factors?q=car", "app", "GET", "/api/factors", "q=car"),
        Case("GET /api/factors?q=diesel+car", "app", "GET", "/api/factors", "q=diesel+car"),
        # argon2id verification is most of a login, by design: a few per round suffice.
        Case("POST /api/login", "app", "POST", "/api/login", body=login, per_round=3),
    ]


def run(*, rounds: int = 7) -> bool:
    """Measure and print; there is no target of its own (it explains api-workers' ratios)."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp) / "data", jwt_secret=secrets.token_urlsafe(40))
        app = create_app(settings)
        with TestClient(app) as client:
            token = _seed(client)
            bodies = {
                "get": client.get("/api/entries?limit=50", headers=_bearer(token)).json(),
                "post": client.post(
                    "/api/entries", json=sample_data.entry_body(), headers=_bearer(token)
                ).json(),
            }
        bodies_file = Path(tmp) / "ceiling.json"
        bodies_file.write_text(json.dumps(bodies))
        os.environ[CEILING_BODIES_ENV] = str(bodies_file)
        apps: dict[str, ASGIApp] = {"app": app, "ceiling": ceiling_app()}
        try:
            measured = asyncio.run(_measure(apps, token, rounds=rounds))
        finally:
            app.state.store.close()
    _print(measured, rounds)
    return True


def _seed(client: TestClient) -> str:
    user = {"email": EMAIL, "password": PASSWORD, "name": "Bench"}
    client.post("/api/register", json=user).raise_for_status()
    login = client.post("/api/login", json={"email": EMAIL, "password": PASSWORD})
    token: str = login.raise_for_status().json()["access_token"]
    csv = sample_data.export_text(SEED_ENTRIES)
    files = {"file": ("entries.csv", csv, "text/csv")}
    client.post("/api/entries/import", files=files, headers=_bearer(token)).raise_for_status()
    return token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _measure(apps: dict[str, ASGIApp], token: str, *, rounds: int) -> list[Measured]:
    # Sync routes run on as many threads as `carbontrack serve` gives each worker.
    anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
    measured = [Measured(case, [], 0) for case in cases()]
    calls = {m.case.name: _caller(apps[m.case.app], m.case, token) for m in measured}
    for m in measured:  # warm-up: first-request builds, caches, bytecode
        for _ in range(max(3, m.case.per_round // 5)):
            m.size = await calls[m.case.name]()
    for _ in range(rounds):
        for m in measured:
            call = calls[m.case.name]
            started = time.process_time()
            for _ in range(m.case.per_round):
                await call()
            m.cpu_ms.append((time.process_time() - started) / m.case.per_round * 1000)
    return measured


def _caller(app: ASGIApp, case: Case, token: str) -> Callable[[], Coroutine[Any, Any, int]]:
    headers = [(b"host", b"127.0.0.1"), (b"authorization", f"Bearer {token}".encode())]
    if case.body:
        headers += [(b"content-type", b"application/json")]
        headers += [(b"content-length", str(len(case.body)).encode())]
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": case.method,
        "scheme": "http",
        "path": case.path,
        "raw_path": case.path.encode(),
        "query_string": case.query.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }

    async def call() -> int:
        """One request; the number of body bytes sent back."""
        sent_body = False
        status: list[int] = []
        size = 0

        async def receive() -> Message:
            nonlocal sent_body
            if not sent_body:
                sent_body = True
                return {"type": "http.request", "body": case.body, "more_body": False}
            await asyncio.Event().wait()  # no disconnect while the response is sent
            raise AssertionError("unreachable")

        async def send(message: Message) -> None:
            nonlocal size
            if message["type"] == "http.response.start":
                status.append(message["status"])
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))

        await app({**scope, "state": {}}, receive, send)
        if status != [case.status]:
            raise RuntimeError(f"{case.name}: status {status}, expected {case.status}")
        return size

    return call


def _print(measured: list[Measured], rounds: int) -> None:
    print(f"\nCPU per request on the hot routes, in one process ({machine()})")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{rounds} rounds, medians; {THREADS} threads for sync routes; load average {load}")
    ceiling = {m.case.method: m.median_ms for m in measured if m.case.app == "ceiling"}
    rows = [
        [
            m.case.name,
            str(m.case.per_round * rounds),
            f"{m.median_ms:.3f}",
            f"{m.median_ms / ceiling[m.case.method]:.2f}",
            str(m.size),
        ]
        for m in measured
    ]
    print(table(TABLE_HEADERS, rows))
