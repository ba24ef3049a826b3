"""Emission factors in DynamoDB: table `emission-factors`, key `factorId`.

The GSI `category-index` (category, factorId) lists one category. Dataset records
share the table as `factorId = "DATASET#<id>"`, `category = "_dataset"`, so `datasets()`
is one GSI Query; each record lists its factor ids so a reload can delete stale ones.

Factor ids never change meaning, so look-ups go through an in-process read-through
cache: `replace_dataset` clears it in this process, other processes see a reload after
at most `cache_ttl_s` seconds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Generic, TypeVar

from carbontrack.domain.errors import AlreadyExists, InvalidInput
from carbontrack.domain.models import Dataset, Factor
from carbontrack.store.dynamodb import codec
from carbontrack.store.dynamodb.batch import batch_get, batch_write
from carbontrack.store.dynamodb.errors import translated
from carbontrack.store.dynamodb.tables import CATEGORY_INDEX

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import QueryInputTypeDef, WriteRequestTypeDef

    from carbontrack.store.dynamodb.codec import Item

V = TypeVar("V")

CACHE_TTL_S = 300.0
_CACHE_MAX_ENTRIES = 4096  # past this the cache starts over: look-ups by arbitrary input
_DUPLICATE = "factor id is repeated or used by another dataset"


class DynamoFactors:
    """`FactorRepository` over the emission-factors table."""

    def __init__(
        self,
        client: DynamoDBClient,
        *,
        table: str,
        cache_ttl_s: float = CACHE_TTL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._table = table
        self._factors: _TtlCache[Factor] = _TtlCache(cache_ttl_s, clock)
        self._categories: _TtlCache[list[Factor]] = _TtlCache(cache_ttl_s, clock)

    @translated
    def replace_dataset(self, dataset: Dataset, factors: Sequence[Factor]) -> None:
        """Load (or reload) one dataset: convergent, not atomic.

        Every check runs before any write. Then the factors are batch-put, factors the
        dataset no longer has are batch-deleted, and the dataset record, which holds
        the checksum, is written last: after a crash the old checksum is still there,
        so the next catalogue sync does the whole load again.
        """
        if any(factor.dataset != dataset.dataset_id for factor in factors):
            raise InvalidInput("every factor must belong to the dataset", field="factors")
        ids = [factor.factor_id for factor in factors]
        if any(factor_id.startswith(codec.DATASET_PREFIX) for factor_id in ids):
            raise InvalidInput("invalid factor id", field="factor_id")
        if len(set(ids)) < len(ids) or self._owned_elsewhere(ids, dataset.dataset_id):
            raise AlreadyExists(_DUPLICATE, field="factor_id")
        items = [codec.factor_item(factor) for factor in factors]
        stale = set(self._previous_ids(dataset.dataset_id)) - set(ids)
        try:
            puts: list[WriteRequestTypeDef] = [{"PutRequest": {"Item": item}} for item in items]
            batch_write(self._client, self._table, puts)
            deletes: list[WriteRequestTypeDef] = [
                {"DeleteRequest": {"Key": {"factorId": codec.value(factor_id)}}}
                for factor_id in sorted(stale)
            ]
            batch_write(self._client, self._table, deletes)
            self._client.put_item(
                TableName=self._table,
                Item=codec.dataset_item(dataset, ids),
                ReturnConsumedCapacity="TOTAL",
            )
        finally:
            self._factors.clear()
            self._categories.clear()

    @translated
    def datasets(self) -> list[Dataset]:
        """Every loaded dataset, by id: one GSI Query on the "_dataset" partition."""
        items = self._query_category(codec.DATASET_CATEGORY)
        return sorted(map(codec.dataset_from, items), key=lambda d: d.dataset_id)

    @translated
    def checksums(self, dataset_ids: Sequence[str]) -> dict[str, str]:
        """The checksum of each of these datasets that is loaded: one BatchGetItem."""
        keys = [codec.dataset_key(dataset_id) for dataset_id in dataset_ids]
        names = {"#id": "datasetId", "#sha": "sha256"}
        items = batch_get(self._client, self._table, keys, projection="#id, #sha", names=names)
        return {v["datasetId"]: v["sha256"] for v in map(codec.from_item, items)}

    @translated
    def get(self, factor_id: str) -> Factor | None:
        """One factor by id: cached, else one GetItem."""
        if factor_id.startswith(codec.DATASET_PREFIX):
            return None
        cached = self._factors.get(factor_id)
        if cached is not None:
            return cached
        response = self._client.get_item(
            TableName=self._table,
            Key={"factorId": codec.value(factor_id)},
            ConsistentRead=True,
            ReturnConsumedCapacity="TOTAL",
        )
        item = response.get("Item")
        if item is None:
            return None  # misses are not cached: a dataset loaded elsewhere shows at once
        factor = codec.factor_from(item)
        self._factors.put(factor_id, factor)
        return factor

    @translated
    def list_by_category(self, category: str) -> list[Factor]:
        """Every factor of one category, by activity: cached, else a paginated GSI Query."""
        if category == codec.DATASET_CATEGORY:
            return []
        cached = self._categories.get(category)
        if cached is None:
            factors = map(codec.factor_from, self._query_category(category))
            cached = sorted(factors, key=lambda f: (f.activity, f.factor_id))
            self._categories.put(category, cached)
        return list(cached)

    def _query_category(self, category: str) -> list[Item]:
        request: QueryInputTypeDef = {
            "TableName": self._table,
            "IndexName": CATEGORY_INDEX,
            "KeyConditionExpression": "category = :category",
            "ExpressionAttributeValues": {":category": codec.value(category)},
            "ReturnConsumedCapacity": "TOTAL",
        }
        items: list[Item] = []
        while True:
            page = self._client.query(**request)
            items += page["Items"]
            last = page.get("LastEvaluatedKey")
            if last is None:
                return items
            request["ExclusiveStartKey"] = last

    def _owned_elsewhere(self, factor_ids: list[str], dataset_id: str) -> bool:
        """True if a stored factor with one of these ids belongs to another dataset."""
        keys = [{"factorId": codec.value(factor_id)} for factor_id in factor_ids]
        stored = batch_get(
            self._client, self._table, keys, projection="#ds", names={"#ds": "dataset"}
        )
        return any(codec.from_item(item)["dataset"] != dataset_id for item in stored)

    def _previous_ids(self, dataset_id: str) -> list[str]:
        response = self._client.get_item(
            TableName=self._table,
            Key=codec.dataset_key(dataset_id),
            ConsistentRead=True,
            ReturnConsumedCapacity="TOTAL",
        )
        item = response.get("Item")
        return [] if item is None else codec.dataset_factor_ids(item)


class _TtlCache(Generic[V]):
    """A thread-safe map whose entries expire `ttl_s` seconds after they were put."""

    def __init__(self, ttl_s: float, clock: Callable[[], float]) -> None:
        self._ttl_s = ttl_s
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, V]] = {}

    def get(self, key: str) -> V | None:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            expires, value = found
            if self._clock() >= expires:
                del self._entries[key]
                return None
            return value

    def put(self, key: str, value: V) -> None:
        with self._lock:
            if len(self._entries) >= _CACHE_MAX_ENTRIES:
                self._entries.clear()
            self._entries[key] = (self._clock() + self._ttl_s, value)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
