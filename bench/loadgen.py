"""Closed-loop HTTP load: `wrk` when installed, else a small asyncio client (slower, in-process).

Every run stops by itself: after `duration_s`, or after `max_requests` responses,
whichever comes first.
"""

from __future__ import annotations

import asyncio
import math
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.server import HOST

WRK_INSTALL_HINT = "wrk is not installed; for real numbers install it: apt-get install -y wrk"
_RESULT_TAG = "BENCH-RESULT"

# Each wrk thread counts its responses and stops at its share of the request budget;
# done() prints the figures as one line so nothing depends on wrk's text layout.
_WRK_SCRIPT = """
wrk.method = "{method}"
{body}
{headers}
local budget = {budget}
local seen = 0
function response(status, headers, body)
  seen = seen + 1
  if seen >= budget then wrk.thread:stop() end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("{tag} %d %d %d %.3f %.3f\\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class Target:
    """One kind of request, repeated by every connection."""

    port: int
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}{self.path}"


@dataclass(frozen=True)
class Load:
    """How hard and how long to push."""

    connections: int = 32
    threads: int = 2
    duration_s: float = 10.0
    warmup_s: float = 2.0
    max_requests: int = 500_000


@dataclass(frozen=True)
class LoadResult:
    tool: str
    requests: int
    seconds: float
    errors: int  # socket errors, timeouts and non-2xx/3xx answers
    p50_ms: float
    p99_ms: float
    capped: bool  # stopped by the request budget, not the clock

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def pick_tool(preference: str) -> str:
    """`wrk` if wanted and installed, else `asyncio` (saying why)."""
    if preference == "asyncio":
        return "asyncio"
    if shutil.which("wrk"):
        return "wrk"
    if preference == "wrk":
        raise SystemExit(WRK_INSTALL_HINT)
    print(f"NOTE: {WRK_INSTALL_HINT}. Falling back to the asyncio client.")
    return "asyncio"


def measure(target: Target, load: Load, *, tool: str) -> LoadResult:
    """Warm up, then measure one target for `load.duration_s`."""
    run = _run_wrk if tool == "wrk" else _run_asyncio
    if load.warmup_s > 0:
        run(target, load, load.warmup_s)
    return run(target, load, load.duration_s)


def _run_wrk(target: Target, load: Load, duration_s: float) -> LoadResult:
    threads = min(load.threads, load.connections)  # wrk refuses more threads than connections
    budget = max(1, load.max_requests // threads)
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "bench.lua"
        script.write_text(_wrk_script(target, budget))
        command = [
            "wrk",
            f"--connections={load.connections}",
            f"--threads={threads}",
            f"--duration={max(1, round(duration_s))}s",
            "--timeout=10s",
            "--latency",
            f"--script={script}",
            target.url,
        ]
        out = subprocess.run(command, capture_output=True, text=True, timeout=duration_s + 60)
    if out.returncode != 0:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stderr or out.stdout}")
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith(_RESULT_TAG)), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result line:\n{out.stdout}\n{out.stderr}")
    requests, duration_us, errors, p50_us, p99_us = line.split()[1:]
    return LoadResult(
        tool="wrk",
        requests=int(requests),
        seconds=int(duration_us) / 1e6,
        errors=int(errors),
        p50_ms=float(p50_us) / 1000,
        p99_ms=float(p99_us) / 1000,
        capped=int(requests) >= budget * threads,
    )


def _wrk_script(target: Target, budget: int) -> str:
    body = "" if target.body is None else f"wrk.body = [==[{target.body.decode()}]==]"
    headers = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in target.headers.items())
    return _WRK_SCRIPT.format(
        method=target.method, body=body, headers=headers, budget=budget, tag=_RESULT_TAG
    )


def _run_asyncio(target: Target, load: Load, duration_s: float) -> LoadResult:
    return asyncio.run(asyncio.wait_for(_asyncio_load(target, load, duration_s), duration_s + 60))


async def _asyncio_load(target: Target, load: Load, duration_s: float) -> LoadResult:
    request = _raw_request(target)
    latencies: list[float] = []
    errors = 0
    remaining = load.max_requests
    deadline = time.monotonic() + duration_s

    async def connection() -> None:
        nonlocal errors, remaining
        reader, writer = await asyncio.open_connection(HOST, target.port)
        try:
            while remaining > 0 and time.monotonic() < deadline:
                remaining -= 1
                started = time.perf_counter()
                writer.write(request)
                status = await _read_response(reader)
                latencies.append(time.perf_counter() - started)
                errors += not 200 <= status < 400
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(load.connections)))
    seconds = time.perf_counter() - started
    latencies.sort()
    return LoadResult(
        tool="asyncio",
        requests=len(latencies),
        seconds=seconds,
        errors=errors,
        p50_ms=_percentile(latencies, 0.50) * 1000,
        p99_ms=_percentile(latencies, 0.99) * 1000,
        capped=remaining <= 0,
    )


def _raw_request(target: Target) -> bytes:
    body = target.body or b""
    lines = [f"{target.method} {target.path} HTTP/1.1", f"Host: {HOST}:{target.port}"]
    lines += [f"{k}: {v}" for k, v in target.headers.items()]
    if target.body is not None:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    length = next(
        (int(h.split(":", 1)[1]) for h in head[1:] if h.lower().startswith("content-length:")),
        None,
    )
    if length is None:
        raise RuntimeError("the asyncio client needs responses with Content-Length")
    await reader.readexactly(length)
    return status


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return math.nan
    return sorted_values[min(len(sorted_values) - 1, math.ceil(q * len(sorted_values)) - 1)]
