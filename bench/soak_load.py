"""The soak's load: one thread per client, each with its own user, plus a health probe.

Each client registers its own user, logs in, then loops: log an entry, list a page of 50,
read this month's stats; every IMPORT_EVERY-th round it imports a small CSV and every
RELOGIN_EVERY-th round it logs in again. Clients are closed-loop (no think time) on one
keep-alive connection each, with the standard library's http.client: cheap, so the server,
not the client, uses the CPU. Every loop is bounded in rounds and by the deadline.
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bench.client import csv_form
from bench.procfs import rss_kib
from bench.sample_data import PETROL_CAR, UK_GRID
from bench.server import HOST
from carbontrack.services.transfer import COLUMNS

REGISTER, LOGIN, HEALTH = "POST /api/register", "POST /api/login", "GET /api/health"
LOG, LIST, STATS = "POST /api/entries", "GET /api/entries?limit=50", "GET /api/stats?period=month"
IMPORT = "POST /api/entries/import"
OPERATIONS = (REGISTER, LOGIN, LOG, LIST, STATS, IMPORT, HEALTH)
IMPORT_EVERY = 10
IMPORT_ROWS = 5
RELOGIN_EVERY = 25
MAX_ROUNDS = 100_000  # per client: a bound in count, besides the deadline
PROBE_INTERVAL_S = 0.1
RSS_INTERVAL_S = 1.0
REQUEST_TIMEOUT_S = 60.0
PASSWORD = "soak-password-1"  # a throw-away account on loopback
PROBE = -1
Headers = dict[str, str]


@dataclass(frozen=True)
class Sample:
    """One request: when it started (seconds into the run), how long it took, what went wrong."""

    client: int  # PROBE for the health probe
    operation: str
    at_s: float
    ms: float
    error: str | None  # None: the expected status; else the status and body, or the exception


@dataclass(frozen=True)
class Plan:
    """Where and how long to push."""

    port: int
    clients: int
    seconds: float


@dataclass
class Outcome:
    """Everything the run recorded."""

    samples: list[Sample] = field(default_factory=list)
    rss: list[tuple[float, int]] = field(default_factory=list)  # (seconds into the run, KiB)


class Connection:
    """One client's keep-alive connection; a fresh one after any error (as a browser would)."""

    def __init__(self, port: int, started: float, client: int) -> None:
        self.port = port
        self.client = client
        self.started = started
        self.samples: list[Sample] = []
        self._conn: http.client.HTTPConnection | None = None

    def send_json(
        self,
        operation: str,
        path: str,
        payload: object,
        *,
        expect: int,
        auth: Headers | None = None,
    ) -> bytes | None:
        """POST a JSON body."""
        headers = {**(auth or {}), "Content-Type": "application/json"}
        body = json.dumps(payload).encode()
        return self.send(operation, "POST", path, expect=expect, body=body, headers=headers)

    def send(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        expect: int,
        body: bytes | None = None,
        headers: Headers | None = None,
    ) -> bytes | None:
        """The response body if the status was `expect`, else None (the error is recorded)."""
        began = time.monotonic()
        error: str | None
        payload: bytes | None = None
        try:
            status, payload = self._round_trip(method, path, body, headers or {})
            error = None if status == expect else f"HTTP {status}: {payload[:300]!r}"
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
        took_ms = (time.monotonic() - began) * 1000
        self.samples.append(Sample(self.client, operation, began - self.started, took_ms, error))
        if error is not None:
            self.close()
            return None
        return payload

    def _round_trip(
        self, method: str, path: str, body: bytes | None, headers: Headers
    ) -> tuple[int, bytes]:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT_S)
        self._conn.request(method, path, body=body, headers=headers)
        response = self._conn.getresponse()
        return response.status, response.read()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def run(plan: Plan, *, server_pid: int) -> Outcome:
    """Start the clients, the health probe and the RSS sampler; wait for all of them."""
    outcome = Outcome()
    started = time.monotonic()
    deadline = started + plan.seconds
    outcome.rss.append((0.0, rss_kib(server_pid)))
    workers: list[Callable[[], None]] = [
        *(_client_work(plan, n, started, deadline, outcome) for n in range(plan.clients)),
        lambda: _probe(plan, started, deadline, outcome),
        lambda: _sample_rss(server_pid, started, deadline, outcome),
    ]
    threads = [threading.Thread(target=work, daemon=True) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=plan.seconds + 2 * REQUEST_TIMEOUT_S)
    outcome.rss.append((time.monotonic() - started, rss_kib(server_pid)))
    return outcome


def _client_work(
    plan: Plan, n: int, started: float, deadline: float, outcome: Outcome
) -> Callable[[], None]:
    def work() -> None:
        conn = Connection(plan.port, started, n)
        try:
            _client(conn, random.Random(n), deadline)
        finally:
            conn.close()
            outcome.samples.extend(conn.samples)  # list.extend is atomic under the GIL

    return work


def _client(conn: Connection, rng: random.Random, deadline: float) -> None:
    """Register, log in, then the mix until the deadline or MAX_ROUNDS."""
    email = f"soak-{uuid.uuid4().hex[:12]}@example.org"
    account = {"email": email, "password": PASSWORD, "name": "Soak"}
    if conn.send_json(REGISTER, "/api/register", account, expect=201) is None:
        return  # without an account there is nothing left to do; the error is recorded
    login = {"email": email, "password": PASSWORD}
    auth: Headers | None = None
    for round_ in range(MAX_ROUNDS):
        if time.monotonic() >= deadline:
            return
        if auth is None or round_ % RELOGIN_EVERY == RELOGIN_EVERY - 1:
            auth = _login(conn, login) or auth
            if auth is None:
                time.sleep(0.5)  # the error is recorded; do not spin on it
                continue
        _round(conn, rng, auth, import_now=round_ % IMPORT_EVERY == IMPORT_EVERY - 1)


def _login(conn: Connection, login: dict[str, str]) -> Headers | None:
    body = conn.send_json(LOGIN, "/api/login", login, expect=200)
    if body is None:
        return None
    return {"Authorization": f"Bearer {json.loads(body)['access_token']}"}


def _round(conn: Connection, rng: random.Random, auth: Headers, *, import_now: bool) -> None:
    conn.send_json(LOG, "/api/entries", _entry(rng), expect=201, auth=auth)
    conn.send(LIST, "GET", "/api/entries?limit=50", expect=200, headers=auth)
    conn.send(STATS, "GET", "/api/stats?period=month", expect=200, headers=auth)
    if import_now:
        body, content_type = csv_form(_csv(rng))
        headers = {**auth, "Content-Type": content_type}
        conn.send(IMPORT, "POST", "/api/entries/import", expect=201, body=body, headers=headers)


def _when(rng: random.Random) -> str:
    """A moment in the last two days (this month's stats see most of them)."""
    moment = datetime.now(UTC) - timedelta(minutes=rng.randrange(2 * 24 * 60))
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _entry(rng: random.Random) -> dict[str, object]:
    if rng.random() < 0.25:
        return {
            "factorId": UK_GRID,
            "quantity": round(rng.uniform(1, 30), 1),
            "unit": "kWh",
            "timestamp": _when(rng),
        }
    return {
        "factorId": PETROL_CAR,
        "quantity": round(rng.uniform(1, 80), 1),
        "unit": rng.choice(("km", "mile")),
        "timestamp": _when(rng),
        "note": "commute",
    }


def _csv(rng: random.Random) -> str:
    """IMPORT_ROWS rows under the header our own export writes (no entryId: new entries)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for _ in range(IMPORT_ROWS):
        entry = _entry(rng)
        writer.writerow(
            {
                "timestamp": entry["timestamp"],
                "quantity": entry["quantity"],
                "unit": entry["unit"],
                "factorId": entry["factorId"],
            }
        )
    return out.getvalue()


def _probe(plan: Plan, started: float, deadline: float, outcome: Outcome) -> None:
    """GET /api/health every PROBE_INTERVAL_S: the baseline, under the same load."""
    conn = Connection(plan.port, started, PROBE)
    try:
        for _ in range(int(plan.seconds / PROBE_INTERVAL_S) + 1):
            if time.monotonic() >= deadline:
                break
            conn.send(HEALTH, "GET", "/api/health", expect=200)
            time.sleep(PROBE_INTERVAL_S)
    finally:
        conn.close()
        outcome.samples.extend(conn.samples)


def _sample_rss(pid: int, started: float, deadline: float, outcome: Outcome) -> None:
    """The server tree's RSS every RSS_INTERVAL_S."""
    for _ in range(int(deadline - started) + 1):
        time.sleep(RSS_INTERVAL_S)
        if time.monotonic() >= deadline:
            break
        outcome.rss.append((time.monotonic() - started, rss_kib(pid)))
