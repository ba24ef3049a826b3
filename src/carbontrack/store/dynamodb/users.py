"""Users in DynamoDB: table `users`, partition key `userId` (see `tables.USERS`).

A user is two items written in one transaction: the user item (`userId` = its id)
and the email item (`userId` = "EMAIL#<email lower-cased>", a full copy plus
`ownerId`). Both Puts carry `attribute_not_exists(userId)`, so two registrations of one
email cannot both commit, and `get_by_email` is a single strongly consistent GetItem.
A GSI on email could do neither: GSIs enforce no uniqueness and are eventually consistent.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from carbontrack.domain.errors import AlreadyExists, Conflict, NotFound
from carbontrack.domain.models import User
from carbontrack.store.changes import profile_changes
from carbontrack.store.dynamodb import codec
from carbontrack.store.dynamodb.achievements import purge as purge_achievements
from carbontrack.store.dynamodb.baselines import purge_baseline
from carbontrack.store.dynamodb.batch import batch_get, batch_write, chunks, transact_write
from carbontrack.store.dynamodb.errors import (
    CONDITION_FAILED,
    DynamoStoreError,
    store_error,
    translated,
)
from carbontrack.store.dynamodb.goals import purge_goals
from carbontrack.store.dynamodb.rollups import purge as purge_rollups
from carbontrack.store.dynamodb.teams import purge_memberships
from carbontrack.store.dynamodb.updates import Expression

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        DeleteTypeDef,
        PutTypeDef,
        QueryInputTypeDef,
        ScanInputTypeDef,
        TransactWriteItemTypeDef,
        UpdateTypeDef,
        WriteRequestTypeDef,
    )

    from carbontrack.store.dynamodb.codec import Item

_NEW = "attribute_not_exists(userId)"
_OWNED = "ownerId = :owner"
_RESTORE_CHUNK = 33  # users per transaction: at most 3 actions each, 100 per transaction
_USERS_ONLY = "NOT begins_with(userId, :email) AND NOT begins_with(userId, :login)"


class DynamoUsers:
    """`UserRepository` over the users table; `delete` also purges entries and rollups."""

    def __init__(
        self,
        client: DynamoDBClient,
        *,
        table: str,
        entries_table: str,
        team_members_table: str | None = None,
        rollups_table: str | None = None,
        goals_table: str | None = None,
        achievements_table: str | None = None,
        actions_table: str | None = None,
        baselines_table: str | None = None,
    ) -> None:
        self._client = client
        self._table = table
        self._entries_table = entries_table
        self._team_members_table = team_members_table
        self._rollups_table = rollups_table
        self._goals_table = goals_table
        self._achievements_table = achievements_table
        self._actions_table = actions_table
        self._baselines_table = baselines_table

    @translated
    def add(self, user: User) -> None:
        """Insert the user and its email item in one transaction; `AlreadyExists` if taken."""
        codec.check_user_id(user.user_id)
        actions = [
            self._put(codec.user_item(user), _NEW),
            self._put(codec.email_item(user), _NEW),
        ]
        codes = transact_write(self._client, actions)
        if codes is None or (CONDITION_FAILED in codes and self.get(user.user_id) == user):
            return  # a repeat of this very registration, whose answer was lost (see entries.add)
        if codes[0] == CONDITION_FAILED:
            raise AlreadyExists("user already exists", field="user_id")
        if codes[1] == CONDITION_FAILED:
            raise AlreadyExists("email already registered", field="email")
        raise DynamoStoreError(f"registration was cancelled: {codes}")

    @translated
    def get(self, user_id: str) -> User | None:
        """Return the user with this id, or None (one GetItem)."""
        item = None if codec.is_reserved(user_id) else self._get_item(user_id)
        return None if item is None else codec.user_from(item)

    @translated
    def get_by_email(self, email: str) -> User | None:
        """Look up by email ignoring case (one GetItem of the email item)."""
        item = self._get_item(codec.email_key(email))
        return None if item is None else codec.user_from(item)

    @translated
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
        """GetItem (for the email item's key), then one transaction of two UpdateItems.

        The user item and its copy, the email item, get the same SET/REMOVE of the given
        fields and nothing else; `NotFound` if the user is gone.
        """
        changed = profile_changes(
            name=name,
            country=country,
            time_zone=time_zone,
            clear_country=clear_country,
            distance_unit=distance_unit,
        )
        stored = self._stored(user_id)
        if not changed:
            return stored
        update = _profile_update(changed)
        email_key = codec.email_key(stored.email)
        actions = [
            self._update(user_id, update, "email = :email", email=stored.email),
            self._update(email_key, update, _OWNED, owner=user_id),
        ]
        if transact_write(self._client, actions) is not None:
            raise NotFound("user not found", field="user_id")  # deleted since it was read
        return replace(
            stored,
            name=changed.get("name") or stored.name,
            country=changed.get("country", stored.country),
            time_zone=changed.get("time_zone") or stored.time_zone,
            distance_unit=changed.get("distance_unit") or stored.distance_unit,
        )

    @translated
    def change_password(
        self, user_id: str, *, password_hash: str, expected_token_version: int
    ) -> int:
        """GetItem, then one transaction: both items SET the hash and ADD 1 to the version.

        Each is conditional on `tokenVersion` still being the one expected, so of two
        password changes from one version only one commits.
        """
        stored = self._stored(user_id)
        if stored.token_version != expected_token_version:
            raise _password_conflict()
        values = {":hash": codec.value(password_hash), ":one": codec.value(1)}
        update = Expression("SET passwordHash = :hash ADD tokenVersion :one", {}, values)
        same = "tokenVersion = :expected"
        email_key = codec.email_key(stored.email)
        version = expected_token_version
        actions = [
            self._update(
                user_id, update, f"{same} AND email = :email", email=stored.email, expected=version
            ),
            self._update(
                email_key, update, f"{same} AND {_OWNED}", owner=user_id, expected=version
            ),
        ]
        if transact_write(self._client, actions) is None:
            return expected_token_version + 1
        self._stored(user_id)  # NotFound if the user went meanwhile
        raise _password_conflict()

    @translated
    def set_operator(self, user_id: str, operator: bool) -> User:
        """GetItem, then one transaction SETting (or REMOVEing) `operator` on both items."""
        stored = self._stored(user_id)
        names = {"#operator": "operator"}  # a DynamoDB reserved word
        update = (
            Expression("SET #operator = :operator", names, {":operator": codec.value(True)})
            if operator
            else Expression("REMOVE #operator", names, {})
        )
        actions = [
            self._update(user_id, update, "email = :email", email=stored.email),
            self._update(codec.email_key(stored.email), update, _OWNED, owner=user_id),
        ]
        if transact_write(self._client, actions) is not None:
            raise NotFound("user not found", field="user_id")  # deleted since it was read
        return replace(stored, operator=operator)

    @translated
    def delete(self, user_id: str) -> None:
        """Delete the user and its email item atomically, then purge its entries.

        The purge runs after the account is gone; deleting an absent user purges again,
        so repeating a delete that stopped half-way finishes it (and says `NotFound`).
        """
        if codec.is_reserved(user_id):
            raise NotFound("user not found", field="user_id")
        item = self._get_item(user_id)
        if item is not None:
            owner = codec.user_from(item)
            actions: list[TransactWriteItemTypeDef] = [
                self._delete(user_id, "attribute_exists(userId)"),
                self._delete(codec.email_key(owner.email), _OWNED, owner=user_id),
            ]
            codes = transact_write(self._client, actions)
            if codes is None:
                self._purge_entries(user_id)
                self._purge_memberships(user_id)
                self._purge_goals(user_id)
                self._purge_achievements(user_id)
                self._purge_baseline(user_id)
                return
            if codes[0] != CONDITION_FAILED:
                raise DynamoStoreError(f"account deletion was cancelled: {codes}")
        self._purge_entries(user_id)
        self._purge_memberships(user_id)
        self._purge_goals(user_id)
        self._purge_achievements(user_id)
        self._purge_baseline(user_id)
        raise NotFound("user not found", field="user_id")

    def _purge_achievements(self, user_id: str) -> None:
        """Remove the user's awards and action commitments."""
        if self._achievements_table is not None and self._actions_table is not None:
            purge_achievements(
                self._client,
                user_id,
                achievements_table=self._achievements_table,
                actions_table=self._actions_table,
            )

    def _purge_baseline(self, user_id: str) -> None:
        """Remove the user's baseline footprint."""
        if self._baselines_table is not None:
            purge_baseline(self._client, self._baselines_table, user_id)

    def _purge_goals(self, user_id: str) -> None:
        """Remove the user's own goals (a team's goals belong to the team)."""
        if self._goals_table is not None:
            purge_goals(self._client, self._goals_table, user_id)

    def _purge_memberships(self, user_id: str) -> None:
        """Remove the user's team memberships (ownership was handed on by the service)."""
        if self._team_members_table is not None:
            purge_memberships(self._client, self._team_members_table, user_id)

    def scan_all(self) -> Iterator[User]:
        """Every user, in no set order: a paginated, consistent Scan (backups only)."""
        request: ScanInputTypeDef = {
            "TableName": self._table,
            "FilterExpression": _USERS_ONLY,
            "ExpressionAttributeValues": {
                ":email": codec.value(codec.EMAIL_PREFIX),
                ":login": codec.value(codec.LOGIN_PREFIX),
            },
            "ConsistentRead": True,
            "ReturnConsumedCapacity": "TOTAL",
        }
        while True:
            try:
                page = self._client.scan(**request)
            except (ClientError, BotoCoreError) as exc:
                raise store_error(exc) from exc
            yield from (codec.user_from(item) for item in page["Items"])
            if "LastEvaluatedKey" not in page:
                return
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    @translated
    def put_many(self, users: Sequence[User]) -> None:
        """Write users as given, replacing same ids (restore; safe to repeat).

        33 users per transaction, so a long restore is not atomic as a whole, but
        repeating it converges. `AlreadyExists` if an email belongs to another user id.
        """
        latest = list({user.user_id: user for user in users}.values())  # last one wins
        owners: dict[str, str] = {}
        for user in latest:
            codec.check_user_id(user.user_id)
            if owners.setdefault(codec.email_key(user.email), user.user_id) != user.user_id:
                raise AlreadyExists("email already registered", field="email")
        for chunk in chunks(latest, _RESTORE_CHUNK):
            self._restore(chunk, owners)

    def _restore(self, chunk: Sequence[User], owners: dict[str, str]) -> None:
        keys = [{"userId": codec.value(user.user_id)} for user in chunk]
        stored = {
            u.user_id: u for u in map(codec.user_from, batch_get(self._client, self._table, keys))
        }
        actions: list[TransactWriteItemTypeDef] = []
        for user in chunk:
            actions.append(self._put(codec.user_item(user)))
            old = stored.get(user.user_id)
            old_key = None if old is None else codec.email_key(old.email)
            if old_key is not None and old_key != codec.email_key(user.email):
                if old_key in owners:  # another restored user takes this email over
                    raise AlreadyExists("email already registered", field="email")
                actions.append(self._delete(old_key, _OWNED, owner=user.user_id))
            taken_by_other = f"attribute_not_exists(userId) OR {_OWNED}"
            actions.append(self._put(codec.email_item(user), taken_by_other, owner=user.user_id))
        codes = transact_write(self._client, actions)
        if codes is not None:
            if CONDITION_FAILED in codes:
                raise AlreadyExists("email already registered", field="email")
            raise DynamoStoreError(f"restore was cancelled: {codes}")

    def _stored(self, user_id: str) -> User:
        """The user as stored now (one consistent GetItem); `NotFound` if absent."""
        item = None if codec.is_reserved(user_id) else self._get_item(user_id)
        if item is None:
            raise NotFound("user not found", field="user_id")
        return codec.user_from(item)

    def _update(
        self, key: str, update: Expression, condition: str, **values: str | int
    ) -> TransactWriteItemTypeDef:
        action: UpdateTypeDef = {
            "TableName": self._table,
            "Key": {"userId": codec.value(key)},
            "UpdateExpression": update.text,
            "ConditionExpression": condition,
            "ExpressionAttributeValues": {**update.values, **_values(values)},
        }
        if update.names:
            action["ExpressionAttributeNames"] = update.names
        return {"Update": action}

    def _purge_entries(self, user_id: str) -> None:
        """Delete every entry of one user, then their totals: keys-only Queries, batches."""
        self._purge_entry_items(user_id)
        if self._rollups_table is not None:
            purge_rollups(self._client, self._rollups_table, user_id)

    def _purge_entry_items(self, user_id: str) -> None:
        """Delete every item of the user's entries partition: its entries and their id guards."""
        request: QueryInputTypeDef = {
            "TableName": self._entries_table,
            "KeyConditionExpression": "userId = :user",
            "ExpressionAttributeValues": {":user": codec.value(user_id)},
            "ProjectionExpression": "userId, #ts",
            "ExpressionAttributeNames": {"#ts": "timestamp"},
            "ConsistentRead": True,
            "ReturnConsumedCapacity": "TOTAL",
        }
        while True:
            page = self._client.query(**request)
            deletes: list[WriteRequestTypeDef] = [
                {"DeleteRequest": {"Key": key}} for key in page["Items"]
            ]
            batch_write(self._client, self._entries_table, deletes)
            if "LastEvaluatedKey" not in page:
                return
            request["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def _get_item(self, user_id: str) -> Item | None:
        response = self._client.get_item(
            TableName=self._table,
            Key={"userId": codec.value(user_id)},
            ConsistentRead=True,
            ReturnConsumedCapacity="TOTAL",
        )
        return response.get("Item")

    def _put(
        self, item: Item, condition: str | None = None, **values: str
    ) -> TransactWriteItemTypeDef:
        put: PutTypeDef = {"TableName": self._table, "Item": item}
        if condition is not None:
            put["ConditionExpression"] = condition
        if values:
            put["ExpressionAttributeValues"] = _values(values)
        return {"Put": put}

    def _delete(self, user_id: str, condition: str, **values: str) -> TransactWriteItemTypeDef:
        delete: DeleteTypeDef = {
            "TableName": self._table,
            "Key": {"userId": codec.value(user_id)},
            "ConditionExpression": condition,
        }
        if values:
            delete["ExpressionAttributeValues"] = _values(values)
        return {"Delete": delete}


# Profile fields and their attributes; names go through placeholders ("name" is reserved).
_PROFILE_ATTRIBUTES = {
    "name": "name",
    "country": "country",
    "time_zone": "timeZone",
    "distance_unit": "distanceUnit",
}


def _profile_update(changed: dict[str, str | None]) -> Expression:
    """SET the given profile fields, REMOVE those set to None (a cleared country)."""
    names = {f"#{field}": _PROFILE_ATTRIBUTES[field] for field in changed}
    values = {f":{field}": codec.value(v) for field, v in changed.items() if v is not None}
    sets = ", ".join(f"#{field} = :{field}" for field, v in changed.items() if v is not None)
    removes = ", ".join(f"#{field}" for field, v in changed.items() if v is None)
    expression = " ".join(
        clause for clause in (sets and f"SET {sets}", removes and f"REMOVE {removes}") if clause
    )
    return Expression(expression, names, values)


def _password_conflict() -> Conflict:
    return Conflict(
        "the password was changed by another request meanwhile; sign in again with it",
        field="currentPassword",
    )


def _values(values: Mapping[str, str | int]) -> Item:
    return {f":{name}": codec.value(v) for name, v in values.items()}
