from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import httpx2 as httpx
import pytest
from typer.testing import CliRunner

from carbontrack import __version__
from carbontrack.cli import app
from carbontrack.domain.errors import AlreadyExists
from carbontrack.services import demo
from carbontrack.settings import get_settings
from carbontrack.store.dynamodb import codec
from carbontrack.store.sqlite import SqliteStore
from tests.backends import dynamodb_store
from tests.live import running_server
from tests.store.factories import make_entry, make_user

runner = CliRunner()


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CARBONTRACK_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_version() -> None:
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == __version__


def test_help_describes_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "demo", "factors", "version"):
        assert command in result.stdout


def test_factors_search(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["factors", "search", "national rail", "--db", str(tmp_path / "f.sqlite3")]
    )
    assert result.exit_code == 0, result.stdout
    assert "0.03694" in result.stdout
    bad = runner.invoke(
        app, ["factors", "search", "--category", "nope", "--db", str(tmp_path / "f.sqlite3")]
    )
    assert bad.exit_code == 2
    assert "unknown category" in bad.stdout


def test_demo_creates_a_year_once(tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    first = runner.invoke(app, ["demo", "--db", str(db)])
    assert first.exit_code == 0, first.stdout
    assert demo.DEMO_EMAIL in first.stdout
    assert demo.DEMO_PASSWORD in first.stdout
    second = runner.invoke(app, ["demo", "--db", str(db)])
    assert "already exists" in second.stdout
    store = SqliteStore(db)
    try:
        user = store.users.get_by_email(demo.DEMO_EMAIL)
        assert user is not None
        assert user.country == "GB"
        page = store.entries.list_for_user(user.user_id, limit=500)
        categories = {e.category for e in page.items}
        assert {"transport", "electricity", "heating", "flights", "waste", "water"} <= categories
        span = page.items[0].timestamp - page.items[-1].timestamp
        assert span.days > 180
    finally:
        store.close()


def test_demo_refuses_production(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CARBONTRACK_ENVIRONMENT", "production")
    monkeypatch.setenv("CARBONTRACK_JWT_SECRET", "x" * 40)
    get_settings.cache_clear()
    result = runner.invoke(app, ["demo", "--db", str(tmp_path / "p.sqlite3")])
    assert result.exit_code == 1
    assert not (tmp_path / "p.sqlite3").exists()


@pytest.mark.e2e
def test_serve_starts_a_real_server(tmp_path: Path) -> None:
    log_path = tmp_path / "server.log"
    with running_server(tmp_path / "var", log_path=log_path) as server:
        health = httpx.get(f"{server.url}/api/health", timeout=5)
        assert health.json()["status"] == "ok"
        assert httpx.get(f"{server.url}/docs", timeout=5).status_code == 200
        secret = tmp_path / "var" / "jwt-secret"
        assert secret.stat().st_mode & 0o777 == 0o600
    assert f"{server.url}/docs" in log_path.read_text()


def test_backup_export_and_restore_commands(tmp_path: Path) -> None:
    source, target, path = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3", tmp_path / "backup"
    assert runner.invoke(app, ["demo", "--db", str(source)]).exit_code == 0
    exported = runner.invoke(app, ["backup", "export", str(path), "--db", str(source)])
    assert exported.exit_code == 0, exported.stdout
    assert "'user': 1" in exported.stdout
    restored = runner.invoke(app, ["backup", "restore", str(path), "--db", str(target)])
    assert restored.exit_code == 0, restored.stdout
    again = runner.invoke(app, ["backup", "restore", str(path), "--db", str(target)])
    assert again.exit_code == 2
    assert "not empty" in again.stdout
    forced = runner.invoke(app, ["backup", "restore", str(path), "--force", "--db", str(target)])
    assert forced.exit_code == 0, forced.stdout
    (path / "records.jsonl").write_bytes(b"")
    broken = runner.invoke(app, ["backup", "restore", str(path), "--db", str(tmp_path / "c.db")])
    assert broken.exit_code == 2
    assert "checksum" in broken.stdout or "counts" in broken.stdout
    clash = runner.invoke(app, ["backup", "export", str(path), "--db", str(source)])
    assert clash.exit_code == 2


@pytest.mark.usefixtures("aws_moto")
def test_guard_entry_ids_backfills_a_dynamodb_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = dynamodb_store(tmp_path / "dynamodb")
    user = make_user()
    store.users.add(user)
    entry = make_entry(user_id=user.user_id)  # written as before id guards: the item alone
    store.client.put_item(TableName=store.prefix + "entries", Item=codec.entry_item(entry))
    monkeypatch.setenv("CARBONTRACK_STORE", "dynamodb")
    monkeypatch.setenv("CARBONTRACK_DYNAMODB_TABLE_PREFIX", store.prefix)
    get_settings.cache_clear()
    result = runner.invoke(app, ["db", "guard-entry-ids"])
    assert result.exit_code == 0, result.stdout
    assert "Entries guarded: 1" in result.stdout
    with pytest.raises(AlreadyExists):
        store.entries.add(replace(entry, timestamp=entry.timestamp + timedelta(hours=1)))
    store.close()


def test_guard_entry_ids_has_nothing_to_do_on_sqlite() -> None:
    result = runner.invoke(app, ["db", "guard-entry-ids"])
    assert result.exit_code == 0, result.stdout
    assert "nothing to do" in result.stdout
