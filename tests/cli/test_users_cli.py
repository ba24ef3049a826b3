"""`carbontrack users grant-operator EMAIL [--revoke]` changes the role of one user only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from carbontrack.cli import app
from carbontrack.settings import get_settings
from carbontrack.store.sqlite import SqliteStore
from tests.store.factories import make_user

runner = CliRunner()


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CARBONTRACK_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_grant_and_revoke_the_operator_role(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    store = SqliteStore(db)
    ada, bob = make_user(email="ada@example.com"), make_user()
    store.users.add(ada)
    store.users.add(bob)
    try:
        granted = runner.invoke(
            app, ["users", "grant-operator", " ADA@example.com", "--db", str(db)]
        )
        assert granted.exit_code == 0, granted.output
        assert "ada@example.com is now an operator" in granted.stdout
        assert store.users.get(ada.user_id) == replace(ada, operator=True)
        assert store.users.get(bob.user_id) == bob
        revoked = runner.invoke(
            app, ["users", "grant-operator", "ada@example.com", "--revoke", "--db", str(db)]
        )
        assert revoked.exit_code == 0, revoked.output
        assert "no longer an operator" in revoked.stdout
        assert store.users.get(ada.user_id) == ada
    finally:
        store.close()


def test_an_unknown_email_exits_2(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    result = runner.invoke(app, ["users", "grant-operator", "nobody@example.com", "--db", str(db)])
    assert result.exit_code == 2
    assert "no user has that email" in result.stdout
