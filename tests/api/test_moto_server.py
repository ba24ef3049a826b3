"""The endpoint-URL path end to end: a real `moto_server` on 127.0.0.1, the CLI, the API."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from carbontrack.cli import app as cli
from carbontrack.settings import get_settings
from carbontrack.store.dynamodb.tables import TABLES
from tests.api.factor_ids import PETROL_CAR
from tests.api.helpers import app_client
from tests.backends import FAKE_AWS_ENV

MOTO_SERVER = Path(sys.executable).parent / "moto_server"


@pytest.fixture(scope="module")
def moto_url() -> Iterator[str]:
    """A stock moto_server on a free loopback port, stopped after this module."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/moto-api/", timeout=1):  # noqa: S310
                    break
            except OSError:
                assert server.poll() is None, "moto_server exited"
                assert time.monotonic() < deadline, "moto_server did not start in 30 s"
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def dynamodb_env(moto_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name, value in FAKE_AWS_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CARBONTRACK_STORE", "dynamodb")
    monkeypatch.setenv("DYNAMODB_ENDPOINT_URL", moto_url)  # the unprefixed name is honoured too
    monkeypatch.setenv("CARBONTRACK_DYNAMODB_TABLE_PREFIX", f"e2e{tmp_path.name[-8:]}-")
    monkeypatch.setenv("CARBONTRACK_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.e2e
@pytest.mark.usefixtures("dynamodb_env")
def test_create_tables_then_serve_through_the_endpoint_url(tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(cli, ["db", "create-tables"])
    assert first.exit_code == 0, first.stdout
    assert first.stdout.count("created") == len(TABLES)
    assert "defra-ghg-cf-2020" in first.stdout
    again = runner.invoke(cli, ["db", "create-tables"])
    assert again.stdout.count("exists") == len(TABLES)
    assert "all up to date" in again.stdout

    settings = get_settings()
    assert settings.dynamodb_endpoint_url is not None
    with app_client(settings) as client:
        assert client.get("/api/health").json()["store"] == "dynamodb"
        account = {"email": "moto@example.org", "password": "long enough", "name": "M"}
        assert client.post("/api/register", json=account).status_code == 201
        login = {"email": account["email"], "password": account["password"]}
        token = client.post("/api/login", json=login).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        body = {"factorId": PETROL_CAR, "quantity": 10, "unit": "km"}
        created = client.post("/api/entries", json=body, headers=headers)
        assert created.status_code == 201
        listed = client.get("/api/entries", headers=headers).json()["items"]
        assert [e["entryId"] for e in listed] == [created.json()["entryId"]]

    exported = runner.invoke(cli, ["backup", "export", str(tmp_path / "backup")])
    assert exported.exit_code == 0, exported.stdout
    assert "'user': 1, 'entry': 1" in exported.stdout
