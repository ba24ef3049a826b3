"""Cached explanations in DynamoDB: table `reasoning-cache`, partition key `cacheKey`.

Each item holds `reasoning`, `citedFactIds` (L of S), `facts` (the JSON text of the facts
served), `provider`, `model`, `dataVersion`, `lat`, `lon` (N), `anomalyId`?, `createdAt`,
`expiresAt` (fixed-width UTC text)
and `ttl` (epoch seconds, `expiresAt` rounded up), so DynamoDB's TTL deletes old items; the
`fallback*` attributes only when the rules text stood in for an LLM. TTL deletes lazily
(typically within days), so `get` compares `expiresAt` with the caller's `now` and never
returns an expired item.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from carbontrack.domain.reasoning import CachedReasoning, Explanation, Fallback, FallbackReason
from carbontrack.store.dynamodb import codec
from carbontrack.store.dynamodb.errors import translated

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import AttributeValueTypeDef

    from carbontrack.store.dynamodb.codec import Item


class DynamoReasoningCache:
    """`ReasoningCacheRepository` over the reasoning-cache table."""

    def __init__(self, client: DynamoDBClient, *, table: str) -> None:
        self._client = client
        self._table = table

    @translated
    def get(self, key: str, now: datetime) -> CachedReasoning | None:
        """The live item under `key` (one eventually consistent GetItem).

        Eventually consistent: a read racing a put sees the previous item or none, and
        either is a correct cache answer (a miss, or an equal explanation).
        """
        response = self._client.get_item(
            TableName=self._table,
            Key={"cacheKey": codec.value(key)},
            ReturnConsumedCapacity="TOTAL",
        )
        item = response.get("Item")
        if item is None:
            return None
        cached = _from_item(item)
        return cached if cached.is_live(now) else None

    @translated
    def put(self, item: CachedReasoning) -> None:
        """Write the item, replacing any under its key (one PutItem)."""
        self._client.put_item(
            TableName=self._table, Item=_to_item(item), ReturnConsumedCapacity="TOTAL"
        )


def _to_item(item: CachedReasoning) -> Item:
    explanation, fallback = item.explanation, item.explanation.fallback
    return codec.to_item(
        {
            "cacheKey": item.key,
            "reasoning": explanation.reasoning,
            "citedFactIds": list(explanation.cited_fact_ids),
            "facts": item.facts_json,
            "provider": explanation.provider,
            "model": explanation.model,
            "dataVersion": item.data_version,
            "lat": item.lat,
            "lon": item.lon,
            "anomalyId": item.anomaly_id,
            "createdAt": codec.iso_time(item.created_at, field="created_at"),
            "expiresAt": codec.iso_time(item.expires_at, field="expires_at"),
            "ttl": math.ceil(item.expires_at.timestamp()),
            "fallbackFrom": fallback.from_provider if fallback else None,
            "fallbackReason": fallback.reason.value if fallback else None,
            "fallbackDetail": fallback.detail if fallback else None,
        }
    )


def _from_item(item: Mapping[str, AttributeValueTypeDef]) -> CachedReasoning:
    v = codec.from_item(item)
    fallback = None
    if "fallbackFrom" in v:
        fallback = Fallback(
            from_provider=v["fallbackFrom"],
            reason=FallbackReason(v["fallbackReason"]),
            detail=v.get("fallbackDetail", ""),
        )
    explanation = Explanation(
        reasoning=v["reasoning"],
        cited_fact_ids=tuple(str(fact_id) for fact_id in v["citedFactIds"]),
        provider=v["provider"],
        model=v["model"],
        fallback=fallback,
    )
    return CachedReasoning(
        key=v["cacheKey"],
        explanation=explanation,
        facts_json=v["facts"],
        data_version=v["dataVersion"],
        lat=float(v["lat"]),
        lon=float(v["lon"]),
        anomaly_id=v.get("anomalyId"),
        created_at=codec.parse_time(v["createdAt"]),
        expires_at=codec.parse_time(v["expiresAt"]),
    )
