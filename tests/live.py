"""Real servers for tests: `carbontrack serve` and a moto server, on 127.0.0.1 and free ports.

- `running_server` starts `carbontrack serve` in a subprocess with an empty data dir of its
  own and stops it afterwards (the browser tests, the CLI test, the race tests).
- `serialized_moto_server` starts moto's DynamoDB app served one request at a time. moto's
  backend takes no locks, and the stock threaded `moto_server` can interleave two
  TransactWriteItems inside moto: a cancelled one restores a copy of the table taken before
  the other committed, which breaks conditions DynamoDB itself never breaks (it serialises
  conditional writes on an item). One request at a time makes each call atomic, as in
  DynamoDB, while clients still interleave freely *between* calls.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SERVER_START_SECONDS = 90.0
MOTO_START_SECONDS = 15.0
# moto's own app (what `moto_server` runs), with threaded=False: one request at a time.
_SERVE_MOTO = """
import sys
from moto.server import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import run_simple
app = DomainDispatcherApplication(create_backend_app)
run_simple("127.0.0.1", int(sys.argv[1]), app, threaded=False, request_handler=MotoRequestHandler)
"""


@dataclass(frozen=True)
class LiveServer:
    """A running `carbontrack serve`: where it listens and the environment it was given."""

    url: str
    data_dir: Path
    env: dict[str, str]
    log_path: Path

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


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(data_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without any CARBONTRACK_* setting, plus a data dir of its own."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("CARBONTRACK_")}
    env["CARBONTRACK_DATA_DIR"] = str(data_dir)
    env.update(extra or {})
    return env


@contextmanager
def running_server(
    data_dir: Path, *, log_path: Path, extra_env: dict[str, str] | None = None
) -> Iterator[LiveServer]:
    """Start `carbontrack serve` on 127.0.0.1 and a free port, its output to `log_path`."""
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = server_env(data_dir, extra_env)
    port = free_port()
    command = ["carbontrack", "serve", "--host", "127.0.0.1", "--port", str(port)]
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
            _wait_until_up(f"{url}/api/health", process, SERVER_START_SECONDS, log_path)
            yield LiveServer(url=url, data_dir=data_dir, env=env, log_path=log_path)
        finally:
            _stop(process)


@contextmanager
def serialized_moto_server() -> Iterator[str]:
    """moto's DynamoDB on a free loopback port, one request at a time; yields its URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", _SERVE_MOTO, str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{url}/moto-api/", process, MOTO_START_SECONDS)
        yield url
    finally:
        _stop(process)


def _wait_until_up(
    url: str, process: subprocess.Popen[bytes], seconds: float, log_path: Path | None = None
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early ({process.returncode}):\n{_log(log_path)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {seconds} s:\n{_log(log_path)}")


def _log(log_path: Path | None) -> str:
    return "" if log_path is None else log_path.read_text()


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)
