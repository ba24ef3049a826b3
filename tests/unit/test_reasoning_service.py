"""The reasoning service: the point and its cache key, expiry, fallbacks and the LLM limit.

The LLM here is an in-process double of the `LlmClient` Protocol; the SDKs' wire protocols
are tested against a local HTTP server in tests/api/test_reasoning.py.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.reasoning import CachedReasoning, FallbackReason
from carbontrack.explorer.domain.anomalies import SOUNDING_NOISE_PPM
from carbontrack.explorer.domain.facts import fact_dicts
from carbontrack.explorer.domain.reasoning_validation import CheckedAnswer, check_answer
from carbontrack.explorer.domain.rules_reasoning import RULES_VERSION, explain
from carbontrack.explorer.services.anomalies import default_catalogue
from carbontrack.explorer.services.facts import get_fact_finder
from carbontrack.explorer.services.providers import LlmChoice, LlmFailure
from carbontrack.explorer.services.reasoning import (
    INSTRUCTIONS,
    Reasoner,
    ReasoningQuery,
    build_reasoner,
)
from carbontrack.explorer.services.reasoning_memory import RECENT_FOR, MissLimiter, RecentAnswers
from carbontrack.settings import Settings
from carbontrack.store.base import ReasoningCacheRepository
from carbontrack.store.sqlite import SqliteStore

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
DAY = date(2018, 6, 1)
NOWHERE = ReasoningQuery(lat=10.004, lon=20.004, day=DAY)  # the Sahel: no plant within 100 km


@dataclass
class Clock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now


@dataclass
class ScriptedLlm:
    """An `LlmClient` that answers from a script and records what it was asked."""

    answers: list[str | LlmFailure] = field(default_factory=list)
    asked: list[tuple[str, str]] = field(default_factory=list)
    provider: str = "gemini"
    model: str = "gemini-test"

    def complete(self, *, instructions: str, facts_json: str) -> str:
        self.asked.append((instructions, facts_json))
        answer = self.answers.pop(0)
        if isinstance(answer, LlmFailure):
            raise answer
        return answer

    def close(self) -> None:
        """Nothing to release."""


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    opened = SqliteStore(tmp_path / "carbontrack.sqlite3")
    yield opened
    opened.close()


def reasoner(
    llm: ScriptedLlm | None = None, *, clock: Clock | None = None, per_minute: int = 10
) -> Reasoner:
    choice = (
        LlmChoice("rules", RULES_VERSION, None)
        if llm is None
        else LlmChoice(llm.provider, llm.model, llm)
    )
    return Reasoner(
        llm=choice, limiter=MissLimiter(per_minute), cache_days=90, clock=clock or Clock()
    )


def grounded(facts_json: str) -> str:
    """An answer that restates one fact of the point (its surface) and cites it."""
    surface = next(fact for fact in json.loads(facts_json) if fact["kind"] == "surface")
    text = f"The point is on {surface['surface']} in {surface['country']}."
    return json.dumps({"reasoning": text, "citedFactIds": [surface["id"]]})


def rules_facts_json(store: SqliteStore, query: ReasoningQuery) -> str:
    """The facts JSON the service builds for a point (through a rules reasoner)."""
    return reasoner().explain(store=store, query=query).facts_json


def test_a_rules_answer_is_cached_for_90_days_and_never_served_after(store: SqliteStore) -> None:
    clock = Clock()
    service = reasoner(clock=clock)
    first = service.explain(store=store, query=NOWHERE)
    assert (first.cached, first.cached_at, first.expires_at) == (False, T0, T0 + timedelta(90))
    assert first.explanation.provider == "rules"
    assert first.explanation.model == RULES_VERSION
    clock.now = T0 + timedelta(days=90) - timedelta(microseconds=1)
    assert service.explain(store=store, query=NOWHERE).cached
    clock.now = T0 + timedelta(days=90)
    renewed = service.explain(store=store, query=NOWHERE)
    assert (renewed.cached, renewed.cached_at) == (False, clock.now)
    assert renewed.explanation == first.explanation


def test_the_point_is_rounded_to_two_decimals_for_the_key(store: SqliteStore) -> None:
    service = reasoner()
    first = service.explain(store=store, query=NOWHERE)
    assert (first.lat, first.lon) == (10.0, 20.0)
    near = ReasoningQuery(lat=9.996, lon=19.9951, day=DAY)
    assert service.explain(store=store, query=near).cached
    apart = ReasoningQuery(lat=10.006, lon=20.0, day=DAY)
    assert not service.explain(store=store, query=apart).cached


def test_minus_zero_and_zero_share_a_key(store: SqliteStore) -> None:
    service = reasoner()
    service.explain(store=store, query=ReasoningQuery(lat=-0.001, lon=-0.004, day=DAY))
    assert service.explain(store=store, query=ReasoningQuery(lat=0.0, lon=0.0, day=DAY)).cached


def test_the_key_depends_on_date_provider_model_and_data() -> None:
    rules, llm = reasoner(), reasoner(ScriptedLlm())
    other_model = reasoner(ScriptedLlm(model="gemini-other"))
    next_day = ReasoningQuery(lat=10.0, lon=20.0, day=date(2018, 6, 2))
    keys = {
        rules.cache_key(NOWHERE),
        rules.cache_key(next_day),
        llm.cache_key(NOWHERE),
        other_model.cache_key(NOWHERE),
    }
    assert len(keys) == 4
    assert all(re.fullmatch("[0-9a-f]{64}", key) for key in keys)
    assert rules.data_version.startswith("co2-")
    assert reasoner().cache_key(NOWHERE) == rules.cache_key(NOWHERE)


def test_a_callers_numbers_are_part_of_the_key_for_an_unknown_point(store: SqliteStore) -> None:
    service = reasoner()
    small = ReasoningQuery(lat=10.0, lon=20.0, day=DAY, deviation_ppm=1.5, xco2=410.0)
    large = ReasoningQuery(lat=10.0, lon=20.0, day=DAY, deviation_ppm=9.0, xco2=410.0)
    assert not service.explain(store=store, query=small).cached
    served = service.explain(store=store, query=large)
    assert not served.cached
    signal = next(f for f in json.loads(served.facts_json) if f["kind"] == "signal")
    assert signal["deviationPpm"] == 9.0
    # The z-score printed is the deviation over the noise of record, as the pipeline scores it.
    assert f"z-score of {9.0 / SOUNDING_NOISE_PPM:.2f}" in served.explanation.reasoning


def test_a_known_anomaly_is_explained_from_the_catalogue(store: SqliteStore) -> None:
    catalogue = default_catalogue()
    anomaly = next(
        a
        for day in catalogue.dates(date(2018, 1, 1), date(2018, 12, 31))
        for a in catalogue.on_date(day[0])
        if a.wind is not None
    )
    service = reasoner()
    asked = ReasoningQuery(
        lat=anomaly.lat + 0.002, lon=anomaly.lon, day=anomaly.date, deviation_ppm=99.0
    )
    result = service.explain(store=store, query=asked)
    assert (result.anomaly_id, result.lat, result.lon) == (anomaly.id, anomaly.lat, anomaly.lon)
    facts = {f["kind"]: f for f in json.loads(result.facts_json)}
    assert facts["wind"]["known"] is True
    assert facts["signal"]["deviationPpm"] == round(anomaly.deviation_ppm, 2)
    # The caller's numbers are in the key but play no part in the known anomaly's answer.
    again = ReasoningQuery(lat=anomaly.lat, lon=anomaly.lon, day=anomaly.date, deviation_ppm=1.0)
    other = service.explain(store=store, query=again)
    assert (other.explanation, other.facts_json) == (result.explanation, result.facts_json)
    assert service.explain(store=store, query=asked).cached


def test_an_unknown_point_has_unknown_wind(store: SqliteStore) -> None:
    facts = json.loads(reasoner().explain(store=store, query=NOWHERE).facts_json)
    wind = next(f for f in facts if f["kind"] == "wind")
    assert wind["known"] is False
    assert any(f["kind"] == "no_known_source" for f in facts)


@pytest.mark.parametrize("day", [date(2014, 7, 1), date(1999, 1, 1), date(2024, 5, 2)])
def test_dates_before_oco2_or_after_today_are_refused(store: SqliteStore, day: date) -> None:
    with pytest.raises(InvalidInput, match="OCO-2") as caught:
        reasoner().explain(store=store, query=ReasoningQuery(lat=1.0, lon=1.0, day=day))
    assert caught.value.field == "date"


def test_a_grounded_llm_answer_is_used_and_cached(store: SqliteStore) -> None:
    facts_json = rules_facts_json(store, NOWHERE)
    llm = ScriptedLlm([grounded(facts_json)])
    service = reasoner(llm)
    result = service.explain(store=store, query=NOWHERE)
    assert result.explanation.provider == "gemini"
    assert result.explanation.model == "gemini-test"
    assert result.explanation.fallback is None
    assert result.explanation.reasoning == "The point is on land in Chad."
    assert result.explanation.cited_fact_ids == ("surface",)
    # The LLM was given the instructions and the very facts served, nothing else.
    assert llm.asked == [(INSTRUCTIONS, facts_json)]
    assert service.explain(store=store, query=NOWHERE).cached
    assert len(llm.asked) == 1


def test_an_ungrounded_answer_falls_back_to_the_cached_rules_text(store: SqliteStore) -> None:
    rules = reasoner().explain(store=store, query=NOWHERE).explanation
    llm = ScriptedLlm(['{"reasoning": "A 7 ppm plume.", "citedFactIds": ["signal"]}'])
    service = reasoner(llm)
    result = service.explain(store=store, query=NOWHERE)
    explanation = result.explanation
    assert (explanation.reasoning, explanation.provider) == (rules.reasoning, "rules")
    assert explanation.fallback is not None
    assert explanation.fallback.from_provider == "gemini"
    assert explanation.fallback.reason is FallbackReason.INVENTED_NUMBER
    assert "7" not in explanation.fallback.detail  # the public detail never repeats the LLM
    assert result.expires_at is not None
    again = service.explain(store=store, query=NOWHERE)
    assert again.cached
    assert again.explanation == explanation
    assert len(llm.asked) == 1


@pytest.mark.parametrize("reason", [FallbackReason.TIMEOUT, FallbackReason.UNAVAILABLE])
def test_a_failed_call_falls_back_without_caching(
    store: SqliteStore, reason: FallbackReason
) -> None:
    facts_json = rules_facts_json(store, NOWHERE)
    llm = ScriptedLlm([LlmFailure(reason, "down"), grounded(facts_json)])
    service = reasoner(llm)
    failed = service.explain(store=store, query=NOWHERE)
    assert failed.explanation.fallback is not None
    assert failed.explanation.fallback.reason is reason
    assert (failed.cached, failed.cached_at, failed.expires_at) == (False, None, None)
    retried = service.explain(store=store, query=NOWHERE)
    assert retried.explanation.provider == "gemini"
    assert len(llm.asked) == 2


def test_llm_misses_over_the_limit_get_the_rules_text(store: SqliteStore) -> None:
    clock = Clock()
    points = [ReasoningQuery(lat=10.0 + n, lon=20.0, day=DAY) for n in range(3)]
    llm = ScriptedLlm([grounded(rules_facts_json(store, p)) for p in (points[0], points[1])])
    service = reasoner(llm, clock=clock, per_minute=1)
    assert service.explain(store=store, query=points[0]).explanation.provider == "gemini"
    limited = service.explain(store=store, query=points[1])
    assert limited.explanation.fallback is not None
    assert limited.explanation.fallback.reason is FallbackReason.RATE_LIMITED
    assert limited.cached_at is None
    # Cache hits do not count against the limit.
    assert service.explain(store=store, query=points[0]).cached
    clock.now = T0 + timedelta(minutes=1)
    assert service.explain(store=store, query=points[1]).explanation.provider == "gemini"
    assert len(llm.asked) == 2


def test_a_zero_limit_never_calls_the_llm(store: SqliteStore) -> None:
    llm = ScriptedLlm()
    result = reasoner(llm, per_minute=0).explain(store=store, query=NOWHERE)
    assert result.explanation.fallback is not None
    assert result.explanation.fallback.reason is FallbackReason.RATE_LIMITED
    assert llm.asked == []


def test_a_hit_of_another_process_comes_from_the_store(store: SqliteStore) -> None:
    first = reasoner().explain(store=store, query=NOWHERE)
    other = reasoner()  # its memory is empty
    served = other.explain(store=store, query=NOWHERE)
    assert served.cached
    assert (served.explanation, served.facts_json) == (first.explanation, first.facts_json)
    assert (served.lat, served.lon, served.anomaly_id) == (10.0, 20.0, None)


def test_recent_answers_are_bounded_in_number_and_time(store: SqliteStore) -> None:
    items = []
    for n in range(3):
        query = ReasoningQuery(lat=10.0 + n, lon=20.0, day=DAY)
        service = reasoner()
        service.explain(store=store, query=query)
        items.append(service.recent.get(service.cache_key(query), T0))
    assert all(item is not None for item in items)
    recent = RecentAnswers(size=2)
    for item in items:
        assert item is not None
        recent.remember(item, T0)
    assert recent.get(items[0].key, T0) is None  # the least recently served went first
    assert recent.get(items[2].key, T0) == items[2]
    assert recent.get(items[2].key, T0 + RECENT_FOR - timedelta(seconds=1)) == items[2]
    assert recent.get(items[2].key, T0 + RECENT_FOR) is None  # the store is asked again


@dataclass
class CountingCache:
    """Counts the store reads behind a reasoning cache."""

    inner: ReasoningCacheRepository
    reads: int = 0

    def get(self, key: str, now: datetime) -> CachedReasoning | None:
        self.reads += 1
        return self.inner.get(key, now)

    def put(self, item: CachedReasoning) -> None:
        self.inner.put(item)


def test_memory_serves_hits_for_ten_minutes_however_popular(
    store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = CountingCache(store.reasoning_cache)
    monkeypatch.setattr(store, "reasoning_cache", counting)
    clock = Clock()
    service = reasoner(clock=clock)
    service.explain(store=store, query=NOWHERE)  # a miss: one read, then remembered
    for minutes in range(10):
        clock.now = T0 + timedelta(minutes=minutes)
        assert service.explain(store=store, query=NOWHERE).cached
    assert counting.reads == 1
    clock.now = T0 + RECENT_FOR  # served every minute, yet asked of the store again
    assert service.explain(store=store, query=NOWHERE).cached
    assert counting.reads == 2


def test_recent_answers_never_serve_an_expired_item(store: SqliteStore) -> None:
    service = reasoner()
    service.explain(store=store, query=NOWHERE)
    item = service.recent.get(service.cache_key(NOWHERE), T0)
    assert item is not None
    assert service.recent.get(item.key, item.expires_at) is None


def test_the_limiter_counts_a_sliding_minute() -> None:
    limiter = MissLimiter(2)
    seconds = [0, 1, 2, 59, 60, 61, 62]
    allowed = [limiter.try_acquire(T0 + timedelta(seconds=s)) for s in seconds]
    assert allowed == [True, True, False, False, True, True, False]


def test_gemini_without_a_key_answers_with_rules_and_says_so(
    store: SqliteStore, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path, reasoning_provider="gemini")
    service = build_reasoner(settings)
    result = service.explain(store=store, query=NOWHERE)
    assert result.explanation.provider == "rules"
    assert result.explanation.fallback is not None
    assert result.explanation.fallback.from_provider == "gemini"
    assert result.explanation.fallback.reason is FallbackReason.NOT_CONFIGURED
    assert result.cached_at is None


def test_the_rules_text_of_known_anomalies_passes_the_llm_checks() -> None:
    """The checks reject inventions, not the plain explanations the facts support."""
    catalogue, finder = default_catalogue(), get_fact_finder()
    first, last = catalogue.extent
    anomalies = [
        a
        for day, _ in catalogue.dates(date(2018, 1, 1), date(2018, 12, 31))
        for a in catalogue.on_date(day)
    ][::10]
    anomalies += list(catalogue.on_date(first)) + list(catalogue.on_date(last))
    assert len(anomalies) > 100
    for anomaly in anomalies:
        facts = finder.facts_for(
            anomaly.lat,
            anomaly.lon,
            anomaly.date,
            wind=anomaly.wind,
            deviation_ppm=anomaly.deviation_ppm,
            xco2=anomaly.xco2,
        )
        text, cited = explain(facts)
        raw = json.dumps({"reasoning": text, "citedFactIds": cited})
        assert check_answer(raw, fact_dicts(facts)) == CheckedAnswer(text, tuple(cited))


def test_reasoning_settings_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CARBONTRACK_REASONING_PROVIDER", "gemini")
    monkeypatch.setenv("CARBONTRACK_GEMINI_API_KEY", "secret-gemini-key")
    monkeypatch.setenv("CARBONTRACK_LLM_MISSES_PER_MINUTE", "5")
    monkeypatch.setenv("CARBONTRACK_REASONING_CACHE_DAYS", "7")
    settings = Settings(data_dir=tmp_path)
    assert settings.reasoning_provider == "gemini"
    assert settings.gemini_api_key is not None
    assert settings.gemini_api_key.get_secret_value() == "secret-gemini-key"
    assert "secret-gemini-key" not in repr(settings)
    assert (settings.llm_misses_per_minute, settings.reasoning_cache_days) == (5, 7)
    service = build_reasoner(settings)
    try:
        assert (service.llm.provider, service.limiter.per_minute) == ("gemini", 5)
        assert service.cache_lifetime == timedelta(days=7)
    finally:
        service.close()


def test_an_unknown_provider_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="reasoning_provider"):
        Settings(data_dir=tmp_path, reasoning_provider="openai")  # type: ignore[arg-type]
