"""The SQLite store: one file, WAL mode, one connection per thread.

`SqliteStore(path)` creates the file and its parent directories, applies the schema
migrations in `schema.py`, and hands out the repositories the `Store` Protocol names.
"""

from __future__ import annotations

from pathlib import Path

from carbontrack.store.base import (
    AchievementRepository,
    ActionRepository,
    BaselineRepository,
    EntryRepository,
    FactorRepository,
    GoalRepository,
    InventoryRepository,
    InventoryRuns,
    LoginThrottle,
    ReasoningCacheRepository,
    RollupRepository,
    TeamRepository,
    UserRepository,
)
from carbontrack.store.sqlite.achievements import SqliteAchievements, SqliteActions
from carbontrack.store.sqlite.baselines import SqliteBaselines
from carbontrack.store.sqlite.connection import Database
from carbontrack.store.sqlite.entries import SqliteEntries
from carbontrack.store.sqlite.factors import SqliteFactors
from carbontrack.store.sqlite.goals import SqliteGoals
from carbontrack.store.sqlite.inventory import SqliteInventory
from carbontrack.store.sqlite.inventory_runs import SqliteInventoryRuns
from carbontrack.store.sqlite.reasoning_cache import SqliteReasoningCache
from carbontrack.store.sqlite.rollups import SqliteRollups
from carbontrack.store.sqlite.schema import migrate
from carbontrack.store.sqlite.teams import SqliteTeams
from carbontrack.store.sqlite.throttle import SqliteLoginThrottle
from carbontrack.store.sqlite.users import SqliteUsers

__all__ = ["SqliteStore"]


class SqliteStore:
    """`Store` backed by one SQLite file."""

    backend = "sqlite"

    def __init__(self, path: Path | str) -> None:
        if str(path) == ":memory:":
            # Every thread gets its own connection, so an in-memory database would
            # be a different, empty database per thread.
            raise ValueError("SqliteStore needs a file path, not ':memory:'")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = Database(path)
        try:
            migrate(self._db)
        except BaseException:
            self._db.close()
            raise
        # Annotated with the Protocols so mypy checks each repository against them.
        self.users: UserRepository = SqliteUsers(self._db)
        self.entries: EntryRepository = SqliteEntries(self._db)
        self.rollups: RollupRepository = SqliteRollups(self._db)
        self.goals: GoalRepository = SqliteGoals(self._db)
        self.factors: FactorRepository = SqliteFactors(self._db)
        self.login_throttle: LoginThrottle = SqliteLoginThrottle(self._db)
        self.achievements: AchievementRepository = SqliteAchievements(self._db)
        self.actions: ActionRepository = SqliteActions(self._db)
        self.teams: TeamRepository = SqliteTeams(self._db)
        self.reasoning_cache: ReasoningCacheRepository = SqliteReasoningCache(self._db)
        self.inventory: InventoryRepository = SqliteInventory(self._db)
        self.inventory_runs: InventoryRuns = SqliteInventoryRuns(self._db)
        self.baselines: BaselineRepository = SqliteBaselines(self._db)

    def close(self) -> None:
        """Close every connection this store opened, on any thread."""
        self._db.close()
