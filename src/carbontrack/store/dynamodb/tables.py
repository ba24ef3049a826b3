"""THE key schema: one declarative description of every DynamoDB table.

The store, `create_tables` and the SAM template generator all read `TABLES`, so a key
or index is named in exactly one place. Every key attribute is a string; every table is
on-demand (PAY_PER_REQUEST), encrypted at rest and has point-in-time recovery on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        CreateTableInputTypeDef,
        GlobalSecondaryIndexTypeDef,
        KeySchemaElementTypeDef,
        LocalSecondaryIndexTypeDef,
        WaiterConfigTypeDef,
    )

DEFAULT_PREFIX = "carbontrack-"
# Up to two minutes for a table to become ACTIVE.
_WAIT: WaiterConfigTypeDef = {"Delay": 2, "MaxAttempts": 60}
_PITR_ATTEMPTS = 10  # PITR can be "unavailable" for a few seconds after CreateTable


@dataclass(frozen=True, slots=True)
class Index:
    """A secondary index; `local` makes it an LSI (same partition key, strongly consistent)."""

    name: str
    partition_key: str
    sort_key: str | None = None
    local: bool = False


@dataclass(frozen=True, slots=True)
class TableSpec:
    """One table: its name after the prefix, its keys, indexes and TTL attribute.

    An `inherited` table keeps the exact name an older design gave it (`suffix` is its whole
    name, whatever the deployment prefix), so tools written for that design find it. Tests,
    which isolate stores by prefix, pass `inherited_names=False` to prefix it like the rest.
    """

    suffix: str
    partition_key: str
    sort_key: str | None = None
    indexes: tuple[Index, ...] = ()
    ttl_attribute: str | None = None
    inherited: bool = False

    def name(self, prefix: str, *, inherited_names: bool = True) -> str:
        """The table's full name under a deployment prefix (an inherited table's own name)."""
        if self.inherited and inherited_names:
            return self.suffix
        return prefix + self.suffix

    def key_attributes(self) -> list[str]:
        """Every attribute used in a key of the table or of an index, each once, in order."""
        names = [self.partition_key, self.sort_key]
        for index in self.indexes:
            names += [index.partition_key, index.sort_key]
        return list(dict.fromkeys(name for name in names if name is not None))

    def create_request(
        self, prefix: str, *, inherited_names: bool = True
    ) -> CreateTableInputTypeDef:
        """The CreateTable arguments for this table."""
        request: CreateTableInputTypeDef = {
            "TableName": self.name(prefix, inherited_names=inherited_names),
            "KeySchema": _key_schema(self.partition_key, self.sort_key),
            "AttributeDefinitions": [
                {"AttributeName": name, "AttributeType": "S"} for name in self.key_attributes()
            ],
            "BillingMode": "PAY_PER_REQUEST",
            "SSESpecification": {"Enabled": True},
        }
        local: list[LocalSecondaryIndexTypeDef] = [
            {
                "IndexName": index.name,
                "KeySchema": _key_schema(index.partition_key, index.sort_key),
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in self.indexes
            if index.local
        ]
        global_: list[GlobalSecondaryIndexTypeDef] = [
            {
                "IndexName": index.name,
                "KeySchema": _key_schema(index.partition_key, index.sort_key),
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in self.indexes
            if not index.local
        ]
        if local:
            request["LocalSecondaryIndexes"] = local
        if global_:
            request["GlobalSecondaryIndexes"] = global_
        return request


# users - key: userId. Three kinds of item share it (see docs/storage.md):
#   a user            userId = <uuid>
#   its email guard   userId = "EMAIL#<email lower-cased>", a full copy of the user + ownerId
#   a login window    userId = "LOGIN#<key>", failures, windowEnd, ttl (expires by TTL)
USERS = TableSpec(suffix="users", partition_key="userId", ttl_attribute="ttl")
# entries - key: userId + timestamp, where timestamp = "<UTC ISO-8601 with µs>#<entryId>"
# so a Query on one user is in time order and two entries at one instant both survive.
# The LSI finds an entry by its id inside its user's partition.
ENTRY_ID_INDEX = "entryId-index"
ENTRIES = TableSpec(
    suffix="entries",
    partition_key="userId",
    sort_key="timestamp",
    indexes=(Index(ENTRY_ID_INDEX, "userId", "entryId", local=True),),
)
# rollups - key: userId + month ("YYYY-MM", the entries' local calendar month), one item per
# user and month with kg CO2e per day and category, kept up to date in the same transaction
# as every entry write; month = "ALL" holds the user's lifetime entry count.
ROLLUPS = TableSpec(suffix="rollups", partition_key="userId", sort_key="month")
# goals - key: userId + goalId; a team's goals live under userId = "TEAM#<teamId>".
GOALS = TableSpec(suffix="goals", partition_key="userId", sort_key="goalId")
# achievements - key: userId + achievementId; awarding is a conditional put.
ACHIEVEMENTS = TableSpec(suffix="achievements", partition_key="userId", sort_key="achievementId")
# actions - key: userId + actionId: the reduction actions a user committed to or completed.
ACTIONS = TableSpec(suffix="actions", partition_key="userId", sort_key="actionId")
# baselines - key: userId: one baseline footprint per user (questionnaire answers and lines),
# written conditionally on its version; a table of its own so it never races the user item.
BASELINES = TableSpec(suffix="baselines", partition_key="userId")
# teams - key: teamId. team-members - key: teamId + userId; the GSI lists a user's teams.
TEAMS = TableSpec(suffix="teams", partition_key="teamId")
MEMBER_TEAMS_INDEX = "userId-index"
TEAM_MEMBERS = TableSpec(
    suffix="team-members",
    partition_key="teamId",
    sort_key="userId",
    indexes=(Index(MEMBER_TEAMS_INDEX, "userId", "teamId"),),
)
# reasoning-cache - key: cacheKey; entries expire through TTL.
REASONING_CACHE = TableSpec(suffix="reasoning-cache", partition_key="cacheKey", ttl_attribute="ttl")
# emission-factors - key: factorId. The GSI lists one category; dataset records live in
# the same table as factorId = "DATASET#<id>", category = "_dataset".
CATEGORY_INDEX = "category-index"
EMISSION_FACTORS = TableSpec(
    suffix="emission-factors",
    partition_key="factorId",
    indexes=(Index(CATEGORY_INDEX, "category", "factorId"),),
)
# The operations console's inventory, under the inherited dashboard's exact names (two
# stacks in one account and region therefore share them; see docs/operations.md):
# aws-inventory-data - key: pk = "service#accountId#region" + sk = resource id; attributes
#   service, accountId, region, resourceId, data (the resource as JSON text), updatedAt,
#   ttl (epoch seconds: updatedAt + RESOURCE_TTL_DAYS, so unrefreshed resources expire).
INVENTORY_DATA = TableSpec(
    suffix="aws-inventory-data",
    partition_key="pk",
    sort_key="sk",
    ttl_attribute="ttl",
    inherited=True,
)
# aws-inventory-metadata - key: service + sk = "accountId#region"; updatedAt, resourceCount,
#   state ("ok" / "failed") and error. One partition per service lists its scopes.
INVENTORY_METADATA = TableSpec(
    suffix="aws-inventory-metadata", partition_key="service", sort_key="sk", inherited=True
)

TABLES: tuple[TableSpec, ...] = (
    USERS,
    ENTRIES,
    ROLLUPS,
    GOALS,
    ACHIEVEMENTS,
    ACTIONS,
    BASELINES,
    TEAMS,
    TEAM_MEMBERS,
    REASONING_CACHE,
    EMISSION_FACTORS,
    INVENTORY_DATA,
    INVENTORY_METADATA,
)


@dataclass(frozen=True, slots=True)
class TableStatus:
    """What `create_tables` found for one table."""

    name: str
    created: bool  # False: it already existed


def create_tables(
    client: DynamoDBClient, prefix: str = DEFAULT_PREFIX, *, inherited_names: bool = True
) -> list[TableStatus]:
    """Create every missing table, wait for ACTIVE, and turn on PITR and TTL (idempotent)."""
    statuses = [
        _create(client, spec.create_request(prefix, inherited_names=inherited_names))
        for spec in TABLES
    ]
    waiter = client.get_waiter("table_exists")
    for spec in TABLES:
        name = spec.name(prefix, inherited_names=inherited_names)
        waiter.wait(TableName=name, WaiterConfig=_WAIT)
        _enable_pitr(client, name)
        if spec.ttl_attribute is not None:
            _enable_ttl(client, name, spec.ttl_attribute)
    return statuses


def _create(client: DynamoDBClient, request: CreateTableInputTypeDef) -> TableStatus:
    try:
        client.create_table(**request)
    except client.exceptions.ResourceInUseException:
        return TableStatus(name=request["TableName"], created=False)
    return TableStatus(name=request["TableName"], created=True)


def _enable_pitr(client: DynamoDBClient, name: str) -> None:
    """Turn on point-in-time recovery, waiting out the short window after creation."""
    for attempt in range(_PITR_ATTEMPTS):
        try:
            client.update_continuous_backups(
                TableName=name,
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )
            return
        except client.exceptions.ContinuousBackupsUnavailableException:
            if attempt == _PITR_ATTEMPTS - 1:
                raise
            time.sleep(2)


def _enable_ttl(client: DynamoDBClient, name: str, attribute: str) -> None:
    """Turn on TTL unless it already is: UpdateTimeToLive refuses to repeat itself."""
    current = client.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
    enabled = current.get("TimeToLiveStatus") in ("ENABLED", "ENABLING")
    if enabled and current.get("AttributeName") == attribute:
        return
    try:
        client.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute}
        )
    except ClientError as exc:
        # Another create_tables run may have enabled it since we looked.
        if "already enabled" not in str(exc):
            raise


def _key_schema(partition: str, sort: str | None) -> list[KeySchemaElementTypeDef]:
    schema: list[KeySchemaElementTypeDef] = [{"AttributeName": partition, "KeyType": "HASH"}]
    if sort is not None:
        schema.append({"AttributeName": sort, "KeyType": "RANGE"})
    return schema
