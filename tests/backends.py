"""The store backends every test tier can run against, and how to build a fresh one."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.responses import DynamoHandler

from carbontrack.store.base import Store
from carbontrack.store.dynamodb import DynamoStore
from carbontrack.store.dynamodb.tables import create_tables
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
    store = DynamoStore(region=AWS_REGION, prefix=f"t{digest}-")
    create_tables(store.client, store.prefix)
    return store


# One line per backend: build a fresh, empty store that keeps its state under `directory`.
# Opening the same directory again must reopen the same data.
STORE_FACTORIES: dict[str, StoreFactory] = {
    "sqlite": lambda directory: SqliteStore(directory / "carbontrack.sqlite3"),
    "dynamodb": dynamodb_store,
}
