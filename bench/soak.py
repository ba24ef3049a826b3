"""Soak: a bounded mixed workload against a real `carbontrack serve` process, per store.

Targets (issue 12): no error (any 5xx, connection error or unexpected 4xx), and the server
process tree's RSS grows less than 10% from the end of the warm-up to the end of the run.
Latency is read against a baseline measured in the same run: each operation's p99 against
GET /api/health's p99 under the same load, and the p50 and p99 of the last third of the run
after the warm-up against its first third (does it slow down as data and time accumulate?).
DynamoDB is a moto server on 127.0.0.1 (bench/moto_serial.py); load details in soak_load.py.
"""

from __future__ import annotations

import math
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from bench import soak_load
from bench.moto_serial import FAKE_AWS, moto_server
from bench.procfs import cpu_seconds
from bench.report import machine, table, verdict
from bench.server import Server, free_port, serve_process
from bench.soak_load import HEALTH, LOGIN, OPERATIONS, Outcome, Plan, Sample

STORES = ("sqlite", "dynamodb")
# The warm-up: at least this share of the run, and until every client has registered and
# logged in (32 Argon2id hashes at once: seconds on 2 cores); at most half the run.
WARMUP_SHARE = 0.2
MAX_RSS_GROWTH = 0.10
MIN_SAMPLES = 10  # fewer, and a p99 says nothing
# Every soak client comes from 127.0.0.1, and the sign-up limit per client address (meant for
# one household) would answer the 11th of the soak's users with 429: raise it. Log-ins need
# nothing: a right password takes its attempt back, and at most `worker_threads` are in flight.
UNTHROTTLED = {"CARBONTRACK_REGISTER_MAX_PER_ADDRESS": "1000000"}
TABLE_HEADERS = (
    *("operation", "requests", "errors", "p50 ms", "p99 ms"),
    *("p99 / health p99", "p50 last / first third", "p99 last / first third"),
)


@dataclass(frozen=True)
class Usage:
    """CPU seconds spent by each process during the load."""

    server: float
    moto: float | None
    bench: float

    def since(self, before: Usage) -> Usage:
        moto = None if self.moto is None else self.moto - (before.moto or 0.0)
        return Usage(self.server - before.server, moto, self.bench - before.bench)


def run(*, seconds: float, clients: int, stores: tuple[str, ...]) -> bool:
    """Soak each store in turn; print the tables; return whether every target passed."""
    results = [_soak(store, seconds=seconds, clients=clients) for store in stores]  # run all
    return all(results)


def _soak(store: str, *, seconds: float, clients: int) -> bool:
    with tempfile.TemporaryDirectory(prefix="carbontrack-soak-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        env = {
            "CARBONTRACK_DATA_DIR": str(work / "data"),
            "CARBONTRACK_JWT_SECRET": secrets.token_urlsafe(40),
            **UNTHROTTLED,
        }
        moto: Server | None = None
        if store == "dynamodb":
            moto = stack.enter_context(moto_server(stack.enter_context(_open(work / "moto.log"))))
            env |= _dynamodb_env(moto)
            _create_tables(env)
        log_path = work / "server.log"
        server = stack.enter_context(_carbontrack(env, stack.enter_context(_open(log_path))))
        load_at_start = os.getloadavg()[0]  # the machine is shared: say how busy it was
        before = _usage(server, moto)
        outcome = soak_load.run(Plan(server.port, clients, seconds), server_pid=server.pid)
        usage = _usage(server, moto).since(before)
        heading = (
            f"\n## Soak, {store} ({machine()}; 1-min load average {load_at_start:.1f} at start, "
            f"{os.getloadavg()[0]:.1f} at end)"
        )
        print(heading)
        passed = _print(outcome, seconds=seconds, clients=clients, usage=usage)
        if not passed:
            _print_server_errors(log_path)
        return passed


def _open(path: Path) -> IO[str]:
    return path.open("w+")


def _dynamodb_env(moto: Server) -> dict[str, str]:
    return {
        **FAKE_AWS,
        "CARBONTRACK_STORE": "dynamodb",
        "CARBONTRACK_DYNAMODB_ENDPOINT_URL": f"http://127.0.0.1:{moto.port}",
        "CARBONTRACK_DYNAMODB_TABLE_PREFIX": "soak-",
    }


def _create_tables(env: dict[str, str]) -> None:
    """`carbontrack db create-tables`: the tables and the factor catalogue, as an operator would."""
    command = [sys.executable, "-m", "carbontrack", "db", "create-tables"]
    done = subprocess.run(
        command, env={**os.environ, **env}, capture_output=True, text=True, timeout=300
    )
    if done.returncode != 0:
        raise RuntimeError(f"create-tables failed ({done.returncode}):\n{done.stdout}{done.stderr}")


def _carbontrack(env: dict[str, str], log: IO[str]) -> AbstractContextManager[Server]:
    port = free_port()
    command = [sys.executable, "-m", "carbontrack", "serve", "--port", str(port)]
    return serve_process(
        "carbontrack", command, port=port, env=env, ready_path="/api/health", log=log
    )


def _usage(server: Server, moto: Server | None) -> Usage:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return Usage(
        server=cpu_seconds(server.pid),
        moto=None if moto is None else cpu_seconds(moto.pid),
        bench=own.ru_utime + own.ru_stime,
    )


def _print(outcome: Outcome, *, seconds: float, clients: int, usage: Usage) -> bool:
    """The operations table, the errors, RSS and CPU; whether both targets passed."""
    samples = outcome.samples
    warmup_s = _warmup_s(samples, seconds=seconds, clients=clients)
    errors = sum(s.error is not None for s in samples)
    rate = len(samples) / seconds
    print(
        f"carbontrack serve (one process); {clients} clients closed-loop on keep-alive "
        f"connections + GET /api/health every {soak_load.PROBE_INTERVAL_S:g} s; {seconds:g} s, "
        f"of which {warmup_s:.0f} s warm-up; {len(samples)} requests ({rate:.0f}/s)"
    )
    print(table(TABLE_HEADERS, _rows(samples, warmup_s=warmup_s, end_s=seconds)))
    _print_errors(samples)
    rss_ok = _print_rss(outcome.rss, warmup_s=warmup_s, end_s=seconds)
    print(f"errors: {errors} (target 0): {verdict(errors == 0)}")
    moto = "" if usage.moto is None else f", moto {usage.moto:.1f} s"
    print(
        f"CPU seconds during the run: server {usage.server:.1f} s{moto}, the bench's clients "
        f"{usage.bench:.1f} s (of {seconds * (os.cpu_count() or 1):.0f} s on all cores)"
    )
    return rss_ok and errors == 0


def _warmup_s(samples: list[Sample], *, seconds: float, clients: int) -> float:
    """WARMUP_SHARE of the run, or longer: until every client has logged in once."""
    first_login: dict[int, float] = {}
    for s in samples:
        if s.operation == LOGIN and s.error is None:
            done_s = s.at_s + s.ms / 1000
            first_login[s.client] = min(done_s, first_login.get(s.client, done_s))
    storm_s = max(first_login.values()) if len(first_login) == clients else seconds
    return min(max(seconds * WARMUP_SHARE, storm_s), seconds * 0.5)


def _rows(samples: list[Sample], *, warmup_s: float, end_s: float) -> list[list[str]]:
    health = _pct([s.ms for s in samples if s.operation == HEALTH], 99)
    rows = []
    for operation in OPERATIONS:
        mine = [s for s in samples if s.operation == operation]
        if not mine:
            continue
        ms = [s.ms for s in mine]
        rows.append(
            [
                operation,
                str(len(mine)),
                str(sum(s.error is not None for s in mine)),
                f"{statistics.median(ms):.1f}",
                _figure(_pct(ms, 99), "{:.1f}"),
                _figure(_pct(ms, 99) / health, "{:.2f}x"),
                *(_figure(_drift(mine, q, warmup_s, end_s), "{:.2f}x") for q in (50, 99)),
            ]
        )
    return rows


def _drift(samples: list[Sample], q: int, warmup_s: float, end_s: float) -> float:
    """The q-th percentile in the run's last third over the first third after the warm-up."""
    third = (end_s - warmup_s) / 3
    first = _pct([s.ms for s in samples if warmup_s <= s.at_s < warmup_s + third], q)
    return _pct([s.ms for s in samples if s.at_s >= end_s - third], q) / first


def _figure(value: float, form: str) -> str:
    return "-" if math.isnan(value) else form.format(value)


def _pct(ms: list[float], q: int) -> float:
    """The q-th percentile; NaN for fewer than MIN_SAMPLES samples (too few to say)."""
    if len(ms) < MIN_SAMPLES:
        return math.nan
    return statistics.quantiles(ms, n=100, method="inclusive")[q - 1]


def _print_rss(rss: list[tuple[float, int]], *, warmup_s: float, end_s: float) -> bool:
    """RSS at start, after warm-up, at the end and after the load; whether growth < 10%."""
    third = (end_s - warmup_s) / 3
    warm = _floor(rss, warmup_s, warmup_s + third)
    end = _floor(rss, end_s - third, end_s)
    growth = (end - warm) / warm
    print(
        f"server RSS (process tree, MiB): start {_mib(rss[0][1])}, after warm-up {_mib(warm)}, "
        f"end {_mib(end)} (lowest sample of the first / last third after warm-up), after the "
        f"load {_mib(rss[-1][1])}, peak {_mib(max(kib for _, kib in rss))}; growth after "
        f"warm-up {growth:+.1%} (target < {MAX_RSS_GROWTH:.0%}): {verdict(growth < MAX_RSS_GROWTH)}"
    )
    tenth = end_s / 10
    floors = (_mib(_floor(rss, i * tenth, (i + 1) * tenth)) for i in range(10))
    print(f"  lowest RSS sample in each tenth of the run (MiB): {', '.join(floors)}")
    return growth < MAX_RSS_GROWTH


def _floor(rss: list[tuple[float, int]], since_s: float, until_s: float) -> int:
    """The lowest sample in a window: each log-in's Argon2id borrows 64 MiB for a moment."""
    return min((kib for at_s, kib in rss if since_s <= at_s < until_s), default=rss[-1][1])


def _mib(kib: int) -> str:
    return f"{kib / 1024:.1f}"


def _print_errors(samples: list[Sample]) -> None:
    kinds = Counter(f"{s.operation}: {s.error}" for s in samples if s.error is not None)
    for kind, count in kinds.most_common(10):
        print(f"  {count} x {kind[:300]}")


def _print_server_errors(log_path: Path) -> None:
    """The end of the server's first traceback: where and why a request failed."""
    lines = log_path.read_text(errors="replace").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("Traceback")]
    if not starts:
        return
    end = next(
        (i for i in range(starts[0] + 1, len(lines)) if lines[i] and not lines[i][0].isspace()),
        len(lines) - 1,
    )
    print(f"server log: {len(starts)} tracebacks; the end of the first one:")
    print("\n".join(lines[max(starts[0], end - 12) : end + 1]))
