"""The store backends every test tier can run against, and how to build a fresh one."""

from __future__ import annotations

import copy
import hashlib
import pickle
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest import mock

from moto.backends import get_backend
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.routing import ProtocolRouter, ServiceOperationRouter
from moto.dynamodb import models as moto_dynamodb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.dynamodb.responses import DynamoHandler

from carbontrack.store.base import Store
from carbontrack.store.dynamodb import DynamoStore
from carbontrack.store.dynamodb.tables import TABLES, create_tables
from carbontrack.store.sqlite import SqliteStore

StoreFactory = Callable[[Path], Store]

AWS_REGION = "eu-central-1"
FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": AWS_REGION,
}
moto_active: list[bool] = []  # set while the session's in-process moto runs
_moto_lock = threading.RLock()


def serialized_moto_dynamodb() -> Callable[[DynamoHandler], object]:
    """moto's DynamoDB request handler, one request at a time.

    moto's backend takes no locks: a TransactWriteItems deep-copies the tables while
    another thread's request changes them ("dictionary changed size during iteration").
    DynamoDB itself serves concurrent requests; the tests of concurrency run against a
    single-threaded moto server (tests/store/test_dynamodb_concurrency.py).
    """
    handle = DynamoHandler.call_action

    def call_action(self: DynamoHandler) -> object:
        with _moto_lock:
            return handle(self)

    return call_action


_router_lock = threading.Lock()


def routers_built_one_at_a_time() -> Callable[[ServiceOperationRouter, str], ProtocolRouter]:
    """moto's per-service URL router, built by one thread at a time.

    moto builds a service's router on its first request: a werkzeug `Map` whose rules compile
    their URL builders through `ast.parse` and `compile`. CPython 3.11 keeps the AST
    constructor's recursion depth in per-interpreter state, so two threads building at once
    can fail with "SystemError: AST constructor recursion depth mismatch" (python/cpython
    gh-106905): an inventory refresh on 4 threads lost its Lambda scope to it once in CI.
    Building takes the lock; routing a request once built does not.
    """
    build = ServiceOperationRouter._get_router

    def get_router(self: ServiceOperationRouter, protocol: str) -> ProtocolRouter:
        with _router_lock:
            return build(self, protocol)

    return get_router


def one_backup_per_table() -> Callable[[DynamoDBBackend, list[dict[str, Any]]], None]:
    """moto's TransactWriteItems, backing up each table it writes once, not once per action.

    moto 5.2 deep-copies a table for every action naming it, before running any (to roll
    back on a cancellation), so a 100-action import into a table of 1,500 entries copies those
    entries 100 times: the history test of tests/api/test_dynamodb_calls.py spent a minute
    on it. Nothing changes the tables between those copies, so one copy of each serves, and
    the transaction does exactly what moto's does. Runs under `serialized_moto_dynamodb`.
    """
    transact = DynamoDBBackend.transact_write_items

    def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        backups: dict[int, Table] = {}

        def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
            if not isinstance(value, Table):
                return copy.deepcopy(value, memo)
            if id(value) not in backups:
                backups[id(value)] = copy.deepcopy(value, memo)
            return backups[id(value)]

        with mock.patch.object(moto_dynamodb_models, "copy", SimpleNamespace(deepcopy=deepcopy)):
            transact(self, transact_items)

    return transact_write_items


def canonical_moto_numbers() -> dict[str, Callable[[DynamoType, DynamoType], DynamoType]]:
    """moto's number `ADD` / `-`, with results written as DynamoDB writes numbers.

    DynamoDB stores numbers canonically (no exponent, no trailing zeros: 2.131000000 -
    2.131000000 is "0"). moto 5.2 writes `str(Decimal)`, so that sum becomes "0E-9", which its
    own next `ADD` cannot parse ("invalid literal for int()"), cancelling a transaction that
    DynamoDB would run. Found by the rollups property test. Returns the replacements for
    `DynamoType.__add__` and `__sub__`.
    """
    patched: dict[str, Callable[[DynamoType, DynamoType], DynamoType]] = {}
    for name in ("__add__", "__sub__"):
        original = getattr(DynamoType, name)

        def operation(
            self: DynamoType,
            other: DynamoType,
            original: Callable[[DynamoType, DynamoType], DynamoType] = original,
        ) -> DynamoType:
            result = original(self, other)
            if result.is_number():
                result.value = _canonical_number(str(result.value))
            return result

        patched[name] = operation
    return patched


def _canonical_number(text: str) -> str:
    number = Decimal(text)
    return "0" if number.is_zero() else format(number.normalize(), "f")


def dynamodb_store(directory: Path) -> DynamoStore:
    """A DynamoStore on the in-process moto, its tables named after `directory`.

    One moto serves the session; each directory gets its own table prefix, so a new
    directory is a fresh, empty store and the same directory reopens the same tables.
    """
    if not moto_active:
        raise RuntimeError("request the aws_moto fixture first: never call real AWS from tests")
    digest = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:16]
    # Prefixed inherited tables too (aws-inventory-*), so no two stores share a table.
    store = DynamoStore(region=AWS_REGION, prefix=f"t{digest}-", inherited_names=False)
    create_tables(store.client, store.prefix, inherited_names=False)
    return store


# Table suffix -> the items moto holds in that table (pickled), for the tables that have any.
TableItems = dict[str, bytes]


def _moto_table(name: str) -> Table:
    table: Table = get_backend("dynamodb")[DEFAULT_ACCOUNT_ID][AWS_REGION].get_table(name)
    return table


def snapshot_tables(store: DynamoStore) -> TableItems:
    """The items of every table of an in-process moto store, to copy into fresh stores."""
    snapshot: TableItems = {}
    for spec in TABLES:
        items = _moto_table(spec.name(store.prefix, inherited_names=False)).items
        if items:
            snapshot[spec.suffix] = pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL)
    return snapshot


def restore_tables(store: DynamoStore, snapshot: TableItems) -> None:
    """Give the (empty) tables of an in-process moto store the items of `snapshot_tables`.

    Each call unpickles its own copy of the items: a test that changes them changes only its
    own store, never the snapshot.
    """
    for suffix, items in snapshot.items():
        table = _moto_table(store.prefix + suffix)
        if table.items:
            raise RuntimeError(f"{table.name} is not empty: restore into a fresh store only")
        # S301: these bytes are this process's own snapshot_tables output, never outside input.
        table.items = pickle.loads(items)  # noqa: S301


def dynamodb_store_with(directory: Path, snapshot: TableItems) -> DynamoStore:
    """A fresh store of `dynamodb_store` whose tables hold a copy of the snapshot's items."""
    store = dynamodb_store(directory)
    restore_tables(store, snapshot)
    return store


# One line per backend: build a fresh, empty store that keeps its state under `directory`.
# Opening the same directory again must reopen the same data.
STORE_FACTORIES: dict[str, StoreFactory] = {
    "sqlite": lambda directory: SqliteStore(directory / "carbontrack.sqlite3"),
    "dynamodb": dynamodb_store,
}
