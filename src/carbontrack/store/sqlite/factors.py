"""Emission factors in SQLite: tables `datasets` (key `dataset_id`) and `factors`.

`factors` is keyed by `factor_id`, indexed by `(category, activity)` for look-ups
and by `dataset` so a reload can replace one dataset's rows.

`list_by_category` keeps each category's factors in memory while the loaded datasets stay
the same: every call reads the datasets' ids and checksums (a handful of rows), and a
reload in any process changes a checksum; a reload in this process also empties the cache.
A search used to read and build all 1,100 factors on every request (issue 18).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from typing import Any

from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.models import Dataset, Factor
from carbontrack.store.sqlite.codec import integrity_error
from carbontrack.store.sqlite.connection import Database

_UPSERT_DATASET = """
    INSERT INTO datasets (
        dataset_id, name, provider, version, source_url, licence, attribution, file, sha256
    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (dataset_id) DO UPDATE SET
        name = excluded.name, provider = excluded.provider, version = excluded.version,
        source_url = excluded.source_url, licence = excluded.licence,
        attribution = excluded.attribution, file = excluded.file, sha256 = excluded.sha256
"""
_INSERT_FACTOR = """
    INSERT INTO factors (
        factor_id, category, activity, unit, unit_type, co2e_kg_per_unit, region, source,
        dataset, year, licence
    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_SELECT_FACTOR = """
    SELECT
        factor_id, category, activity, unit, unit_type, co2e_kg_per_unit, region, source,
        dataset, year, licence
    FROM factors
"""
_GET_FACTOR = _SELECT_FACTOR + " WHERE factor_id = ?"
_BY_CATEGORY = _SELECT_FACTOR + " WHERE category = ? ORDER BY activity, factor_id"
# What the cache depends on: one string of every loaded dataset's id and checksum.
_FINGERPRINT = """
    SELECT group_concat(dataset_id || ' ' || sha256, ',')
    FROM (SELECT dataset_id, sha256 FROM datasets ORDER BY dataset_id)
"""
_DATASETS = """
    SELECT dataset_id, name, provider, version, source_url, licence, attribution, file, sha256
    FROM datasets ORDER BY dataset_id
"""


class SqliteFactors:
    """`FactorRepository` over the `datasets` and `factors` tables."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._lock = threading.Lock()
        self._fingerprint: str | None = None
        self._categories: dict[str, tuple[Factor, ...]] = {}

    def replace_dataset(self, dataset: Dataset, factors: Sequence[Factor]) -> None:
        """Load (or reload) one dataset and all its factors in one transaction."""
        if any(factor.dataset != dataset.dataset_id for factor in factors):
            raise InvalidInput("every factor must belong to the dataset", field="factors")
        dataset_row = (
            dataset.dataset_id,
            dataset.name,
            dataset.provider,
            dataset.version,
            dataset.source_url,
            dataset.licence,
            dataset.attribution,
            dataset.file,
            dataset.sha256,
        )
        try:
            with self._db.write() as conn:
                conn.execute(_UPSERT_DATASET, dataset_row)
                conn.execute("DELETE FROM factors WHERE dataset = ?", (dataset.dataset_id,))
                conn.executemany(_INSERT_FACTOR, [_factor_row(factor) for factor in factors])
        except sqlite3.IntegrityError as exc:
            duplicate = "factor id is repeated or used by another dataset"
            raise integrity_error(exc, duplicate=duplicate, field="factor_id") from None
        finally:
            with self._lock:  # a reload with an unchanged checksum is seen here too
                self._fingerprint = None
                self._categories = {}

    def datasets(self) -> list[Dataset]:
        """Every loaded dataset, ordered by id."""
        rows = self._db.connection().execute(_DATASETS).fetchall()
        return [Dataset(*row) for row in rows]

    def checksums(self, dataset_ids: Sequence[str]) -> dict[str, str]:
        """The checksum of each of these datasets that is loaded, by id."""
        marks = ", ".join("?" * len(dataset_ids))  # placeholders only: the ids are bound
        query = f"SELECT dataset_id, sha256 FROM datasets WHERE dataset_id IN ({marks})"  # noqa: S608
        return dict(self._db.connection().execute(query, tuple(dataset_ids)).fetchall())

    def get(self, factor_id: str) -> Factor | None:
        """Return one factor by id, or None."""
        row = self._db.connection().execute(_GET_FACTOR, (factor_id,)).fetchone()
        return None if row is None else Factor(*row)

    def list_by_category(self, category: str) -> list[Factor]:
        """Every factor of one category, ordered by activity (cached; see the module)."""
        conn = self._db.connection()
        fingerprint = conn.execute(_FINGERPRINT).fetchone()[0]
        with self._lock:
            if fingerprint != self._fingerprint:
                self._fingerprint, self._categories = fingerprint, {}
            cached = self._categories.get(category)
        if cached is None:
            cached = tuple(Factor(*row) for row in conn.execute(_BY_CATEGORY, (category,)))
            with self._lock:
                if fingerprint == self._fingerprint:
                    self._categories[category] = cached
        return list(cached)


def _factor_row(factor: Factor) -> tuple[Any, ...]:
    return (
        factor.factor_id,
        factor.category,
        factor.activity,
        factor.unit,
        factor.unit_type,
        factor.co2e_kg_per_unit,
        factor.region,
        factor.source,
        factor.dataset,
        factor.year,
        factor.licence,
    )
