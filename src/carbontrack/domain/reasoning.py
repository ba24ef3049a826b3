"""Explanations of a CO2 anomaly: what the cache keeps and what a fallback records.

An explanation is built from facts (each a JSON object with an `id` and a `kind`) by a
provider: `rules` composes it offline; an LLM (`gemini`, `bedrock`) may only restate the
facts, and whenever its answer cannot be used the rules text is served with a `Fallback`
saying which provider was asked and why it was not used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class FallbackReason(StrEnum):
    """Why the configured provider's answer was replaced by the rules text."""

    NOT_CONFIGURED = "not_configured"  # e.g. provider gemini without an API key
    RATE_LIMITED = "rate_limited"  # too many LLM calls this minute
    TIMEOUT = "timeout"
    UNAVAILABLE = "unavailable"  # an HTTP error, a refused connection, a throttled account
    MALFORMED = "malformed"  # not the JSON object asked for
    UNKNOWN_FACT_ID = "unknown_fact_id"
    INVENTED_NUMBER = "invented_number"
    UNKNOWN_NAME = "unknown_name"

    @property
    def transient(self) -> bool:
        """True when asking again later may succeed, so the fallback must not be cached."""
        return self in _TRANSIENT


_TRANSIENT = frozenset(
    {
        FallbackReason.NOT_CONFIGURED,
        FallbackReason.RATE_LIMITED,
        FallbackReason.TIMEOUT,
        FallbackReason.UNAVAILABLE,
    }
)


@dataclass(frozen=True, slots=True)
class Fallback:
    """The rules text stands in for `from_provider`'s answer, for `reason`."""

    from_provider: str
    reason: FallbackReason
    detail: str  # one sentence for people; never an API key, never the raw LLM output


@dataclass(frozen=True, slots=True)
class Explanation:
    """A text citing facts by id, and who produced it."""

    reasoning: str
    cited_fact_ids: tuple[str, ...]
    provider: str  # the provider whose text this is: "rules" for every fallback
    model: str
    fallback: Fallback | None = None


@dataclass(frozen=True, slots=True)
class CachedReasoning:
    """One cached explanation with the facts it was built from.

    `facts_json` is the JSON array of facts exactly as served, so a cache hit answers
    with the same facts as the miss that stored it. The item is never served at or
    after `expires_at`, whether or not the backend has deleted it yet.
    """

    key: str  # hex SHA-256, see services/reasoning.py
    explanation: Explanation
    facts_json: str
    data_version: str
    lat: float  # the point the facts are about: a known anomaly's, or the rounded point asked
    lon: float
    anomaly_id: str | None  # the known anomaly explained, if any
    created_at: datetime
    expires_at: datetime

    def is_live(self, now: datetime) -> bool:
        """True while the item may be served."""
        return now < self.expires_at
