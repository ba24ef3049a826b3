"""The DynamoDB store: the tables of `tables.py`, through one low-level boto3 client.

`DynamoStore(region=..., prefix=...)` makes no call when built: the tables are created
by `create_tables` (a deployment step), not by opening a store. See docs/storage.md for
every table, item kind and the calls each method makes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

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
from carbontrack.store.dynamodb.achievements import DynamoAchievements, DynamoActions
from carbontrack.store.dynamodb.baselines import DynamoBaselines
from carbontrack.store.dynamodb.entries import DynamoEntries
from carbontrack.store.dynamodb.entry_guards import GuardReport, guard_existing
from carbontrack.store.dynamodb.errors import DynamoStoreError
from carbontrack.store.dynamodb.factors import DynamoFactors
from carbontrack.store.dynamodb.goals import DynamoGoals
from carbontrack.store.dynamodb.inventory import DynamoInventory
from carbontrack.store.dynamodb.inventory_runs import DynamoInventoryRuns
from carbontrack.store.dynamodb.reasoning_cache import DynamoReasoningCache
from carbontrack.store.dynamodb.rollups import DynamoRollups
from carbontrack.store.dynamodb.tables import (
    ACHIEVEMENTS,
    ACTIONS,
    BASELINES,
    DEFAULT_PREFIX,
    EMISSION_FACTORS,
    ENTRIES,
    GOALS,
    INVENTORY_DATA,
    INVENTORY_METADATA,
    REASONING_CACHE,
    ROLLUPS,
    TEAM_MEMBERS,
    TEAMS,
    USERS,
)
from carbontrack.store.dynamodb.teams import DynamoTeams
from carbontrack.store.dynamodb.throttle import DynamoLoginThrottle
from carbontrack.store.dynamodb.users import DynamoUsers

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from carbontrack.settings import Settings

__all__ = ["DynamoStore", "DynamoStoreError"]

# Fail fast rather than hold a request (or a Lambda) on a stuck connection; the standard
# retry mode retries throttling and transient errors with backoff, 3 attempts in all
# (botocore's `max_attempts` counts retries: 3 of them made 4 attempts). Three attempts of
# 2 s to connect and 5 s to read, with the backoff, fit in API Gateway's 29 s; 4 x (3 + 10) s
# did not. TCP keep-alive keeps a warm container's idle connections open between events, so
# a later event does not pay for a new connection (docs/benchmarks.md, issue 18).
CLIENT_CONFIG = Config(
    connect_timeout=2,
    read_timeout=5,
    retries={"mode": "standard", "total_max_attempts": 3},
    max_pool_connections=32,
    tcp_keepalive=True,
)


class DynamoStore:
    """`Store` backed by DynamoDB tables named `<prefix><suffix>`.

    The inherited inventory tables keep their own names unless `inherited_names` is False
    (tests, which give each store its own prefix), see `tables.TableSpec`.
    """

    backend = "dynamodb"

    def __init__(
        self,
        *,
        client: DynamoDBClient | None = None,
        region: str,
        prefix: str = DEFAULT_PREFIX,
        endpoint_url: str | None = None,
        inherited_names: bool = True,
    ) -> None:
        self.prefix = prefix
        self.inherited_names = inherited_names
        self._owns_client = client is None
        if client is None:
            client = boto3.client(
                "dynamodb", region_name=region, endpoint_url=endpoint_url, config=CLIENT_CONFIG
            )
        self.client = client
        users_table, entries_table = USERS.name(prefix), ENTRIES.name(prefix)
        # Annotated with the Protocols so mypy checks each repository against them.
        self.users: UserRepository = DynamoUsers(
            client,
            table=users_table,
            entries_table=entries_table,
            team_members_table=TEAM_MEMBERS.name(prefix),
            rollups_table=ROLLUPS.name(prefix),
            goals_table=GOALS.name(prefix),
            achievements_table=ACHIEVEMENTS.name(prefix),
            actions_table=ACTIONS.name(prefix),
            baselines_table=BASELINES.name(prefix),
        )
        self.entries: EntryRepository = DynamoEntries(
            client, table=entries_table, rollups_table=ROLLUPS.name(prefix)
        )
        self.rollups: RollupRepository = DynamoRollups(
            client,
            table=ROLLUPS.name(prefix),
            entries_table=entries_table,
            achievements_table=ACHIEVEMENTS.name(prefix),
        )
        self.factors: FactorRepository = DynamoFactors(client, table=EMISSION_FACTORS.name(prefix))
        self.goals: GoalRepository = DynamoGoals(client, table=GOALS.name(prefix))
        self.login_throttle: LoginThrottle = DynamoLoginThrottle(client, table=users_table)
        self.achievements: AchievementRepository = DynamoAchievements(
            client, table=ACHIEVEMENTS.name(prefix), rollups_table=ROLLUPS.name(prefix)
        )
        self.actions: ActionRepository = DynamoActions(client, table=ACTIONS.name(prefix))
        self.reasoning_cache: ReasoningCacheRepository = DynamoReasoningCache(
            client, table=REASONING_CACHE.name(prefix)
        )
        self.inventory: InventoryRepository = DynamoInventory(
            client,
            data_table=INVENTORY_DATA.name(prefix, inherited_names=inherited_names),
            metadata_table=INVENTORY_METADATA.name(prefix, inherited_names=inherited_names),
        )
        self.inventory_runs: InventoryRuns = DynamoInventoryRuns(
            client, metadata_table=INVENTORY_METADATA.name(prefix, inherited_names=inherited_names)
        )
        self.baselines: BaselineRepository = DynamoBaselines(
            client, table=BASELINES.name(prefix), users_table=users_table
        )
        self.teams: TeamRepository = DynamoTeams(
            client,
            table=TEAMS.name(prefix),
            members_table=TEAM_MEMBERS.name(prefix),
            goals_table=GOALS.name(prefix),
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> DynamoStore:
        """The store a deployment's settings describe."""
        return cls(
            region=settings.dynamodb_region,
            prefix=settings.dynamodb_table_prefix,
            endpoint_url=settings.dynamodb_endpoint_url,
        )

    def guard_entry_ids(self) -> GuardReport:
        """Give each entry stored before id guards existed its guard (idempotent, see docs)."""
        user_ids = (user.user_id for user in self.users.scan_all())
        return guard_existing(self.client, table=ENTRIES.name(self.prefix), user_ids=user_ids)

    def close(self) -> None:
        """Close the HTTP connections of a client this store made (not of one passed in)."""
        if self._owns_client:
            self.client.close()
