"""`backup_handler` invoked with EventBridge's scheduled event, writing to S3 in moto."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import date
from pathlib import Path

import boto3
import pytest

from carbontrack import lambda_handler
from carbontrack.services import backup
from carbontrack.store.sqlite import SqliteStore
from tests.api.factor_ids import PETROL_CAR
from tests.backends import AWS_REGION

from .events import LambdaContext, rest_event, scheduled_event
from .helpers import Invoke, sign_in


def test_the_backup_lands_in_s3_under_the_scheduled_day(
    invoke: Invoke, deployment: dict[str, str], tmp_path: Path, aws_calls: Counter[str]
) -> None:
    auth = sign_in(invoke, "backup@example.org")
    created = invoke(
        rest_event(
            "POST",
            "/api/entries",
            json_body={"factorId": PETROL_CAR, "quantity": 12.5, "unit": "km"},
            headers=auth,
        )
    )
    assert created["statusCode"] == 201

    result = lambda_handler.backup_handler(
        scheduled_event("2026-11-22T02:00:00Z"), LambdaContext(function_name="carbontrack-backup")
    )

    bucket = deployment["CARBONTRACK_BACKUP_BUCKET"]
    assert result["bucket"] == bucket
    assert result["prefix"] == "backups/2026-11-22/"
    assert result["counts"]["user"] == 1
    assert result["counts"]["entry"] == 1
    s3 = boto3.client("s3", region_name=AWS_REGION)
    listed = s3.list_objects_v2(Bucket=bucket, Prefix="backups/")
    assert sorted(o["Key"] for o in listed["Contents"]) == [
        "backups/2026-11-22/manifest.json",
        "backups/2026-11-22/records.jsonl",
    ]
    assert aws_calls["GetSecretValue"] == 1  # the API's; the backup reads no secret

    # What landed is a complete backup: it verifies and restores into another store.
    downloaded = tmp_path / "downloaded"
    downloaded.mkdir()
    for name in (backup.RECORDS_FILE, backup.MANIFEST_FILE):
        s3.download_file(bucket, f"backups/2026-11-22/{name}", str(downloaded / name))
    records = (downloaded / backup.RECORDS_FILE).read_bytes()
    assert hashlib.sha256(records).hexdigest() == result["sha256"]
    assert backup.verify(downloaded)["counts"] == result["counts"]
    target = SqliteStore(tmp_path / "restored.sqlite3")
    try:
        backup.restore(store=target, path=downloaded)
        restored = target.users.get_by_email("backup@example.org")
        assert restored is not None
        page = target.entries.list_for_user(restored.user_id, limit=10)
        assert [e.entry_id for e in page.items] == [json.loads(created["body"])["entryId"]]
    finally:
        target.close()


def test_the_backup_needs_its_bucket(
    deployment: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CARBONTRACK_BACKUP_BUCKET")
    with pytest.raises(RuntimeError, match="CARBONTRACK_BACKUP_BUCKET"):
        lambda_handler.backup_handler(scheduled_event("2026-11-22T02:00:00Z"), LambdaContext())


def test_the_scheduled_day_is_the_events_utc_day() -> None:
    assert lambda_handler.scheduled_day({"time": "2026-11-22T02:00:00Z"}) == date(2026, 11, 22)
    assert lambda_handler.scheduled_day({"time": "2026-11-22T00:30:00+01:00"}) == date(2026, 11, 21)
