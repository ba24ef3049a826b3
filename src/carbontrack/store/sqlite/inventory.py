"""The operations console's inventory in SQLite: tables `inventory_resources` (key `pk` +
`sk`, the DynamoDB data table's keys) and `inventory_scopes` (key `service` + `sk`).

Each write is one `BEGIN IMMEDIATE` transaction, so a scope is replaced atomically. Rows
whose `ttl` (epoch seconds) has passed are never returned, as DynamoDB's TTL would have
deleted them; the next refresh of their scope deletes them.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from carbontrack.domain.models import Page
from carbontrack.ops.model import Resource, Scope, ScopeStatus
from carbontrack.store import inventory_pages
from carbontrack.store.sqlite.codec import db_time, py_time
from carbontrack.store.sqlite.connection import Database

BACKEND = "sqlite-inventory"
_INSERT = """
    INSERT INTO inventory_resources
        (pk, sk, service, account_id, region, data, updated_at, ttl)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
"""
_STATUS = """
    INSERT INTO inventory_scopes
        (service, sk, account_id, region, updated_at, resource_count, state, error)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (service, sk) DO UPDATE SET
        updated_at = excluded.updated_at, resource_count = excluded.resource_count,
        state = excluded.state, error = excluded.error
"""
_RESOURCE_COLUMNS = "service, account_id, region, sk, data, updated_at"
_READ = f"""
    SELECT {_RESOURCE_COLUMNS} FROM inventory_resources
    WHERE pk = ? AND sk > ? AND ttl > ? ORDER BY sk LIMIT ?
"""  # noqa: S608 - constant column list
_SCOPE = f"""
    SELECT {_RESOURCE_COLUMNS} FROM inventory_resources WHERE pk = ? AND ttl > ? ORDER BY sk
"""  # noqa: S608 - constant column list
_STATUSES = """
    SELECT service, account_id, region, updated_at, resource_count, state, error
    FROM inventory_scopes WHERE service = ?
"""


class SqliteInventory:
    """`InventoryRepository` over `inventory_resources` and `inventory_scopes`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def replace_scope(self, status: ScopeStatus, resources: Sequence[Resource]) -> None:
        """Delete the scope's rows, insert `resources` and upsert its status: one transaction."""
        rows = [_row(resource) for resource in inventory_pages.checked(status, resources)]
        with self._db.write() as conn:
            conn.execute("DELETE FROM inventory_resources WHERE pk = ?", (status.scope.pk,))
            conn.executemany(_INSERT, rows)
            conn.execute(_STATUS, _status_row(status))

    def record_failure(self, status: ScopeStatus) -> None:
        """Upsert the scope's status only; its stored resources stay."""
        inventory_pages.checked(status, ())
        with self._db.write() as conn:
            conn.execute(_STATUS, _status_row(status))

    def list_resources(
        self,
        *,
        services: Sequence[str],
        account_id: str | None = None,
        region: str | None = None,
        limit: int = 100,
        cursor: str | None = None,
    ) -> Page[Resource]:
        """The statuses of `services`, then each matching scope's rows in id order."""
        scopes = inventory_pages.matching_scopes(
            self.statuses(services=services), account_id=account_id, region=region
        )
        return inventory_pages.page(scopes, self._read, backend=BACKEND, limit=limit, cursor=cursor)

    def scope_resources(self, scope: Scope) -> list[Resource]:
        """Every live resource of one scope, in id order."""
        rows = self._db.connection().execute(_SCOPE, (scope.pk, int(time.time()))).fetchall()
        return [_resource(row) for row in rows]

    def statuses(self, *, services: Sequence[str]) -> list[ScopeStatus]:
        """The status rows of `services`, ordered by service, account, region."""
        conn = self._db.connection()
        rows = [row for s in sorted(set(services)) for row in conn.execute(_STATUSES, (s,))]
        return inventory_pages.sorted_statuses(_status(row) for row in rows)

    def _read(self, scope: Scope, after: str | None, count: int) -> list[Resource]:
        """Up to `count` live resources of the scope after the id `after`."""
        params = (scope.pk, after or "", int(time.time()), count)
        rows = self._db.connection().execute(_READ, params).fetchall()
        return [_resource(row) for row in rows]


def _row(resource: Resource) -> tuple[Any, ...]:
    scope = resource.scope
    return (
        scope.pk,
        resource.resource_id,
        scope.service,
        scope.account_id,
        scope.region,
        inventory_pages.data_json(resource),
        db_time(resource.updated_at, field="updated_at"),
        resource.ttl,
    )


def _resource(row: Any) -> Resource:
    service, account_id, region, resource_id, data, updated_at = row
    return Resource(
        scope=Scope(service=service, account_id=account_id, region=region),
        resource_id=resource_id,
        data=inventory_pages.data_from_json(data),
        updated_at=py_time(updated_at),
    )


def _status_row(status: ScopeStatus) -> tuple[Any, ...]:
    scope = status.scope
    return (
        scope.service,
        scope.meta_sk,
        scope.account_id,
        scope.region,
        db_time(status.updated_at, field="updated_at"),
        status.resource_count,
        status.state,
        status.error,
    )


def _status(row: Any) -> ScopeStatus:
    service, account_id, region, updated_at, resource_count, state, error = row
    return ScopeStatus(
        scope=Scope(service=service, account_id=account_id, region=region),
        updated_at=py_time(updated_at),
        resource_count=resource_count,
        state="failed" if state == "failed" else "ok",
        error=error,
    )
