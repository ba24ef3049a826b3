"""The operations console's inventory in DynamoDB, under the inherited dashboard's keys.

`aws-inventory-data`: partition `pk` = `service#accountId#region`, sort `sk` = resource id;
`service`, `accountId`, `region`, `resourceId`, `data` (the resource as JSON text),
`updatedAt` (fixed-width ISO 8601 UTC) and `ttl` (epoch seconds, updatedAt + 90 days).
`aws-inventory-metadata`: partition `service`, sort `sk` = `accountId#region`; `accountId`,
`region`, `updatedAt`, `resourceCount`, `state` and `error` (only when failed).

`replace_scope` is a keys-only Query of the scope, BatchWriteItem puts of the resources and
deletes of the ids gone, then a PutItem of the metadata row. Not atomic, but each write is
idempotent: a crash part-way leaves some new resources beside some stale ones and the old
metadata row, and the next refresh of the scope repairs all of it. No method scans; TTL
deletes lazily, so reads also filter out items whose `ttl` has passed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from carbontrack.domain.models import Page
from carbontrack.ops.model import Resource, Scope, ScopeStatus
from carbontrack.store import inventory_pages
from carbontrack.store.dynamodb import codec
from carbontrack.store.dynamodb.batch import batch_write
from carbontrack.store.dynamodb.errors import translated

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import QueryInputTypeDef, WriteRequestTypeDef

    from carbontrack.store.dynamodb.codec import Item

BACKEND = "dynamodb-inventory"
_LIVE = "#ttl > :now"


class DynamoInventory:
    """`InventoryRepository` over the two inventory tables."""

    def __init__(self, client: DynamoDBClient, *, data_table: str, metadata_table: str) -> None:
        self._client = client
        self._data = data_table
        self._metadata = metadata_table

    @translated
    def replace_scope(self, status: ScopeStatus, resources: Sequence[Resource]) -> None:
        """Query the scope's ids, BatchWrite puts and deletes, then put the metadata row."""
        fresh = inventory_pages.checked(status, resources)
        stored = {codec.from_item(item)["sk"] for item in self._query(status.scope, keys_only=True)}
        kept = {resource.resource_id for resource in fresh}
        requests: list[WriteRequestTypeDef] = [
            {"PutRequest": {"Item": _data_item(resource)}} for resource in fresh
        ]
        requests += [
            {"DeleteRequest": {"Key": _key(status.scope, sk)}} for sk in sorted(stored - kept)
        ]
        batch_write(self._client, self._data, requests)
        self._put_status(status)

    @translated
    def record_failure(self, status: ScopeStatus) -> None:
        """Put the metadata row only (one PutItem); the stored resources stay."""
        inventory_pages.checked(status, ())
        self._put_status(status)

    @translated
    def list_resources(
        self,
        *,
        services: Sequence[str],
        account_id: str | None = None,
        region: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> Page[Resource]:
        """One Query per service's metadata, then Queries of the matching scopes, in order."""
        scopes = inventory_pages.matching_scopes(
            self.statuses(services=services), account_id=account_id, region=region
        )
        return inventory_pages.page(scopes, self._read, backend=BACKEND, limit=limit, cursor=cursor)

    @translated
    def scope_resources(self, scope: Scope) -> list[Resource]:
        """Every live resource of one scope (one paginated Query)."""
        return [_resource(item) for item in self._query(scope)]

    @translated
    def statuses(self, *, services: Sequence[str]) -> list[ScopeStatus]:
        """One paginated Query of the metadata partition of each service."""
        found: list[ScopeStatus] = []
        for service in sorted(set(services)):
            request: QueryInputTypeDef = {
                "TableName": self._metadata,
                "KeyConditionExpression": "service = :service",
                "ExpressionAttributeValues": {":service": codec.value(service)},
                "ConsistentRead": True,
                "ReturnConsumedCapacity": "TOTAL",
            }
            found += [_status(item) for item in _pages(self._client, request)]
        return inventory_pages.sorted_statuses(found)

    def _read(self, scope: Scope, after: str | None, count: int) -> list[Resource]:
        """Up to `count` live resources of the scope after the id `after`."""
        found: list[Resource] = []
        for item in self._query(scope, after=after, page_size=count):
            found.append(_resource(item))
            if len(found) == count:
                break
        return found

    def _query(
        self,
        scope: Scope,
        *,
        after: str | None = None,
        keys_only: bool = False,
        page_size: int | None = None,
    ) -> Iterator[Item]:
        """The scope's items in id order (live ones only, unless `keys_only`)."""
        condition = "pk = :pk" if after is None else "pk = :pk AND sk > :after"
        values: Item = {":pk": codec.value(scope.pk)}
        if after is not None:
            values[":after"] = codec.value(after)
        request: QueryInputTypeDef = {
            "TableName": self._data,
            "KeyConditionExpression": condition,
            "ConsistentRead": True,
            "ReturnConsumedCapacity": "TOTAL",
        }
        if keys_only:
            # Expired items too: they are the scope's, and deleting them early is harmless.
            request["ProjectionExpression"] = "sk"
        else:
            request["FilterExpression"] = _LIVE
            request["ExpressionAttributeNames"] = {"#ttl": "ttl"}
            values[":now"] = codec.value(int(time.time()))
        if page_size is not None:
            request["Limit"] = page_size
        request["ExpressionAttributeValues"] = values
        return _pages(self._client, request)

    def _put_status(self, status: ScopeStatus) -> None:
        self._client.put_item(
            TableName=self._metadata, Item=_status_item(status), ReturnConsumedCapacity="TOTAL"
        )


def _pages(client: DynamoDBClient, request: QueryInputTypeDef) -> Iterator[Item]:
    """Every item a Query returns, page after page."""
    while True:
        page = client.query(**request)
        yield from page["Items"]
        if "LastEvaluatedKey" not in page:
            return
        request["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _key(scope: Scope, resource_id: str) -> Item:
    return {"pk": codec.value(scope.pk), "sk": codec.value(resource_id)}


def _data_item(resource: Resource) -> Item:
    scope = resource.scope
    return codec.to_item(
        {
            "pk": scope.pk,
            "sk": resource.resource_id,
            "service": scope.service,
            "accountId": scope.account_id,
            "region": scope.region,
            "resourceId": resource.resource_id,
            "data": inventory_pages.data_json(resource),
            "updatedAt": codec.iso_time(resource.updated_at, field="updated_at"),
            "ttl": resource.ttl,
        }
    )


def _resource(item: Item) -> Resource:
    v = codec.from_item(item)
    return Resource(
        scope=Scope(service=v["service"], account_id=v["accountId"], region=v["region"]),
        resource_id=v["resourceId"],
        data=inventory_pages.data_from_json(v["data"]),
        updated_at=codec.parse_time(v["updatedAt"]),
    )


def _status_item(status: ScopeStatus) -> Item:
    scope = status.scope
    return codec.to_item(
        {
            "service": scope.service,
            "sk": scope.meta_sk,
            "accountId": scope.account_id,
            "region": scope.region,
            "updatedAt": codec.iso_time(status.updated_at, field="updated_at"),
            "resourceCount": status.resource_count,
            "state": status.state,
            "error": status.error,
        }
    )


def _status(item: Item) -> ScopeStatus:
    v = codec.from_item(item)
    return ScopeStatus(
        scope=Scope(service=v["service"], account_id=v["accountId"], region=v["region"]),
        updated_at=codec.parse_time(v["updatedAt"]),
        resource_count=int(v["resourceCount"]),
        state="failed" if v["state"] == "failed" else "ok",
        error=v.get("error"),
    )
