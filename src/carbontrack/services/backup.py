"""Backend-neutral backup and restore: JSON Lines of typed records plus a manifest.

A backup is a directory with `records.jsonl` (one record a line, in this order: users, each
user's entries newest first, teams, memberships, goals (of users and of teams), awards,
action commitments, baselines) and `manifest.json` (format, schema version, counts per type, SHA-256
of the records file). Every record comes after the records it refers to. Output is
canonical (sorted keys, fixed order), so the same data backed up from SQLite or DynamoDB
gives byte-identical files. Teams are found through their members, so the users' listing is
the only scan a backup makes.

Restore checks everything before it writes anything: manifest, checksum, every line, every
record type and the counts. Records are then written in batches with upserts, so a restore
that stops half way can be finished by running it again with `force=True`. Per-user totals
are not in the backup: the restore recomputes them (and the award ids kept with them) at
the end.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter, ValidationError

from carbontrack import __version__
from carbontrack.domain.baseline_model import Baseline
from carbontrack.domain.errors import DomainError, InvalidBackup
from carbontrack.domain.models import (
    ActionCommitment,
    Award,
    Entry,
    Goal,
    Membership,
    Team,
    User,
)
from carbontrack.domain.teams import TEAM_GOAL_PREFIX, goal_owner_id
from carbontrack.store.base import Store

FORMAT = "carbontrack-backup"
# 2: entries carry `day`. Version 1 is still read: its entries get their UTC date.
# 3: teams, memberships, goals, awards and action commitments. Versions 1-2 have none.
# 4: entries may carry `period_start` and `period_end` (a bill over a period); entries of
#    versions 1-3 have no period. Version 3 software refuses a version 4 backup rather than
#    restore bills onto one day.
# 5: users carry `operator` (issue 14); users of versions 1-4 read as not operators.
# 6: baselines (issue 15: the questionnaire's estimate); versions 1-5 have none.
SCHEMA_VERSION = 6
RECORDS_FILE = "records.jsonl"
MANIFEST_FILE = "manifest.json"
RECORD_TYPES = ("user", "entry", "team", "membership", "goal", "award", "action", "baseline")
BATCH = 500
PAGE = 500

Progress = Callable[[int], None]


Record = User | Entry | Team | Membership | Goal | Award | ActionCommitment | Baseline


@dataclass(frozen=True, slots=True)
class _UserRecord:
    type: Literal["user"]
    data: User


@dataclass(frozen=True, slots=True)
class _EntryRecord:
    type: Literal["entry"]
    data: Entry


@dataclass(frozen=True, slots=True)
class _TeamRecord:
    type: Literal["team"]
    data: Team


@dataclass(frozen=True, slots=True)
class _MembershipRecord:
    type: Literal["membership"]
    data: Membership


@dataclass(frozen=True, slots=True)
class _GoalRecord:
    type: Literal["goal"]
    data: Goal


@dataclass(frozen=True, slots=True)
class _AwardRecord:
    type: Literal["award"]
    data: Award


@dataclass(frozen=True, slots=True)
class _ActionRecord:
    type: Literal["action"]
    data: ActionCommitment


@dataclass(frozen=True, slots=True)
class _BaselineRecord:
    type: Literal["baseline"]
    data: Baseline


_AnyRecord = (
    _UserRecord
    | _EntryRecord
    | _TeamRecord
    | _MembershipRecord
    | _GoalRecord
    | _AwardRecord
    | _ActionRecord
    | _BaselineRecord
)
_TYPES: dict[str, type[Any]] = {
    "user": User,
    "entry": Entry,
    "team": Team,
    "membership": Membership,
    "goal": Goal,
    "award": Award,
    "action": ActionCommitment,
    "baseline": Baseline,
}
_ADAPTERS: dict[str, TypeAdapter[Any]] = {kind: TypeAdapter(t) for kind, t in _TYPES.items()}
_RECORD: TypeAdapter[_AnyRecord] = TypeAdapter(Annotated[_AnyRecord, Field(discriminator="type")])


class RestoreIncomplete(DomainError):
    """A restore stopped after writing some records; running it again with force finishes it."""

    def __init__(self, message: str, *, written: int, total: int) -> None:
        super().__init__(message)
        self.written = written
        self.total = total


def _no_progress(_: int) -> None:
    return None


# -- export ------------------------------------------------------------------------------


def export(*, store: Store, path: Path, progress: Progress = _no_progress) -> dict[str, Any]:
    """Write a backup of all user data to directory `path`; return the manifest."""
    if (path / MANIFEST_FILE).exists():
        raise InvalidBackup(f"{path} already holds a backup; choose a new directory")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    counts = dict.fromkeys(RECORD_TYPES, 0)
    digest = hashlib.sha256()
    # Backups hold password hashes: readable by the owner only.
    with _private_file(path / RECORDS_FILE) as out:
        for kind, record in _records(store):
            line = encode_record(kind, record)
            out.write(line)
            digest.update(line)
            counts[kind] += 1
            progress(1)
    manifest = {
        "format": FORMAT,
        "schemaVersion": SCHEMA_VERSION,
        "createdAt": _iso(datetime.now(UTC)),
        "appVersion": __version__,
        "store": store.backend,
        "counts": counts,
        "records": RECORDS_FILE,
        "sha256": digest.hexdigest(),
    }
    with _private_file(path / MANIFEST_FILE) as out:
        out.write(json.dumps(manifest, indent=2, sort_keys=True).encode() + b"\n")
    return manifest


def _records(store: Store) -> Iterator[tuple[str, Record]]:
    users = sorted(store.users.scan_all(), key=lambda user: user.user_id)
    for user in users:
        yield "user", user
    for user in users:
        cursor: str | None = None
        while True:
            page = store.entries.list_for_user(user.user_id, limit=PAGE, cursor=cursor)
            for entry in page.items:
                yield "entry", entry
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
    team_ids = sorted({m.team_id for user in users for m in store.teams.teams_of(user.user_id)})
    teams = [team for team in map(store.teams.get, team_ids) if team is not None]
    for team in teams:
        yield "team", team
    for team in teams:
        for member in sorted(store.teams.members(team.team_id), key=lambda m: m.user_id):
            yield "membership", member
    owners = [user.user_id for user in users] + [goal_owner_id(t.team_id) for t in teams]
    for owner_id in sorted(owners):
        for goal in sorted(store.goals.list_for_owner(owner_id), key=lambda g: g.goal_id):
            yield "goal", goal
    for user in users:
        awards = store.achievements.list_for_user(user.user_id)
        for award in sorted(awards, key=lambda a: a.achievement_id):
            yield "award", award
    for user in users:
        commitments = store.actions.list_for_user(user.user_id)
        for commitment in sorted(commitments, key=lambda c: c.action_id):
            yield "action", commitment
    for user in users:
        baseline = store.baselines.get(user.user_id)
        if baseline is not None:
            yield "baseline", baseline


def _private_file(path: Path) -> Any:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return os.fdopen(fd, "wb")


def encode_record(kind: str, record: Record) -> bytes:
    """One canonical JSON line for a record."""
    data = _ADAPTERS[kind].dump_json(record)
    return b'{"type":"' + kind.encode() + b'","data":' + data + b"}\n"


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# -- restore -----------------------------------------------------------------------------


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of a backup directory, checked for format and schema version."""
    try:
        manifest = json.loads((path / MANIFEST_FILE).read_text())
    except FileNotFoundError:
        raise InvalidBackup(f"no {MANIFEST_FILE} in {path}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidBackup(f"{MANIFEST_FILE} is not valid JSON: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidBackup(f"{MANIFEST_FILE} is not a CarbonTrack backup manifest")
    version = manifest.get("schemaVersion")
    if not isinstance(version, int) or version < 1:
        raise InvalidBackup("the manifest has no valid schemaVersion")
    if version > SCHEMA_VERSION:
        raise InvalidBackup(
            f"this backup has schema version {version}; this CarbonTrack ({__version__}) "
            f"reads up to {SCHEMA_VERSION}: upgrade CarbonTrack to restore it"
        )
    counts = manifest.get("counts")
    if not isinstance(counts, dict) or set(counts) - set(RECORD_TYPES):
        raise InvalidBackup(f"the manifest counts name unknown record types: {counts!r}")
    if not isinstance(manifest.get("sha256"), str):
        raise InvalidBackup("the manifest has no sha256")
    return manifest


def verify(path: Path) -> dict[str, Any]:
    """Check a backup completely without writing anything; return its manifest."""
    manifest = read_manifest(path)
    digest = hashlib.sha256()
    counts = dict.fromkeys(RECORD_TYPES, 0)
    seen = _Seen()
    for number, line in _lines(path):
        digest.update(line)
        kind, record = decode_record(line, number=number, version=manifest["schemaVersion"])
        counts[kind] += 1
        seen.check(kind, record, number=number)
    if digest.hexdigest() != manifest["sha256"]:
        raise InvalidBackup("the records file does not match the manifest checksum")
    expected = {kind: manifest["counts"].get(kind, 0) for kind in RECORD_TYPES}
    if counts != expected:
        raise InvalidBackup(f"record counts {counts} differ from the manifest's {expected}")
    return manifest


@dataclass(slots=True)
class _Seen:
    """The users and teams read so far: every record must come after those it refers to."""

    users: set[str] = field(default_factory=set)
    teams: set[str] = field(default_factory=set)

    def check(self, kind: str, record: Record, *, number: int) -> None:
        if isinstance(record, User):
            self.users.add(record.user_id)
        elif isinstance(record, Team):
            self.teams.add(record.team_id)
        elif isinstance(record, Goal):
            owner = record.owner_id
            if owner.startswith(TEAM_GOAL_PREFIX):
                _need(self.teams, owner.removeprefix(TEAM_GOAL_PREFIX), "team", kind, number)
            else:
                _need(self.users, owner, "user", kind, number)
        else:
            _need(self.users, record.user_id, "user", kind, number)
            if isinstance(record, Membership):
                _need(self.teams, record.team_id, "team", kind, number)


def _need(known: set[str], key: str, what: str, kind: str, number: int) -> None:
    if key not in known:
        raise InvalidBackup(f"line {number}: {kind} of {what} {key} not in the backup before it")


def restore(
    *, store: Store, path: Path, force: bool = False, progress: Progress = _no_progress
) -> dict[str, int]:
    """Verify a backup, then write it into `store`; refuse a non-empty store unless `force`."""
    manifest = verify(path)
    if not force and next(iter(store.users.scan_all()), None) is not None:
        raise InvalidBackup("the target store is not empty; use force to restore into it")
    total = sum(manifest["counts"].values())
    written = 0
    restored_users: list[str] = []
    try:
        for kind, batch in _batches(path, version=manifest["schemaVersion"]):
            _write(store, kind, batch)
            restored_users += [r.user_id for r in batch if isinstance(r, User)]
            written += len(batch)
            progress(len(batch))
        # Entries and awards were restored as they were: now the totals and award ids.
        for user_id in restored_users:
            store.rollups.rebuild(user_id)
    except DomainError as exc:
        raise RestoreIncomplete(
            f"restore stopped after {written} of {total} records ({exc.message}); the target "
            "holds a partial restore: run the same restore with --force to finish it",
            written=written,
            total=total,
        ) from exc
    return {kind: manifest["counts"].get(kind, 0) for kind in RECORD_TYPES}


def _write(store: Store, kind: str, batch: list[Any]) -> None:
    writers: dict[str, Callable[[list[Any]], None]] = {
        "user": store.users.put_many,
        "entry": store.entries.put_many,
        "team": store.teams.put_many,
        "membership": store.teams.put_members,
        "goal": store.goals.put_many,
        "award": store.achievements.put_many,
        "action": store.actions.put_many,
        "baseline": store.baselines.put_many,
    }
    writers[kind](batch)


def _batches(path: Path, *, version: int) -> Iterator[tuple[str, list[Record]]]:
    kind_of_batch, batch = "", list[Record]()
    for number, line in _lines(path):
        kind, record = decode_record(line, number=number, version=version)
        if batch and (kind != kind_of_batch or len(batch) >= BATCH):
            yield kind_of_batch, batch
            batch = []
        kind_of_batch = kind
        batch.append(record)
    if batch:
        yield kind_of_batch, batch


def _lines(path: Path) -> Iterator[tuple[int, bytes]]:
    try:
        with (path / RECORDS_FILE).open("rb") as records:
            for number, line in enumerate(records, start=1):
                if not line.endswith(b"\n"):
                    raise InvalidBackup(f"line {number} is truncated (no end of line)")
                yield number, line
    except FileNotFoundError:
        raise InvalidBackup(f"no {RECORDS_FILE} in {path}") from None


def decode_record(line: bytes, *, number: int, version: int = SCHEMA_VERSION) -> tuple[str, Record]:
    """Parse and type-check one record line (strict JSON: no silent coercion)."""
    if version < 2:
        line = _with_day(line)
    try:
        record = _RECORD.validate_json(line, strict=True)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:3]
        )
        raise InvalidBackup(f"line {number} is not a valid record: {problems}") from None
    if any(t.tzinfo is None for t in _times(record.data)):
        raise InvalidBackup(f"line {number}: a datetime has no time zone")
    if version < 3 and record.type not in ("user", "entry"):
        raise InvalidBackup(f"line {number}: a {record.type} record in a version {version} backup")
    if version < 6 and record.type == "baseline":
        raise InvalidBackup(f"line {number}: a baseline record in a version {version} backup")
    return record.type, record.data


def _with_day(line: bytes) -> bytes:
    """A version-1 entry line with the `day` of version 2: the UTC date, the only one known."""
    try:
        record = json.loads(line)
        data = record["data"]
        if record["type"] == "entry" and "day" not in data:
            timestamp = datetime.fromisoformat(data["timestamp"])
            data["day"] = timestamp.astimezone(UTC).date().isoformat()
            return json.dumps(record).encode() + b"\n"
    except (ValueError, KeyError, TypeError):
        pass  # the strict validation that follows says what is wrong with the line
    return line


def _times(record: Record) -> list[datetime]:
    """Every datetime of a record (each must carry its time zone)."""
    times: list[datetime | None]
    match record:
        case User():
            times = [record.created_at]
        case Entry():
            times = [record.timestamp, record.created_at, record.updated_at]
        case Team():
            times = [record.created_at, record.join_code_expires_at]
        case Membership():
            times = [record.joined_at]
        case Goal():
            times = [record.created_at, record.achieved_at]
        case Award():
            times = [record.earned_at]
        case ActionCommitment():
            times = [record.committed_at, record.completed_at]
        case Baseline():
            times = [record.created_at, record.updated_at]
    return [time for time in times if time is not None]
