"""Teams in DynamoDB: tables `teams` and `team-members` (see `tables.TEAMS`, `TEAM_MEMBERS`).

teams - key `teamId`: `name`, `createdAt`, `joinCode`, `joinCodeExpiresAt`.
team-members - key `teamId` + `userId`: `role`, `joinedAt`, `displayName`; the GSI
`userId-index` (`userId`, `teamId`) lists a user's teams (eventually consistent).
A team's goals live in the goals table under `userId = "TEAM#<teamId>"`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from carbontrack.domain.errors import AlreadyExists, NotFound
from carbontrack.domain.models import Membership, Team
from carbontrack.domain.teams import NOT_A_MEMBER, code_replaced, goal_owner_id, role_changed
from carbontrack.store.dynamodb import codec
from carbontrack.store.dynamodb.batch import batch_write, transact_write
from carbontrack.store.dynamodb.errors import (
    CONDITION_FAILED,
    DynamoStoreError,
    is_condition_failed,
    translated,
)
from carbontrack.store.dynamodb.tables import MEMBER_TEAMS_INDEX

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        AttributeValueTypeDef,
        QueryInputTypeDef,
        TransactWriteItemTypeDef,
        UpdateTypeDef,
        WriteRequestTypeDef,
    )

    from carbontrack.store.dynamodb.codec import Item

_NEW = "attribute_not_exists(teamId)"
_EXISTS = "attribute_exists(teamId)"


class DynamoTeams:
    """`TeamRepository` over the teams and team-members tables; `delete` purges goals too."""

    def __init__(
        self, client: DynamoDBClient, *, table: str, members_table: str, goals_table: str
    ) -> None:
        self._client = client
        self._table = table
        self._members = members_table
        self._goals = goals_table

    @translated
    def create(self, team: Team, owner: Membership) -> None:
        """Put the team and its owner's membership in one transaction; `AlreadyExists`."""
        actions = [_new(self._table, _team_item(team)), _new(self._members, _member_item(owner))]
        codes = transact_write(self._client, actions)
        if codes is None:
            return
        if CONDITION_FAILED in codes:
            raise AlreadyExists("team already exists", field="team_id")
        raise DynamoStoreError(f"team creation was cancelled: {codes}")

    @translated
    def get(self, team_id: str) -> Team | None:
        """The team with this id, or None (one GetItem)."""
        response = self._client.get_item(
            TableName=self._table,
            Key={"teamId": codec.value(team_id)},
            ConsistentRead=True,
            ReturnConsumedCapacity="TOTAL",
        )
        item = response.get("Item")
        return None if item is None else _team(item)

    @translated
    def set_join_code(
        self, team_id: str, *, join_code: str, expires_at: datetime, replacing: str
    ) -> None:
        """One UpdateItem of the code and its expiry, if the code is still `replacing`."""
        values = {
            ":code": codec.value(join_code),
            ":expires": codec.value(codec.iso_time(expires_at, field="expires_at")),
            ":read": codec.value(replacing),
        }
        try:
            self._client.update_item(
                TableName=self._table,
                Key={"teamId": codec.value(team_id)},
                UpdateExpression="SET joinCode = :code, joinCodeExpiresAt = :expires",
                ConditionExpression="joinCode = :read",
                ExpressionAttributeValues=values,
                ReturnConsumedCapacity="TOTAL",
            )
        except ClientError as exc:
            if not is_condition_failed(exc):
                raise
            if self.get(team_id) is None:
                raise NotFound("team not found", field="team_id") from None
            raise code_replaced() from None

    @translated
    def delete(self, team_id: str) -> None:
        """Delete the team item, then purge its members and goals; `NotFound` if absent.

        The team is gone at once (every team URL is a 404); deleting an absent team purges
        again, so repeating a delete that stopped half-way finishes it.
        """
        try:
            self._client.delete_item(
                TableName=self._table,
                Key={"teamId": codec.value(team_id)},
                ConditionExpression=_EXISTS,
                ReturnConsumedCapacity="TOTAL",
            )
            existed = True
        except ClientError as exc:
            if not is_condition_failed(exc):
                raise
            existed = False
        self._purge(self._members, "teamId", team_id, sort_key="userId")
        self._purge(self._goals, "userId", goal_owner_id(team_id), sort_key="goalId")
        if not existed:
            raise NotFound("team not found", field="team_id")

    @translated
    def membership(self, team_id: str, user_id: str) -> Membership | None:
        """The user's membership of the team, or None (one GetItem)."""
        response = self._client.get_item(
            TableName=self._members,
            Key=_member_key(team_id, user_id),
            ConsistentRead=True,
            ReturnConsumedCapacity="TOTAL",
        )
        item = response.get("Item")
        return None if item is None else _member(item)

    @translated
    def members(self, team_id: str) -> list[Membership]:
        """The team's members in order of joining (a Query on the team's partition)."""
        request: QueryInputTypeDef = {
            "TableName": self._members,
            "KeyConditionExpression": "teamId = :team",
            "ExpressionAttributeValues": {":team": codec.value(team_id)},
            "ConsistentRead": True,
            "ReturnConsumedCapacity": "TOTAL",
        }
        found = [_member(item) for item in _all(self._client, request)]
        return sorted(found, key=lambda m: (m.joined_at, m.user_id))

    @translated
    def teams_of(self, user_id: str) -> list[Membership]:
        """The user's memberships by team id (a Query on the GSI: eventually consistent)."""
        return [_member(item) for item in _all(self._client, _by_user(self._members, user_id))]

    @translated
    def add_member(self, membership: Membership) -> None:
        """Add a member if the team exists (one transaction); `NotFound`, `AlreadyExists`."""
        team_exists: TransactWriteItemTypeDef = {
            "ConditionCheck": {
                "TableName": self._table,
                "Key": {"teamId": codec.value(membership.team_id)},
                "ConditionExpression": _EXISTS,
            }
        }
        actions = [team_exists, _new(self._members, _member_item(membership))]
        codes = transact_write(self._client, actions)
        if codes is None:
            return
        if codes[0] == CONDITION_FAILED:
            raise NotFound("team not found", field="team_id")
        if codes[1] == CONDITION_FAILED:
            raise AlreadyExists("already a member", field="user_id")
        raise DynamoStoreError(f"joining the team was cancelled: {codes}")

    @translated
    def set_roles(self, team_id: str, roles: Mapping[str, tuple[str, str]]) -> None:
        """One conditional UpdateItem per role, in one transaction when there are several."""
        actions: list[TransactWriteItemTypeDef] = [
            {"Update": self._role_update(team_id, user_id, read, role)}
            for user_id, (read, role) in roles.items()
        ]
        if len(actions) == 1:
            try:
                self._client.update_item(**actions[0]["Update"], ReturnConsumedCapacity="TOTAL")
                return
            except ClientError as exc:
                if not is_condition_failed(exc):
                    raise
        elif transact_write(self._client, actions) is None:
            return
        if any(self.membership(team_id, user_id) is None for user_id in roles):
            raise NotFound(NOT_A_MEMBER, field="user_id")
        raise role_changed()

    def _role_update(self, team_id: str, user_id: str, read: str, role: str) -> UpdateTypeDef:
        return {
            "TableName": self._members,
            "Key": _member_key(team_id, user_id),
            "UpdateExpression": "SET #role = :role",
            "ConditionExpression": "#role = :read",
            "ExpressionAttributeNames": {"#role": "role"},
            "ExpressionAttributeValues": {":role": codec.value(role), ":read": codec.value(read)},
        }

    @translated
    def remove_member(self, team_id: str, user_id: str) -> None:
        """Delete one membership (one conditional DeleteItem); `NotFound` if not a member."""
        try:
            self._client.delete_item(
                TableName=self._members,
                Key=_member_key(team_id, user_id),
                ConditionExpression=_EXISTS,
                ReturnConsumedCapacity="TOTAL",
            )
        except ClientError as exc:
            if is_condition_failed(exc):
                raise NotFound("not a member of this team", field="user_id") from None
            raise

    @translated
    def put_many(self, teams: Sequence[Team]) -> None:
        """Write teams as given, replacing same ids (BatchWriteItem; restore)."""
        puts: list[WriteRequestTypeDef] = [{"PutRequest": {"Item": _team_item(t)}} for t in teams]
        batch_write(self._client, self._table, puts)

    @translated
    def put_members(self, memberships: Sequence[Membership]) -> None:
        """Write memberships as given, replacing same keys (BatchWriteItem; restore)."""
        puts: list[WriteRequestTypeDef] = [
            {"PutRequest": {"Item": _member_item(m)}} for m in memberships
        ]
        batch_write(self._client, self._members, puts)

    def _purge(self, table: str, partition: str, key: str, *, sort_key: str) -> None:
        request: QueryInputTypeDef = {
            "TableName": table,
            "KeyConditionExpression": "#pk = :key",
            "ExpressionAttributeNames": {"#pk": partition, "#sk": sort_key},
            "ExpressionAttributeValues": {":key": codec.value(key)},
            "ProjectionExpression": "#pk, #sk",
            "ConsistentRead": True,
            "ReturnConsumedCapacity": "TOTAL",
        }
        deletes: list[WriteRequestTypeDef] = [
            {"DeleteRequest": {"Key": item}} for item in _all(self._client, request)
        ]
        batch_write(self._client, table, deletes)


def purge_memberships(client: DynamoDBClient, members_table: str, user_id: str) -> None:
    """Delete every membership of one user (account deletion): GSI Query pages, batch deletes.

    The GSI is eventually consistent: a membership written moments before may be missed,
    and repeating the account deletion removes it.
    """
    request = _by_user(members_table, user_id)
    request["ProjectionExpression"] = "teamId, userId"  # exactly the table's key
    deletes: list[WriteRequestTypeDef] = [
        {"DeleteRequest": {"Key": key}} for key in _all(client, request)
    ]
    batch_write(client, members_table, deletes)


def _all(client: DynamoDBClient, request: QueryInputTypeDef) -> list[Item]:
    """Every item a Query matches, page after page."""
    found: list[Item] = []
    while True:
        page = client.query(**request)
        found += page["Items"]
        if "LastEvaluatedKey" not in page:
            return found
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _by_user(members_table: str, user_id: str) -> QueryInputTypeDef:
    return {
        "TableName": members_table,
        "IndexName": MEMBER_TEAMS_INDEX,
        "KeyConditionExpression": "userId = :user",
        "ExpressionAttributeValues": {":user": codec.value(user_id)},
        "ReturnConsumedCapacity": "TOTAL",
    }


def _new(table: str, item: Item) -> TransactWriteItemTypeDef:
    """A transactional Put that fails if the item's key is taken."""
    return {"Put": {"TableName": table, "Item": item, "ConditionExpression": _NEW}}


def _member_key(team_id: str, user_id: str) -> Item:
    return {"teamId": codec.value(team_id), "userId": codec.value(user_id)}


def _team_item(team: Team) -> Item:
    return codec.to_item(
        {
            "teamId": team.team_id,
            "name": team.name,
            "createdAt": codec.iso_time(team.created_at, field="created_at"),
            "joinCode": team.join_code,
            "joinCodeExpiresAt": codec.iso_time(
                team.join_code_expires_at, field="join_code_expires_at"
            ),
        }
    )


def _team(item: Mapping[str, AttributeValueTypeDef]) -> Team:
    v = codec.from_item(item)
    return Team(
        team_id=v["teamId"],
        name=v["name"],
        created_at=codec.parse_time(v["createdAt"]),
        join_code=v["joinCode"],
        join_code_expires_at=codec.parse_time(v["joinCodeExpiresAt"]),
    )


def _member_item(membership: Membership) -> Item:
    return codec.to_item(
        {
            "teamId": membership.team_id,
            "userId": membership.user_id,
            "role": membership.role,
            "joinedAt": codec.iso_time(membership.joined_at, field="joined_at"),
            "displayName": membership.display_name,
        }
    )


def _member(item: Mapping[str, AttributeValueTypeDef]) -> Membership:
    v = codec.from_item(item)
    return Membership(
        team_id=v["teamId"],
        user_id=v["userId"],
        role=v["role"],
        joined_at=codec.parse_time(v["joinedAt"]),
        display_name=v["displayName"],
    )
