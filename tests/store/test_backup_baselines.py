"""Baselines in backups (schema version 6), on every store backend; older backups still restore."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from carbontrack.domain.errors import InvalidBackup
from carbontrack.services import backup
from carbontrack.store.base import Store
from tests.backends import StoreFactory
from tests.store.factories import make_user
from tests.store.test_contract_baselines import make_baseline


def test_baselines_survive_a_backup_and_restore(
    store_factory: StoreFactory, tmp_path: Path
) -> None:
    source = store_factory(tmp_path / "source")
    target = store_factory(tmp_path / "target")
    try:
        with_one, without = make_user(), make_user()
        for user in (with_one, without):
            source.users.add(user)
        stored = source.baselines.put(make_baseline(with_one.user_id), expected_version=None)
        manifest = backup.export(store=source, path=tmp_path / "b")
        assert manifest["schemaVersion"] == 6
        assert manifest["counts"]["baseline"] == 1
        backup.restore(store=target, path=tmp_path / "b")
        assert target.baselines.get(with_one.user_id) == stored
        assert target.baselines.get(without.user_id) is None
    finally:
        source.close()
        target.close()


def _rewrite(path: Path, *, version: int, drop_baselines: bool) -> None:
    """Make the backup at `path` look as an older version wrote it."""
    lines = (path / "records.jsonl").read_bytes().splitlines(keepends=True)
    if drop_baselines:
        lines = [line for line in lines if not line.startswith(b'{"type":"baseline"')]
    records = b"".join(lines)
    (path / "records.jsonl").write_bytes(records)
    manifest = json.loads((path / "manifest.json").read_text())
    counts = {k: v for k, v in manifest["counts"].items() if k != "baseline" or not drop_baselines}
    manifest.update(schemaVersion=version, counts=counts)
    manifest["sha256"] = hashlib.sha256(records).hexdigest()
    (path / "manifest.json").write_text(json.dumps(manifest))


def test_a_version_5_backup_restores_without_baselines(store: Store, tmp_path: Path) -> None:
    source_user = make_user()
    store.users.add(source_user)
    store.baselines.put(make_baseline(source_user.user_id), expected_version=None)
    path = tmp_path / "b"
    backup.export(store=store, path=path)
    _rewrite(path, version=5, drop_baselines=True)
    store.users.delete(source_user.user_id)
    restored = backup.restore(store=store, path=path)
    assert restored["user"] == 1
    assert restored["baseline"] == 0
    assert store.users.get(source_user.user_id) is not None
    assert store.baselines.get(source_user.user_id) is None


def test_a_baseline_in_a_version_5_backup_is_refused(store: Store, tmp_path: Path) -> None:
    user = make_user()
    store.users.add(user)
    store.baselines.put(make_baseline(user.user_id), expected_version=None)
    path = tmp_path / "b"
    backup.export(store=store, path=path)
    _rewrite(path, version=5, drop_baselines=False)
    with pytest.raises(InvalidBackup, match="a baseline record in a version 5 backup"):
        backup.verify(path)
