"""Backup and restore through the service, on every store backend."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from carbontrack.domain.errors import InvalidBackup, NotFound
from carbontrack.domain.models import Team
from carbontrack.domain.teams import goal_owner_id
from carbontrack.services import backup
from carbontrack.store.base import Store
from tests.backends import STORE_FACTORIES, StoreFactory
from tests.store.factories import (
    T0,
    make_award,
    make_commitment,
    make_entry,
    make_factor_used,
    make_goal,
    make_membership,
    make_team,
    make_user,
)

DAY = timedelta(days=1)


def seed(store: Store, *, users: int = 3, entries_each: int = 4) -> None:
    for _ in range(users):
        user = make_user()
        store.users.add(user)
        for n in range(entries_each):
            store.entries.add(
                make_entry(user_id=user.user_id, timestamp=T0 + timedelta(hours=n), note=f"n{n}")
            )


def seed_social(store: Store) -> Team:
    """A team of the first two users (by id) with a team goal, and each user's own goals,
    awards and action commitments."""
    users = sorted(store.users.scan_all(), key=lambda u: u.user_id)
    team = make_team()
    owner, member = users[0], users[1]
    store.teams.create(team, make_membership(team_id=team.team_id, user_id=owner.user_id))
    store.teams.add_member(
        make_membership(team_id=team.team_id, user_id=member.user_id, joined_at=T0 + DAY)
    )
    store.goals.add(make_goal(owner_id=goal_owner_id(team.team_id), team_scope="per_member"))
    for user in users:
        store.goals.add(make_goal(owner_id=user.user_id, achieved_at=T0 + DAY))
        store.achievements.award(make_award(user_id=user.user_id))
        store.achievements.award(make_award(user_id=user.user_id, achievement_id="streak-7"))
        store.actions.put(make_commitment(user_id=user.user_id, completed_at=T0 + DAY))
    return team


def everything(store: Store) -> list[object]:
    users = sorted(store.users.scan_all(), key=lambda u: u.user_id)
    entries = [e for u in users for e in store.entries.list_for_user(u.user_id, limit=500).items]
    memberships = [m for u in users for m in store.teams.teams_of(u.user_id)]
    teams = [store.teams.get(t) for t in sorted({m.team_id for m in memberships})]
    owners = [u.user_id for u in users] + [goal_owner_id(t.team_id) for t in teams if t]
    goals = [g for owner in owners for g in store.goals.list_for_owner(owner)]
    awards = [a for u in users for a in store.achievements.list_for_user(u.user_id)]
    actions = [c for u in users for c in store.actions.list_for_user(u.user_id)]
    tallies = [store.rollups.tally(u.user_id, ["2026-03"]) for u in users]
    return [*users, *entries, *teams, *memberships, *goals, *awards, *actions, *tallies]


def counts(**nonzero: int) -> dict[str, int]:
    return {**dict.fromkeys(backup.RECORD_TYPES, 0), **nonzero}


def test_export_writes_records_and_a_manifest(store: Store, tmp_path: Path) -> None:
    seed(store)
    manifest = backup.export(store=store, path=tmp_path / "b")
    assert manifest["counts"] == counts(user=3, entry=12)
    assert manifest["schemaVersion"] == backup.SCHEMA_VERSION
    lines = (tmp_path / "b" / "records.jsonl").read_bytes().splitlines()
    assert len(lines) == 15
    assert [json.loads(line)["type"] for line in lines] == ["user"] * 3 + ["entry"] * 12
    assert (tmp_path / "b" / "records.jsonl").stat().st_mode & 0o777 == 0o600
    assert backup.verify(tmp_path / "b") == manifest
    with pytest.raises(InvalidBackup, match="already holds a backup"):
        backup.export(store=store, path=tmp_path / "b")


def test_restore_into_an_empty_store_gives_the_same_records(
    store_factory: StoreFactory, tmp_path: Path
) -> None:
    source = store_factory(tmp_path / "source")
    target = store_factory(tmp_path / "target")
    try:
        seed(source)
        backup.export(store=source, path=tmp_path / "b")
        seen: list[int] = []
        restored = backup.restore(store=target, path=tmp_path / "b", progress=seen.append)
        assert restored == counts(user=3, entry=12)
        assert sum(seen) == 15
        assert everything(target) == everything(source)
    finally:
        source.close()
        target.close()


def test_restore_refuses_a_non_empty_store_unless_forced(store: Store, tmp_path: Path) -> None:
    seed(store, users=1, entries_each=2)
    backup.export(store=store, path=tmp_path / "b")
    with pytest.raises(InvalidBackup, match="not empty"):
        backup.restore(store=store, path=tmp_path / "b")
    # Forcing over the same data changes nothing: restore writes are idempotent.
    before = everything(store)
    backup.restore(store=store, path=tmp_path / "b", force=True)
    assert everything(store) == before


def _tamper(path: Path, transform: object) -> None:
    records = path / "records.jsonl"
    records.write_bytes(transform(records.read_bytes()))  # type: ignore[operator]


@pytest.mark.parametrize(
    ("transform", "message"),
    [
        (lambda data: data[:-40], "truncated"),
        (lambda data: data.replace(b'"quantity":12.5', b'"quantity":13.5', 1), "checksum"),
        (lambda data: data + b'{"type":"goal","data":{}}\n', "goal"),
        (lambda data: data.replace(b'"quantity":12.5', b'"quantity":"12.5"', 1), "quantity"),
        (lambda data: b"{not json\n" + data, "line 1"),
        (lambda data: data.split(b"\n", 1)[1], "not in the backup|checksum"),
    ],
)
def test_corrupt_backups_are_refused_before_anything_is_written(
    store_factory: StoreFactory, tmp_path: Path, transform: object, message: str
) -> None:
    source = store_factory(tmp_path / "source")
    target = store_factory(tmp_path / "target")
    try:
        seed(source, users=1, entries_each=3)
        backup.export(store=source, path=tmp_path / "b")
        _tamper(tmp_path / "b", transform)
        with pytest.raises(InvalidBackup, match=message):
            backup.restore(store=target, path=tmp_path / "b")
        assert everything(target) == []
    finally:
        source.close()
        target.close()


def test_manifest_problems_are_refused(store: Store, tmp_path: Path) -> None:
    seed(store, users=1, entries_each=1)
    path = tmp_path / "b"
    backup.export(store=store, path=path)
    manifest = json.loads((path / "manifest.json").read_text())

    def write(**changes: object) -> None:
        (path / "manifest.json").write_text(json.dumps({**manifest, **changes}))

    write(schemaVersion=backup.SCHEMA_VERSION + 1)
    with pytest.raises(InvalidBackup, match="upgrade CarbonTrack"):
        backup.verify(path)
    write(counts={"user": 1, "entry": 2})
    with pytest.raises(InvalidBackup, match="counts"):
        backup.verify(path)
    write(counts={"user": 1, "entry": 1, "spaceship": 1})
    with pytest.raises(InvalidBackup, match="unknown record types"):
        backup.verify(path)
    write(format="something-else")
    with pytest.raises(InvalidBackup, match="not a CarbonTrack backup"):
        backup.verify(path)
    (path / "manifest.json").write_text("{")
    with pytest.raises(InvalidBackup, match="not valid JSON"):
        backup.verify(path)
    with pytest.raises(InvalidBackup, match=r"no manifest\.json"):
        backup.verify(tmp_path / "nowhere")


def test_a_restore_that_fails_half_way_says_so_and_can_be_finished(
    store_factory: StoreFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = store_factory(tmp_path / "source")
    target = store_factory(tmp_path / "target")
    try:
        seed(source, users=2, entries_each=3)
        backup.export(store=source, path=tmp_path / "b")
        monkeypatch.setattr(backup, "BATCH", 2)
        original = target.entries.put_many
        calls = {"n": 0}

        def flaky(entries):  # type: ignore[no-untyped-def]
            calls["n"] += 1
            if calls["n"] == 2:
                raise NotFound("simulated outage")
            original(entries)

        monkeypatch.setattr(target.entries, "put_many", flaky)
        with pytest.raises(backup.RestoreIncomplete, match="--force") as failed:
            backup.restore(store=target, path=tmp_path / "b")
        assert 0 < failed.value.written < failed.value.total == 8
        monkeypatch.setattr(target.entries, "put_many", original)
        backup.restore(store=target, path=tmp_path / "b", force=True)
        assert everything(target) == everything(source)
    finally:
        source.close()
        target.close()


def test_users_keep_their_password_hash_and_token_version(store: Store, tmp_path: Path) -> None:
    user = replace(make_user(), token_version=4, password_hash="$argon2id$v=19$x")
    store.users.add(user)
    backup.export(store=store, path=tmp_path / "b")
    line = (tmp_path / "b" / "records.jsonl").read_bytes().splitlines()[0]
    assert backup.decode_record(line, number=1) == ("user", user)


@pytest.mark.usefixtures("aws_moto")
def test_sqlite_to_dynamodb_and_back_gives_byte_identical_records(tmp_path: Path) -> None:
    sqlite = STORE_FACTORIES["sqlite"](tmp_path / "sqlite")
    dynamodb = STORE_FACTORIES["dynamodb"](tmp_path / "dynamodb")
    try:
        seed(sqlite, users=4, entries_each=30)
        seed_social(sqlite)
        user = next(iter(sqlite.users.scan_all()))
        sqlite.entries.add(  # awkward values: a non-ASCII note, a tiny float, a resolution
            make_entry(
                user_id=user.user_id,
                note='Zürich → 東京 "quoted"',
                co2e_kg=1e-9,
                factor=make_factor_used(resolution=("country XK: no value", "World")),
            )
        )
        backup.export(store=sqlite, path=tmp_path / "from-sqlite")
        backup.restore(store=dynamodb, path=tmp_path / "from-sqlite")
        backup.export(store=dynamodb, path=tmp_path / "from-dynamodb")
        records = [
            (tmp_path / d / "records.jsonl").read_bytes() for d in ("from-sqlite", "from-dynamodb")
        ]
        assert records[0] == records[1]
        # users, entries, a team, 2 members, 4 + 1 goals, 4 x 2 awards, 4 actions
        assert records[0].count(b"\n") == 4 + 4 * 30 + 1 + 1 + 2 + 5 + 8 + 4
    finally:
        sqlite.close()
        dynamodb.close()


def test_a_restore_rebuilds_each_users_totals(store_factory: StoreFactory, tmp_path: Path) -> None:
    source = store_factory(tmp_path / "source")
    target = store_factory(tmp_path / "target")
    try:
        seed(source, users=2, entries_each=3)
        backup.export(store=source, path=tmp_path / "b")
        backup.restore(store=target, path=tmp_path / "b")
        for user in source.users.scan_all():
            assert target.rollups.entry_count(user.user_id) == 3
            restored = target.rollups.month_totals(user.user_id, ["2026-03"])
            assert restored == source.rollups.month_totals(user.user_id, ["2026-03"])
            assert restored[0].entries_by_day == {1: 3}
    finally:
        source.close()
        target.close()


def test_a_version_1_backup_gives_entries_their_utc_day(store: Store, tmp_path: Path) -> None:
    """Entries had no `day` before schema version 2: their UTC date is the one known."""
    user = make_user(time_zone="America/New_York")
    store.users.add(user)
    # 02:30 UTC on 2 March is 21:30 on 1 March in New York: the day a new entry would get.
    late = make_entry(user_id=user.user_id, timestamp=datetime(2026, 3, 2, 2, 30, tzinfo=UTC))
    store.entries.add(replace(late, day=date(2026, 3, 1)))
    path = tmp_path / "b"
    backup.export(store=store, path=path)
    lines = (path / "records.jsonl").read_bytes().splitlines(keepends=True)
    old = [line.replace(b'"day":"2026-03-01",', b"") for line in lines]
    assert old != lines
    (path / "records.jsonl").write_bytes(b"".join(old))
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["schemaVersion"] = 1
    manifest["sha256"] = hashlib.sha256(b"".join(old)).hexdigest()
    (path / "manifest.json").write_text(json.dumps(manifest))
    store.users.delete(user.user_id)

    backup.restore(store=store, path=path)
    restored = store.entries.get(user.user_id, late.entry_id)
    assert restored is not None
    assert restored.day == date(2026, 3, 2)
    assert store.rollups.entry_count(user.user_id) == 1
    (march,) = store.rollups.month_totals(user.user_id, ["2026-03"])
    assert march.entries_by_day == {2: 1}


def test_teams_goals_awards_and_actions_survive_a_backup_and_restore(
    store_factory: StoreFactory, tmp_path: Path
) -> None:
    source = store_factory(tmp_path / "source")
    target = store_factory(tmp_path / "target")
    try:
        seed(source, users=3, entries_each=2)
        team = seed_social(source)
        manifest = backup.export(store=source, path=tmp_path / "b")
        assert manifest["counts"] == counts(
            user=3, entry=6, team=1, membership=2, goal=4, award=6, action=3
        )
        backup.restore(store=target, path=tmp_path / "b")
        assert everything(target) == everything(source)
        assert target.teams.get(team.team_id) == team
        # The award ids kept with the totals came back: the next awarding reads them.
        owner = min(source.users.scan_all(), key=lambda u: u.user_id)
        assert target.rollups.tally(owner.user_id, []).awarded == {"first-entry", "streak-7"}
    finally:
        source.close()
        target.close()


def test_a_record_before_what_it_refers_to_is_refused(store: Store, tmp_path: Path) -> None:
    seed(store, users=2, entries_each=1)
    seed_social(store)
    path = tmp_path / "b"
    backup.export(store=store, path=path)
    lines = (path / "records.jsonl").read_bytes().splitlines(keepends=True)
    team = next(n for n, line in enumerate(lines) if line.startswith(b'{"type":"team"'))
    moved = [*lines[:team], *lines[team + 1 :], lines[team]]  # the team after its members
    (path / "records.jsonl").write_bytes(b"".join(moved))
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["sha256"] = hashlib.sha256(b"".join(moved)).hexdigest()
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(InvalidBackup, match=r"membership of team .* not in the backup before it"):
        backup.verify(path)


def test_a_version_2_backup_may_hold_only_users_and_entries(store: Store, tmp_path: Path) -> None:
    seed(store, users=2, entries_each=1)
    seed_social(store)
    path = tmp_path / "b"
    backup.export(store=store, path=path)
    manifest = json.loads((path / "manifest.json").read_text())
    (path / "manifest.json").write_text(json.dumps({**manifest, "schemaVersion": 2}))
    with pytest.raises(InvalidBackup, match="a team record in a version 2 backup"):
        backup.verify(path)


@pytest.mark.parametrize("kind", ["entry", "goal"])
def test_a_record_from_before_versions_reads_as_version_0(kind: str) -> None:
    record = make_entry(version=7) if kind == "entry" else make_goal(version=7)
    line = json.loads(backup.encode_record(kind, record))
    assert line["data"].pop("version") == 7
    _, decoded = backup.decode_record(json.dumps(line).encode(), number=1)
    assert decoded == replace(record, version=0)


def test_period_entries_survive_a_backup_and_old_backups_have_none(
    store_factory: StoreFactory, tmp_path: Path
) -> None:
    source = store_factory(tmp_path / "source")
    target = store_factory(tmp_path / "target")
    try:
        user = make_user()
        source.users.add(user)
        # 62 kg over March and April 2026 (61 days), logged on 1 March.
        bill = make_entry(
            user_id=user.user_id,
            timestamp=T0,  # the factory's default moves a minute per entry made in the process
            co2e_kg=61.0,
            period_start=date(2026, 3, 1),
            period_end=date(2026, 4, 30),
        )
        source.entries.add(bill)
        backup.export(store=source, path=tmp_path / "b")
        backup.restore(store=target, path=tmp_path / "b")
        assert target.entries.get(user.user_id, bill.entry_id) == bill
        months = ["2026-03", "2026-04"]
        restored = target.rollups.month_totals(user.user_id, months)
        assert [len(month.co2e_kg_by_day) for month in restored] == [31, 30]
        # 61 kg over 61 days: 1 kg on each of them.
        assert restored[1].co2e_kg_by_day[30] == {"transport": pytest.approx(1.0)}
        assert restored[0].entries_by_day == {1: 1}
    finally:
        source.close()
        target.close()


def test_a_version_3_backup_restores_entries_without_a_period(store: Store, tmp_path: Path) -> None:
    user = make_user()
    store.users.add(user)
    entry = make_entry(user_id=user.user_id)
    store.entries.add(entry)
    path = tmp_path / "b"
    backup.export(store=store, path=path)
    lines = (path / "records.jsonl").read_bytes()
    old = lines.replace(b',"period_start":null,"period_end":null', b"")
    assert old != lines
    (path / "records.jsonl").write_bytes(old)
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["schemaVersion"] = 3
    manifest["sha256"] = hashlib.sha256(old).hexdigest()
    (path / "manifest.json").write_text(json.dumps(manifest))
    store.users.delete(user.user_id)
    backup.restore(store=store, path=path)
    assert store.entries.get(user.user_id, entry.entry_id) == entry
    assert store.rollups.entry_count(user.user_id) == 1
