from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from carbontrack.settings import Settings


def test_development_generates_and_keeps_a_private_secret(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = settings.signing_key()
    assert len(first) >= 32
    assert (tmp_path / "jwt-secret").stat().st_mode & 0o777 == 0o600
    assert Settings(data_dir=tmp_path).signing_key() == first


def test_production_refuses_a_missing_or_short_secret(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="at least 32 bytes"):
        Settings(environment="production", data_dir=tmp_path)
    with pytest.raises(ValidationError, match="at least 32 bytes"):
        Settings(environment="production", jwt_secret="too-short", data_dir=tmp_path)  # type: ignore[arg-type]
    ok = Settings(environment="production", jwt_secret="k" * 32, data_dir=tmp_path)  # type: ignore[arg-type]
    assert ok.signing_key() == "k" * 32
    assert not (tmp_path / "jwt-secret").exists()


def test_a_key_in_secrets_manager_must_be_read_before_signing(tmp_path: Path) -> None:
    """Production may name the key's secret instead; the Lambda handler reads it in."""
    arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:carbontrack-jwt-AbCdEf"
    settings = Settings(environment="production", jwt_secret_arn=arn, data_dir=tmp_path)
    with pytest.raises(RuntimeError, match="Secrets Manager"):
        settings.signing_key()
    assert not (tmp_path / "jwt-secret").exists()


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CARBONTRACK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CARBONTRACK_ACCESS_TOKEN_MINUTES", "5")
    settings = Settings()
    assert settings.access_token_minutes == 5
    assert settings.database_path == tmp_path / "carbontrack.sqlite3"
    assert "k" * 40 not in repr(Settings(jwt_secret="k" * 40))  # type: ignore[arg-type]


def test_app_parts_come_comma_separated_and_default_to_all(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert Settings().app_parts == {"api", "web", "explorer"}
    monkeypatch.setenv("CARBONTRACK_APP_PARTS", " web, explorer ")
    assert Settings().app_parts == {"web", "explorer"}
    for wrong in ("api,pages", " , "):
        monkeypatch.setenv("CARBONTRACK_APP_PARTS", wrong)
        with pytest.raises(ValidationError, match="app_parts"):
            Settings()
