"""Real servers for tests: `carbontrack serve` and a moto server, on 127.0.0.1 and free ports.

- `running_server` starts `carbontrack serve` in a subprocess with an empty data dir of its
  own and stops it afterwards (the browser tests, the CLI test, the race tests).
- `serialized_moto_server` starts the bench's moto server (bench/moto_serial.py says why it
  serves one request at a time): each call is atomic, as in DynamoDB, while clients still
  interleave freely *between* calls.
- `serve_on` runs `carbontrack serve` on SQLite, or on DynamoDB against a moto server of its
  own with the app's tables (the race tests).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import boto3
from bench.moto_serial import moto_server
from bench.server import free_port, stop

from carbontrack.store.dynamodb.tables import create_tables
from tests.backends import AWS_REGION, FAKE_AWS_ENV

SERVER_START_SECONDS = 90.0


@dataclass(frozen=True)
class LiveServer:
    """A running `carbontrack serve`: where it listens and the environment it was given."""

    url: str
    data_dir: Path
    env: dict[str, str]
    log_path: Path
    pid: int  # the `carbontrack serve` process (with --workers N, the workers' parent)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run another `carbontrack` command on this server's data (e.g. `demo`)."""
        return subprocess.run(
            [sys.executable, "-m", "carbontrack", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )


def server_env(data_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without any CARBONTRACK_* setting, plus a data dir of its own."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("CARBONTRACK_")}
    env["CARBONTRACK_DATA_DIR"] = str(data_dir)
    # One worker process unless a test asks for more: the suite starts many servers on 2 cores.
    env["CARBONTRACK_WORKERS"] = "1"
    env.update(extra or {})
    return env


@contextmanager
def running_server(
    data_dir: Path,
    *,
    log_path: Path,
    extra_env: dict[str, str] | None = None,
    serve_args: tuple[str, ...] = (),
) -> Iterator[LiveServer]:
    """Start `carbontrack serve` on 127.0.0.1 and a free port, its output to `log_path`."""
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = server_env(data_dir, extra_env)
    port = free_port()
    command = ["carbontrack", "serve", "--host", "127.0.0.1", "--port", str(port), *serve_args]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", *command],
            env=env,
            cwd=data_dir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_up(f"{url}/api/health", process, log_path)
            yield LiveServer(
                url=url, data_dir=data_dir, env=env, log_path=log_path, pid=process.pid
            )
        finally:
            stop(process)


@contextmanager
def serialized_moto_server() -> Iterator[str]:
    """moto's DynamoDB on a free loopback port, one request at a time; yields its URL."""
    with tempfile.TemporaryFile("w+") as log, moto_server(log) as moto:
        yield f"http://127.0.0.1:{moto.port}"


@contextmanager
def serve_on(
    backend: str, data_dir: Path, *, table_prefix: str, extra_env: dict[str, str]
) -> Iterator[LiveServer]:
    """`carbontrack serve` on "sqlite", or on "dynamodb" in a moto server with the app's tables."""
    with ExitStack() as stack:
        env = dict(extra_env)
        if backend == "dynamodb":
            url = stack.enter_context(serialized_moto_server())
            env |= _dynamodb_env(url, table_prefix)
        log_path = data_dir / "server.log"
        yield stack.enter_context(running_server(data_dir, log_path=log_path, extra_env=env))


def _dynamodb_env(url: str, table_prefix: str) -> dict[str, str]:
    """Create the app's tables in the moto server at `url`; the settings that point there."""
    client = boto3.client(
        "dynamodb",
        endpoint_url=url,
        region_name=AWS_REGION,
        aws_access_key_id=FAKE_AWS_ENV["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_AWS_ENV["AWS_SECRET_ACCESS_KEY"],
    )
    create_tables(client, table_prefix)
    return FAKE_AWS_ENV | {
        "CARBONTRACK_STORE": "dynamodb",
        "CARBONTRACK_DYNAMODB_ENDPOINT_URL": url,
        "CARBONTRACK_DYNAMODB_REGION": AWS_REGION,
        "CARBONTRACK_DYNAMODB_TABLE_PREFIX": table_prefix,
    }


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = log_path.read_text()
            raise RuntimeError(f"{url} exited early ({process.returncode}):\n{log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {SERVER_START_SECONDS} s:\n{log_path.read_text()}")
