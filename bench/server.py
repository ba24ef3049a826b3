"""Run a server (uvicorn, `carbontrack serve`, moto) in its own process on a free 127.0.0.1 port."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

HOST = "127.0.0.1"
REPO_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Server:
    """A running server's address."""

    name: str
    port: int
    pid: int


def free_port() -> int:
    """A port nothing listens on right now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def uvicorn_server(
    name: str, factory: str, *, env: Mapping[str, str], ready_path: str, workers: int = 1
) -> Iterator[Server]:
    """Start `uvicorn --factory` with `workers` processes on a free port, wait until it answers."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        factory,
        "--factory",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
        "--app-dir",
        str(REPO_ROOT),
    ]
    with (
        tempfile.TemporaryFile("w+") as log,
        serve_process(name, command, port=port, env=env, ready_path=ready_path, log=log) as server,
    ):
        yield server


@contextmanager
def serve_process(
    name: str,
    command: Sequence[str],
    *,
    port: int,
    env: Mapping[str, str],
    ready_path: str,
    log: IO[str],
) -> Iterator[Server]:
    """Run `command` (a server on `port`), wait until `ready_path` answers, stop it on exit."""
    proc = subprocess.Popen(command, env={**os.environ, **env}, stdout=log, stderr=log)
    try:
        _wait_ready(proc, port, ready_path, log)
        yield Server(name=name, port=port, pid=proc.pid)
    finally:
        stop(proc)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a server's process; kill it if it has not exited 10 s later."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _wait_ready(proc: subprocess.Popen[bytes], port: int, path: str, log: IO[str]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{_read(log)}")
        conn = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            conn.request("GET", path)
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
        finally:
            conn.close()
    raise RuntimeError(f"server did not answer within {START_TIMEOUT_S:.0f} s:\n{_read(log)}")


def _read(log: IO[str]) -> str:
    log.seek(0)
    return log.read()
