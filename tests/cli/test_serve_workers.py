"""`carbontrack serve --workers 2`: two processes serve, and their writers lose nothing.

Each access-log line names the process that served it (`[pid]`), so the test sees which
worker answered; writes from both go to one SQLite file, queued across the processes by the
store's file lock.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from tests.api.factor_ids import PETROL_CAR
from tests.concurrency import all_at_once
from tests.live import LiveServer, running_server

pytestmark = pytest.mark.e2e

WORKERS = 2
CLIENTS = 8
# Bounds of the "both processes answer" loop: on Linux the two workers share one listening
# socket, and fresh connections from 8 threads reach both within a few dozen requests.
MAX_PROBES = 2_000
ENTRIES_PER_CLIENT = 25
PATCH_PAIRS = 100
STARTUP_SECONDS = 90.0
_ACCESS = re.compile(r"\[(?P<pid>\d+)\] [\d.]+:\d+ - \"(?P<method>[A-Z]+) (?P<path>\S+) ")
# A new connection for every request, so that either process may accept it.
NEW_CONNECTIONS = httpx.Limits(max_keepalive_connections=0)
_STARTED = re.compile(r"Started server process \[(\d+)\]")
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir = tmp_path_factory.mktemp("workers")
    with running_server(
        data_dir, log_path=data_dir / "server.log", serve_args=("--workers", str(WORKERS))
    ) as live:
        yield live


def _served_by(log: Path, method: str, path_prefix: str) -> set[int]:
    """The processes whose access-log lines show `method` on a path starting with the prefix."""
    return {
        int(match["pid"])
        for match in _ACCESS.finditer(log.read_text())
        if match["method"] == method and match["path"].startswith(path_prefix)
    }


def _children(pid: int) -> set[int]:
    """The child processes of `pid` (Linux /proc)."""
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children.update(int(child) for child in text)
    return children


def _workers(server: LiveServer) -> set[int]:
    """The worker processes uvicorn started: children of the server that say they serve."""
    started = {int(pid) for pid in _STARTED.findall(server.log_path.read_text())}
    return started & _children(server.pid)


def _probe(url: str, stop: threading.Event, _: int) -> int:
    """GET /api/health on fresh connections until told to stop; how many were sent."""
    sent = 0
    while not stop.is_set() and sent < MAX_PROBES // CLIENTS:
        with urllib.request.urlopen(f"{url}/api/health", timeout=30) as response:  # noqa: S310
            assert response.status == 200
        sent += 1
    return sent


def _wait_for_workers(server: LiveServer) -> set[int]:
    """The workers, once all have started (the server answers as soon as the first has)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while len(workers := _workers(server)) < WORKERS and time.monotonic() < deadline:
        time.sleep(0.2)
    return workers


def test_two_worker_processes_serve(server: LiveServer) -> None:
    workers = _wait_for_workers(server)
    assert len(workers) == WORKERS, server.log_path.read_text()
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.2):
            if len(_served_by(server.log_path, "GET", "/api/health")) >= WORKERS:
                stop.set()

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            list(pool.map(partial(_probe, server.url, stop), range(CLIENTS)))
    finally:
        stop.set()
        watcher.join()
    assert _served_by(server.log_path, "GET", "/api/health") == workers


def _login(http: httpx.Client, email: str) -> dict[str, str]:
    body = {"email": email, "password": PASSWORD, "name": "W"}
    assert http.post("/api/register", json=body).status_code == 201
    response = http.post("/api/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _write_entries(url: str, headers: dict[str, str], client: int) -> list[str]:
    """Create this client's entries on fresh connections; the notes of those acknowledged."""
    acked = []
    with httpx.Client(base_url=url, timeout=60, limits=NEW_CONNECTIONS) as http:
        for n in range(ENTRIES_PER_CLIENT):
            note = f"client {client} entry {n}"
            body = {"factorId": PETROL_CAR, "quantity": 1 + n, "unit": "km", "note": note}
            response = http.post("/api/entries", json=body, headers=headers)
            assert response.status_code == 201, response.text
            acked.append(note)
    return acked


def _all_entries(http: httpx.Client, headers: dict[str, str]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": 500} | ({"cursor": cursor} if cursor else {})
        page = http.get("/api/entries", params=params, headers=headers).json()
        entries += page["items"]
        cursor = page["nextCursor"]
        if cursor is None:
            return entries


def test_concurrent_writers_in_both_processes_lose_nothing(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        headers = _login(http, "writers@example.org")
        acked = all_at_once(CLIENTS, partial(_write_entries, server.url, headers))
        expected = sorted(note for notes in acked for note in notes)
        entries = _all_entries(http, headers)
        assert sorted(entry["note"] for entry in entries) == expected
        stats = http.get("/api/stats", params={"period": "month"}, headers=headers).json()
    writers = _served_by(server.log_path, "POST", "/api/entries")
    assert writers == _workers(server), "both processes should have written"
    # The store's per-user month totals, kept by every write, saw every entry too.
    assert stats["totalCo2eKg"] == pytest.approx(sum(e["co2eKg"] for e in entries), abs=0.01)


def _patch(
    sides: list[httpx.Client], url: str, headers: dict[str, str], bodies: list[object], n: int
) -> int:
    return sides[n].patch(url, json=bodies[n], headers=headers).status_code


def test_changes_to_different_fields_from_both_processes_both_stay(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        headers = _login(http, "patchers@example.org")
        entry = {"factorId": PETROL_CAR, "quantity": 1, "unit": "km"}
        created = http.post("/api/entries", json=entry, headers=headers).json()
        url = f"/api/entries/{created['entryId']}"
        sides = [
            httpx.Client(base_url=server.url, timeout=60, limits=NEW_CONNECTIONS) for _ in range(2)
        ]
        try:
            for pair in range(PATCH_PAIRS):
                bodies: list[object] = [{"note": f"note {pair}"}, {"quantity": pair + 2.0}]
                statuses = all_at_once(2, partial(_patch, sides, url, headers, bodies))
                assert statuses == [200, 200], pair
                stored = http.get(url, headers=headers).json()
                assert (stored["note"], stored["quantity"]) == (f"note {pair}", pair + 2.0), pair
        finally:
            for side in sides:
                side.close()
    assert _served_by(server.log_path, "PATCH", "/api/entries/") == _workers(server)
