"""The storage Protocol: one set of access patterns, one module per backend.

Every method is named after what a use case needs and is atomic. No method may need a
full table scan: each one maps onto a key look-up or a range Query on the DynamoDB
key schema (users: `userId`; entries: `userId` + `timestamp`), so the SQLite store
never offers a query that the DynamoDB store could not serve.
Only domain types and domain errors cross this boundary; cursors are opaque strings.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Protocol

from carbontrack.domain.baseline_model import Baseline
from carbontrack.domain.models import (
    ActionCommitment,
    Award,
    Dataset,
    Entry,
    Factor,
    Goal,
    Membership,
    MonthTotals,
    Page,
    Tally,
    Team,
    User,
)
from carbontrack.domain.reasoning import CachedReasoning
from carbontrack.ops.model import RefreshRun, Resource, RunState, Scope, ScopeStatus


class UserRepository(Protocol):
    def add(self, user: User) -> None:
        """Insert a new user; `AlreadyExists` if the (normalised) email is taken."""
        ...

    def get(self, user_id: str) -> User | None: ...

    def get_by_email(self, email: str) -> User | None:
        """Look up by normalised email."""
        ...

    def update_profile(
        self,
        user_id: str,
        *,
        name: str | None = None,
        country: str | None = None,
        time_zone: str | None = None,
        clear_country: bool = False,
        distance_unit: str | None = None,
    ) -> User:
        """Set only the profile fields given (None leaves one as it is); `NotFound` if absent.

        Returns the user with the changes. No other field is written, so a password change
        racing this one always stands.
        """
        ...

    def change_password(
        self, user_id: str, *, password_hash: str, expected_token_version: int
    ) -> int:
        """Set the password hash and bump `token_version`, if it is still the one expected.

        Returns the new token version. `Conflict` if the version moved on (another password
        change came first), `NotFound` if the user is gone.
        """
        ...

    def set_operator(self, user_id: str, operator: bool) -> User:
        """Grant (True) or revoke (False) the operator role, writing no other field.

        Returns the user with the change; `NotFound` if absent.
        """
        ...

    def delete(self, user_id: str) -> None:
        """Remove the user and everything they own; `NotFound` if absent.

        The account goes at once (login and tokens stop working). SQLite removes the data in
        the same transaction; DynamoDB purges it right after, and repeating the delete
        finishes a purge that was interrupted.
        """
        ...

    def scan_all(self) -> Iterator[User]:
        """Every user, in no set order. Backups only: this is a Scan on DynamoDB."""
        ...

    def put_many(self, users: Sequence[User]) -> None:
        """Write users exactly as given, replacing same ids (restore; safe to repeat).

        `AlreadyExists` if an email belongs to a different user id.
        """
        ...


class EntryRepository(Protocol):
    def add(self, entry: Entry) -> None:
        """Insert one entry; `AlreadyExists` if its id is taken.

        DynamoDB can only enforce this for the same id at the same timestamp (its key);
        ids are uuid4, so only a hand-edited import file can meet the difference.
        """
        ...

    def add_many(self, entries: Sequence[Entry]) -> None:
        """Insert all entries of one user, or none of them (`AlreadyExists` if one is there).

        All or nothing as the caller sees it; on DynamoDB not isolated: chunks written
        before a failing one are deleted again, and readers may glimpse them meanwhile.
        """
        ...

    def get(self, user_id: str, entry_id: str) -> Entry | None:
        """One entry of one user; another user's id gives None."""
        ...

    def update(self, read: Entry, changed: Entry) -> Entry:
        """Write the fields where `changed` differs from `read`, and the totals' difference.

        Only if the stored entry is still at `read.version`; returns `changed` with the
        version it now has. `Conflict` if the entry changed since it was read, `NotFound`
        if it is gone, `AlreadyExists` if the new time and id collide with another entry.
        """
        ...

    def delete(self, user_id: str, entry_id: str) -> None:
        """`NotFound` if the user has no such entry."""
        ...

    def list_for_user(
        self,
        user_id: str,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        category: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[Entry]:
        """A user's entries newest first, `since <= timestamp < until`.

        A bad cursor raises `InvalidInput`.
        """
        ...

    def put_many(self, entries: Sequence[Entry]) -> None:
        """Write entries exactly as given, of any users, replacing same ids (restore).

        Safe to repeat. Write the users first: DynamoDB has no foreign keys to check.
        """
        ...


class RollupRepository(Protocol):
    """Per-user totals by local month, day and category, maintained by every entry write.

    Entry writes (add, add_many, update, delete, users.delete) keep these up to date in the
    same transaction, so reading them never needs a user's history.
    """

    def month_totals(self, user_id: str, months: Sequence[str]) -> list[MonthTotals]:
        """Totals of the given months ("YYYY-MM"), in the order asked; one read for up to 100."""
        ...

    def month_totals_many(
        self, user_ids: Sequence[str], months: Sequence[str]
    ) -> dict[str, list[MonthTotals]]:
        """`month_totals` of several users (a team): one BatchGetItem per 100 user-months."""
        ...

    def entry_count(self, user_id: str) -> int:
        """How many entries the user has ever had and still has (one read)."""
        ...

    def tally(self, user_id: str, months: Sequence[str]) -> Tally:
        """The entry count, the given months' totals and the user's award ids, in one read.

        What awarding achievements needs after an entry write: one BatchGetItem on DynamoDB,
        where the award ids are kept on the totals item by `AchievementRepository.award`.
        """
        ...

    def rebuild(self, user_id: str) -> None:
        """Recompute a user's totals (and award ids) from their entries and awards (restore)."""
        ...


class GoalRepository(Protocol):
    """Goals of a user, or of a team (owner_id "TEAM#<teamId>")."""

    def add(self, goal: Goal) -> None: ...

    def get(self, owner_id: str, goal_id: str) -> Goal | None: ...

    def list_for_owner(self, owner_id: str) -> list[Goal]: ...

    def update(self, read: Goal, changed: Goal) -> Goal:
        """Write the fields where `changed` differs from `read`, if still at `read.version`.

        Returns `changed` with its new version; `Conflict` if the goal changed since it was
        read, `NotFound` if it is gone.
        """
        ...

    def delete(self, owner_id: str, goal_id: str) -> None:
        """`NotFound` if absent."""
        ...

    def put_many(self, goals: Sequence[Goal]) -> None:
        """Write goals exactly as given, replacing same keys (restore; safe to repeat)."""
        ...


class TeamRepository(Protocol):
    def create(self, team: Team, owner: Membership) -> None:
        """Create a team and its owner's membership in one atomic step."""
        ...

    def get(self, team_id: str) -> Team | None: ...

    def set_join_code(
        self, team_id: str, *, join_code: str, expires_at: datetime, replacing: str
    ) -> None:
        """Replace the join code, if it is still `replacing`; `Conflict` if not, `NotFound`."""
        ...

    def delete(self, team_id: str) -> None:
        """Remove the team, its members and its goals."""
        ...

    def membership(self, team_id: str, user_id: str) -> Membership | None: ...

    def members(self, team_id: str) -> list[Membership]: ...

    def teams_of(self, user_id: str) -> list[Membership]:
        """The user's memberships (a Query on the userId index on DynamoDB)."""
        ...

    def add_member(self, membership: Membership) -> None:
        """`AlreadyExists` if the user is a member already."""
        ...

    def set_roles(self, team_id: str, roles: Mapping[str, tuple[str, str]]) -> None:
        """Set members' roles together: user id -> (role read, new role); all or none.

        `Conflict` if a member's role is no longer the one read, `NotFound` if one is
        not a member.
        """
        ...

    def remove_member(self, team_id: str, user_id: str) -> None:
        """`NotFound` if the user is not a member."""
        ...

    def put_many(self, teams: Sequence[Team]) -> None:
        """Write teams exactly as given, replacing same ids (restore; safe to repeat)."""
        ...

    def put_members(self, memberships: Sequence[Membership]) -> None:
        """Write memberships exactly as given, replacing same keys (restore; safe to repeat).

        Write their teams and users first.
        """
        ...


class AchievementRepository(Protocol):
    def award(self, award: Award) -> bool:
        """Record an achievement; False (and nothing changes) if the user has it already."""
        ...

    def list_for_user(self, user_id: str) -> list[Award]: ...

    def put_many(self, awards: Sequence[Award]) -> None:
        """Write awards exactly as given, replacing same keys (restore; safe to repeat).

        `RollupRepository.rebuild` afterwards brings the award ids kept with the totals up
        to date.
        """
        ...


class ActionRepository(Protocol):
    def put(self, commitment: ActionCommitment) -> None:
        """Create or replace the user's commitment to one action."""
        ...

    def get(self, user_id: str, action_id: str) -> ActionCommitment | None: ...

    def list_for_user(self, user_id: str) -> list[ActionCommitment]: ...

    def put_many(self, commitments: Sequence[ActionCommitment]) -> None:
        """Write commitments exactly as given, replacing same keys (restore; safe to repeat)."""
        ...


class FactorRepository(Protocol):
    def replace_dataset(self, dataset: Dataset, factors: Sequence[Factor]) -> None:
        """Load (or reload) one dataset and all its factors.

        Atomic on SQLite; convergent on DynamoDB, where the dataset record (with its
        checksum) is written last, so an interrupted load is redone by the next sync.
        """
        ...

    def datasets(self) -> list[Dataset]:
        """Every loaded dataset (a handful of rows, kept in one partition)."""
        ...

    def checksums(self, dataset_ids: Sequence[str]) -> dict[str, str]:
        """The checksum of each of these datasets that is loaded, by id: key look-ups only."""
        ...

    def get(self, factor_id: str) -> Factor | None: ...

    def list_by_category(self, category: str) -> list[Factor]: ...


class LoginThrottle(Protocol):
    """Counts attempts per key (logins, password checks, sign-ups) in fixed windows.

    `services.throttle` names the keys and the limits (docs/security.md).
    """

    def attempts(self, key: str, *, now: datetime) -> tuple[int, datetime | None]:
        """Attempts in the current window and when that window ends; (0, None) if none is open."""
        ...

    def record_attempt(self, key: str, *, now: datetime, window_s: int) -> tuple[int, datetime]:
        """Count one attempt atomically; the count in the window (this one included) and its end.

        A window opens at the first attempt after the last one ended and lasts `window_s`.
        """
        ...

    def withdraw_attempt(self, key: str, *, window_end: datetime) -> None:
        """Take back one attempt counted in the window ending at `window_end`.

        Nothing happens if that window has been replaced since or its count is already zero.
        """
        ...

    def reset(self, key: str) -> None:
        """Forget every attempt recorded for `key`."""
        ...


class ReasoningCacheRepository(Protocol):
    """Explanations of CO2 anomalies by cache key, each kept until its `expires_at`."""

    def get(self, key: str, now: datetime) -> CachedReasoning | None:
        """The live item under `key`; None if absent or expired (even if not yet deleted)."""
        ...

    def put(self, item: CachedReasoning) -> None:
        """Store an item, replacing any under the same key."""
        ...


class BaselineRepository(Protocol):
    """Each user's baseline footprint (DynamoDB: an attribute set on the user's own item, or a
    table keyed by `userId`; the backend module documents which)."""

    def get(self, user_id: str) -> Baseline | None: ...

    def put(self, baseline: Baseline, *, expected_version: int | None) -> Baseline:
        """Write the user's baseline, returning it with `version + 1`.

        `expected_version` None: only if the user has none yet (`AlreadyExists` otherwise);
        a number: only if the stored one has that version (`Conflict` otherwise).
        `NotFound` if the user does not exist.
        """
        ...

    def put_many(self, baselines: Sequence[Baseline]) -> None:
        """Restore from a backup: write as given, no conditions."""
        ...


class InventoryRepository(Protocol):
    """The operations console's AWS inventory (DynamoDB: `aws-inventory-data`, partition
    `pk` = `service#accountId#region`, sort `sk` = resource id, `ttl`; and
    `aws-inventory-metadata`, partition `service`, sort `accountId#region`).

    No method scans: a listing reads the metadata of the known services (one Query each)
    and then Queries each matching scope's partition.
    """

    def replace_scope(self, status: ScopeStatus, resources: Sequence[Resource]) -> None:
        """Store one scope's fresh collection: upsert `resources`, remove the scope's
        resources not among them (gone since the last refresh), write `status`.

        `InvalidInput` if a resource is of another scope or its data is not JSON. Reads
        never return a resource whose `updated_at` + RESOURCE_TTL_DAYS has passed.
        """
        ...

    def record_failure(self, status: ScopeStatus) -> None:
        """Write a failed scope's status; its last collected resources stay (and expire by ttl)."""
        ...

    def list_resources(
        self,
        *,
        services: Sequence[str],
        account_id: str | None = None,
        region: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> Page[Resource]:
        """Resources of `services` (ordered by service, account, region, resource id),
        optionally of one account and/or region. A bad cursor raises `InvalidInput`."""
        ...

    def scope_resources(self, scope: Scope) -> list[Resource]:
        """Every stored resource of one scope (one Query)."""
        ...

    def statuses(self, *, services: Sequence[str]) -> list[ScopeStatus]:
        """The metadata rows of `services`, ordered by service, account, region."""
        ...


class InventoryRuns(Protocol):
    """The latest inventory refresh (one row: DynamoDB `aws-inventory-metadata`, partition
    `service` = "#refresh"), so a refresh can be followed and two cannot run at once."""

    def start(self, run: RefreshRun, *, stale_before: datetime) -> bool:
        """Make `run` the latest, unless a running one started at or after `stale_before`
        (one conditional write); False when that other run is still going."""
        ...

    def progress(self, run_id: str, *, done: int, total: int) -> None:
        """Record how far the run is; nothing if it is no longer the latest."""
        ...

    def finish(self, run_id: str, *, state: RunState, failed: int, finished_at: datetime) -> None:
        """Record how the run ended; nothing if it is no longer the latest."""
        ...

    def latest(self) -> RefreshRun | None:
        """The latest run, or None before the first."""
        ...


class Store(Protocol):
    """Everything the services need, built by `carbontrack.store.build_store`."""

    backend: str
    users: UserRepository
    entries: EntryRepository
    rollups: RollupRepository
    goals: GoalRepository
    teams: TeamRepository
    achievements: AchievementRepository
    actions: ActionRepository
    factors: FactorRepository
    login_throttle: LoginThrottle
    reasoning_cache: ReasoningCacheRepository
    inventory: InventoryRepository
    baselines: BaselineRepository
    inventory_runs: InventoryRuns

    def close(self) -> None: ...
