"""Cached explanations in SQLite: table `reasoning_cache`, key `cache_key`."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from carbontrack.domain.reasoning import CachedReasoning, Explanation, Fallback, FallbackReason
from carbontrack.store.sqlite.codec import db_time, py_time
from carbontrack.store.sqlite.connection import Database

# Expired rows deleted by one put: bounded, so a put never pays for a long-idle table at once;
# every put removes some, so the table cannot keep growing with dead rows.
SWEEP_ROWS = 100

_COLUMNS = (
    "cache_key, reasoning, cited_fact_ids, facts_json, provider, model, data_version, lat, "
    "lon, anomaly_id, created_at, expires_at, fallback_from, fallback_reason, fallback_detail"
)
_GET = f"SELECT {_COLUMNS} FROM reasoning_cache WHERE cache_key = ? AND expires_at > ?"  # noqa: S608 - constant
_PUT = f"""
    INSERT INTO reasoning_cache ({_COLUMNS})
    VALUES (:cache_key, :reasoning, :cited_fact_ids, :facts_json, :provider, :model,
            :data_version, :lat, :lon, :anomaly_id, :created_at, :expires_at, :fallback_from,
            :fallback_reason, :fallback_detail)
    ON CONFLICT (cache_key) DO UPDATE SET
        reasoning = excluded.reasoning, cited_fact_ids = excluded.cited_fact_ids,
        facts_json = excluded.facts_json, provider = excluded.provider,
        model = excluded.model, data_version = excluded.data_version,
        lat = excluded.lat, lon = excluded.lon, anomaly_id = excluded.anomaly_id,
        created_at = excluded.created_at, expires_at = excluded.expires_at,
        fallback_from = excluded.fallback_from, fallback_reason = excluded.fallback_reason,
        fallback_detail = excluded.fallback_detail
"""  # noqa: S608 - constant column list
_SWEEP = """
    DELETE FROM reasoning_cache WHERE cache_key IN (
        SELECT cache_key FROM reasoning_cache WHERE expires_at <= ? LIMIT ?
    )
"""


class SqliteReasoningCache:
    """`ReasoningCacheRepository` over the `reasoning_cache` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, key: str, now: datetime) -> CachedReasoning | None:
        """The live item under `key` (one key read; an expired row reads as absent)."""
        row = self._db.connection().execute(_GET, (key, db_time(now, field="now"))).fetchone()
        return None if row is None else _from_row(row)

    def put(self, item: CachedReasoning) -> None:
        """Upsert the item and delete up to SWEEP_ROWS rows expired at its creation time."""
        params = _params(item)
        with self._db.write() as conn:
            conn.execute(_PUT, params)
            conn.execute(_SWEEP, (params["created_at"], SWEEP_ROWS))


def _params(item: CachedReasoning) -> dict[str, str | float | None]:
    explanation, fallback = item.explanation, item.explanation.fallback
    return {
        "cache_key": item.key,
        "reasoning": explanation.reasoning,
        "cited_fact_ids": json.dumps(list(explanation.cited_fact_ids)),
        "facts_json": item.facts_json,
        "provider": explanation.provider,
        "model": explanation.model,
        "data_version": item.data_version,
        "lat": item.lat,
        "lon": item.lon,
        "anomaly_id": item.anomaly_id,
        "created_at": db_time(item.created_at, field="created_at"),
        "expires_at": db_time(item.expires_at, field="expires_at"),
        "fallback_from": fallback.from_provider if fallback else None,
        "fallback_reason": fallback.reason.value if fallback else None,
        "fallback_detail": fallback.detail if fallback else None,
    }


def _from_row(row: tuple[Any, ...]) -> CachedReasoning:
    (key, reasoning, cited, facts_json, provider, model, data_version, lat, lon) = row[:9]
    (anomaly_id, created_at, expires_at, fallback_from, fallback_reason, fallback_detail) = row[9:]
    fallback = None
    if fallback_from is not None:
        fallback = Fallback(
            from_provider=fallback_from,
            reason=FallbackReason(fallback_reason),
            detail=fallback_detail or "",
        )
    explanation = Explanation(
        reasoning=reasoning,
        cited_fact_ids=tuple(json.loads(cited)),
        provider=provider,
        model=model,
        fallback=fallback,
    )
    return CachedReasoning(
        key=key,
        explanation=explanation,
        facts_json=facts_json,
        data_version=data_version,
        lat=lat,
        lon=lon,
        anomaly_id=anomaly_id,
        created_at=py_time(created_at),
        expires_at=py_time(expires_at),
    )
