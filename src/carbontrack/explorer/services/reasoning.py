"""Explain a point of the CO2 map: its facts, a provider's text, the cache, the LLM limit.

**The point.** Latitude and longitude are rounded to `COORDINATE_DECIMALS` (2: about 1.1 km,
less than one OCO-2 footprint of about 1.3 x 2.3 km), and the caller's xco2 and deviation to
0.01 ppm (as the facts print them), so float noise from a map click never splits the cache.
If a known anomaly of that date lies within `KNOWN_ANOMALY_MAX_KM` of the rounded point, the
facts are about that anomaly: its position, its wind, its xco2 and deviation (the
catalogue's, whatever the caller sent). Otherwise the facts are about the rounded point, the
wind is unknown, and the caller's numbers are used.

**The cache key** is the hex SHA-256 of: a key version, the provider, the model, the data
version (a hash of the anomaly product's and the fact files' checksums), the prompt's hash
for an LLM, then the rounded point, the date and the caller's rounded numbers. Everything in
a request that can change the answer is in the key, so an answer is a function of its key:
one caller's numbers are never served to another, and new data, a new model, a new prompt
or a new rules version (the rules "model") make new keys while old items expire
(`reasoning_cache_days`, 90 by default). A cache hit is one key computation and one read;
the known-anomaly look-up happens on a miss only. Each process also keeps the answers it
served last in memory (`RecentAnswers`: 512 items, 10 minutes each), so a popular point
costs no store read at all; a purge of the store table is seen within those 10 minutes.

**What is cached**: rules answers, validated LLM answers, and the rules text that replaced
an LLM answer failing validation (asking the LLM again would cost as much and likely fail
the same way). Fallbacks for a reason that may pass (a timeout, an HTTP error, the rate
limit, a missing key) are served but not cached, so the LLM is asked again later.

**Rate limit**: at most `llm_misses_per_minute` LLM calls in any 60 s, per process. Only
cache misses that would call an LLM count; over the limit the rules text answers, and says
so, instead of a 429 that would break the map. Per process, because its job is bounding
spend and the LLM's own quota, and a stored counter would add a write to every miss on one
hot key: a deployment of N processes (or Lambda containers: cap them with reserved
concurrency) allows at most N times the limit, and the provider's account quota is the
global ceiling.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.reasoning import (
    CachedReasoning,
    Explanation,
    Fallback,
    FallbackReason,
)
from carbontrack.explorer.domain.anomalies import Anomaly, AnomalyBackground
from carbontrack.explorer.domain.facts import Fact, fact_dicts
from carbontrack.explorer.domain.geo import Wind
from carbontrack.explorer.domain.reasoning_validation import UngroundedAnswer, check_answer
from carbontrack.explorer.domain.verdict import verdict
from carbontrack.explorer.services import anomalies, facts
from carbontrack.explorer.services.providers import INSTRUCTIONS, LlmChoice, LlmFailure, build_llm
from carbontrack.explorer.services.providers.rules import rules_explanation
from carbontrack.explorer.services.reasoning_memory import MissLimiter, RecentAnswers
from carbontrack.settings import Settings
from carbontrack.store.base import Store

logger = logging.getLogger(__name__)

COORDINATE_DECIMALS = 2
PPM_DECIMALS = 2  # the facts print xco2 and deviation to 0.01 ppm
OCO2_LAUNCH = date(2014, 7, 2)  # no OCO-2 sounding is older
KNOWN_ANOMALY_MAX_KM = 2.0  # covers the rounding (at most ~0.8 km); grid cells are ~22 km apart
KEY_VERSION = 1  # bump when the key's contents change meaning
PROMPT_VERSION = hashlib.sha256(INSTRUCTIONS.encode()).hexdigest()[:12]

# Public details of each fallback: fixed sentences, never the LLM's words or a secret.
_DETAILS = {
    FallbackReason.NOT_CONFIGURED: "The LLM provider is not configured.",
    FallbackReason.RATE_LIMITED: "Too many new explanations were asked for this minute.",
    FallbackReason.TIMEOUT: "The LLM did not answer in time.",
    FallbackReason.UNAVAILABLE: "The LLM could not be reached.",
    FallbackReason.MALFORMED: "The LLM's answer was not the JSON asked for.",
    FallbackReason.UNKNOWN_FACT_ID: "The LLM cited a fact that was not given.",
    FallbackReason.INVENTED_NUMBER: "The LLM wrote a number that no fact holds.",
    FallbackReason.UNKNOWN_NAME: "The LLM named something that no fact names.",
}


class FactSource(Protocol):
    """Facts about a point on a date (`services.facts.FactFinder`)."""

    def facts_for(
        self,
        lat: float,
        lon: float,
        day: date,
        *,
        wind: Wind | None = None,
        deviation_ppm: float | None = None,
        xco2: float | None = None,
        background: AnomalyBackground | None = None,
    ) -> list[Fact]: ...


class AnomalyLookup(Protocol):
    """Known anomalies by place and date (`services.anomalies.AnomalyCatalogue`)."""

    @property
    def data_version(self) -> str: ...

    def find_near(self, lat: float, lon: float, date: date, max_km: float) -> Anomaly | None: ...


@dataclass(frozen=True, slots=True)
class ReasoningQuery:
    """What the map asks about: a point, a date, and the numbers it shows (if any)."""

    lat: float
    lon: float
    day: date
    xco2: float | None = None
    deviation_ppm: float | None = None


@dataclass(frozen=True, slots=True)
class ReasoningResult:
    """An explanation, its facts (JSON text), and whether and until when it is cached."""

    explanation: Explanation
    facts_json: str
    verdict: str  # one plain line from the facts (domain/verdict.py), cached or not
    lat: float  # the point the facts are about
    lon: float
    anomaly_id: str | None  # the known anomaly explained, if any
    data_version: str
    cached: bool  # served from the cache
    cached_at: datetime | None  # when the cached item was made; None if not cached
    expires_at: datetime | None


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Reasoner:
    """Answers `POST /api/reasoning`; built once per app by `build_reasoner`."""

    def __init__(
        self,
        *,
        llm: LlmChoice,
        limiter: MissLimiter,
        cache_days: int,
        recent: RecentAnswers | None = None,
        fact_source: Callable[[], FactSource] = facts.get_fact_finder,
        catalogue: Callable[[], AnomalyLookup] = anomalies.default_catalogue,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        # The data loads (plants, countries, anomalies) happen on first use, not here.
        self.llm = llm
        self.limiter = limiter
        self.cache_lifetime = timedelta(days=cache_days)
        self.recent = recent if recent is not None else RecentAnswers()
        self._fact_source = fact_source
        self._catalogue = catalogue
        self._clock = clock
        self._data_version: str | None = None
        self._key_prefix: str | None = None

    @property
    def data_version(self) -> str:
        """A hash of every data file an explanation depends on."""
        if self._data_version is None:
            joined = (
                f"anomalies={self._catalogue().data_version}\nfacts={facts.facts_data_version()}"
            )
            self._data_version = "co2-" + hashlib.sha256(joined.encode()).hexdigest()[:16]
        return self._data_version

    def explain(self, *, store: Store, query: ReasoningQuery) -> ReasoningResult:
        """The cached explanation of the point, or a new one (cached unless transient)."""
        now = self._clock()
        if not OCO2_LAUNCH <= query.day <= now.date():
            raise InvalidInput(
                f"date must be between {OCO2_LAUNCH} (OCO-2's launch) and today", field="date"
            )
        point = _rounded(query)
        key = self._key_of(point)
        hit = self.recent.get(key, now)
        if hit is None:
            hit = store.reasoning_cache.get(key, now)
            if hit is not None:  # remembered from now: serving it again does not extend that
                self.recent.remember(hit, now)
        if hit is not None:
            return _result(hit, cached=True)
        anomaly = self._catalogue().find_near(point.lat, point.lon, point.day, KNOWN_ANOMALY_MAX_KM)
        found = self._facts(point, anomaly)
        facts_json = json.dumps(fact_dicts(found), ensure_ascii=False, separators=(",", ":"))
        explanation = self._compose(found, facts_json, now)
        item = CachedReasoning(
            key=key,
            explanation=explanation,
            facts_json=facts_json,
            data_version=self.data_version,
            lat=anomaly.lat if anomaly else point.lat,
            lon=anomaly.lon if anomaly else point.lon,
            anomaly_id=anomaly.id if anomaly else None,
            created_at=now,
            expires_at=now + self.cache_lifetime,
        )
        if explanation.fallback is not None and explanation.fallback.reason.transient:
            return _result(item, cached=False, stored=False)
        store.reasoning_cache.put(item)
        self.recent.remember(item, now)
        return _result(item, cached=False)

    def cache_key(self, query: ReasoningQuery) -> str:
        """The hex SHA-256 the module docstring describes."""
        return self._key_of(_rounded(query))

    def _key_of(self, point: ReasoningQuery) -> str:
        if self._key_prefix is None:
            fixed = {
                "v": KEY_VERSION,
                "provider": self.llm.provider,
                "model": self.llm.model,
                "data": self.data_version,
                "prompt": PROMPT_VERSION if self.llm.provider != "rules" else None,
            }
            self._key_prefix = json.dumps(fixed, sort_keys=True, separators=(",", ":"))
        # Fixed-format numbers and an ISO date after the JSON prefix: unambiguous as they are.
        varying = (
            f"{point.lat:.{COORDINATE_DECIMALS}f}|{point.lon:.{COORDINATE_DECIMALS}f}|"
            f"{point.day.isoformat()}|{_ppm_text(point.xco2)}|{_ppm_text(point.deviation_ppm)}"
        )
        return hashlib.sha256(f"{self._key_prefix}|{varying}".encode()).hexdigest()

    def close(self) -> None:
        """Close the LLM client's connections."""
        if self.llm.client is not None:
            self.llm.client.close()

    def _facts(self, point: ReasoningQuery, anomaly: Anomaly | None) -> list[Fact]:
        finder = self._fact_source()
        if anomaly is not None:
            return finder.facts_for(
                anomaly.lat,
                anomaly.lon,
                anomaly.date,
                wind=anomaly.wind,
                deviation_ppm=anomaly.deviation_ppm,
                xco2=anomaly.xco2,
                background=anomaly.background,
            )
        return finder.facts_for(
            point.lat, point.lon, point.day, deviation_ppm=point.deviation_ppm, xco2=point.xco2
        )

    def _compose(self, found: Sequence[Fact], facts_json: str, now: datetime) -> Explanation:
        """The configured provider's explanation, or the rules text saying why not."""
        llm = self.llm
        if llm.provider == "rules":
            return rules_explanation(found)
        if llm.client is None:  # logged once, by build_reasoner
            return self._fallback(found, FallbackReason.NOT_CONFIGURED)
        if not self.limiter.try_acquire(now):
            logger.info("%s not asked: %d calls this minute", llm.provider, self.limiter.per_minute)
            return self._fallback(found, FallbackReason.RATE_LIMITED)
        try:
            raw = llm.client.complete(instructions=INSTRUCTIONS, facts_json=facts_json)
            answer = check_answer(raw, fact_dicts(found))
        except LlmFailure as exc:
            logger.warning("%s answer not used (%s): %s", llm.provider, exc.reason.value, exc)
            return self._fallback(found, exc.reason)
        except UngroundedAnswer as exc:
            logger.warning(
                "%s answer not used (%s): %s: %.40r",
                llm.provider,
                exc.reason.value,
                exc,
                exc.offending,
            )
            return self._fallback(found, exc.reason)
        return Explanation(
            reasoning=answer.reasoning,
            cited_fact_ids=answer.cited_fact_ids,
            provider=llm.provider,
            model=llm.model,
        )

    def _fallback(self, found: Sequence[Fact], reason: FallbackReason) -> Explanation:
        fallback = Fallback(from_provider=self.llm.provider, reason=reason, detail=_DETAILS[reason])
        return rules_explanation(found, fallback=fallback)


def _result(item: CachedReasoning, *, cached: bool, stored: bool = True) -> ReasoningResult:
    return ReasoningResult(
        explanation=item.explanation,
        facts_json=item.facts_json,
        verdict=verdict(json.loads(item.facts_json)),
        lat=item.lat,
        lon=item.lon,
        anomaly_id=item.anomaly_id,
        data_version=item.data_version,
        cached=cached,
        cached_at=item.created_at if stored else None,
        expires_at=item.expires_at if stored else None,
    )


def build_reasoner(settings: Settings, *, clock: Callable[[], datetime] = _utc_now) -> Reasoner:
    """The reasoner a deployment's settings describe (cheap: data loads on first use)."""
    llm = build_llm(settings)
    if llm.missing is not None:
        logger.warning(
            "%s cannot be used (%s): the rules provider answers", llm.provider, llm.missing
        )
    return Reasoner(
        llm=llm,
        limiter=MissLimiter(settings.llm_misses_per_minute),
        cache_days=settings.reasoning_cache_days,
        clock=clock,
    )


def _rounded(query: ReasoningQuery) -> ReasoningQuery:
    """The query as the key sees it: the point to 2 decimals, the numbers to 0.01 ppm."""
    return ReasoningQuery(
        lat=_round(query.lat, COORDINATE_DECIMALS),
        lon=_round(query.lon, COORDINATE_DECIMALS),
        day=query.day,
        xco2=None if query.xco2 is None else _round(query.xco2, PPM_DECIMALS),
        deviation_ppm=None
        if query.deviation_ppm is None
        else _round(query.deviation_ppm, PPM_DECIMALS),
    )


def _round(value: float, decimals: int) -> float:
    # + 0.0 turns -0.0 into 0.0, so both sides of zero share one key.
    return round(value, decimals) + 0.0


def _ppm_text(ppm: float | None) -> str:
    return "-" if ppm is None else f"{ppm:.{PPM_DECIMALS}f}"
