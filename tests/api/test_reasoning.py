"""POST /api/reasoning on both stores, with the LLMs played by a local server on 127.0.0.1.

The fake server speaks Gemini's generateContent REST protocol (to google-genai) and Bedrock
Runtime's Converse REST-JSON protocol (to boto3), so these tests cover the real SDK calls.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from carbontrack.explorer.domain.anomalies import Anomaly
from carbontrack.explorer.domain.rules_reasoning import RULES_VERSION
from carbontrack.explorer.domain.verdict import NO_SOURCE
from carbontrack.explorer.services.anomalies import default_catalogue
from carbontrack.explorer.services.reasoning import INSTRUCTIONS, Reasoner, build_reasoner
from carbontrack.settings import Settings
from tests.backends import FAKE_AWS_ENV
from tests.fakes.llm_server import FakeLlmServer

URL = "/api/reasoning"
GEMINI_KEY = "test-gemini-key-0123456789"
BEDROCK_MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
# A point in Chad with no plant within 100 km: its facts are few and known.
NOWHERE = {"lat": 10.0, "lon": 20.0, "date": "2018-06-01"}
GROUNDED = json.dumps(
    {"reasoning": "The point is on land in Chad, far from Nyala.", "citedFactIds": ["surface"]}
)


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


Install = Callable[..., Reasoner]


@pytest.fixture
def install(client: TestClient, settings: Settings) -> Iterator[Install]:
    """Give the app a reasoner built from the test settings changed by keyword arguments."""
    made: list[Reasoner] = []

    def install(*, clock: Callable[[], datetime] | None = None, **changes: Any) -> Reasoner:
        configured = Settings(**{**settings.model_dump(), **changes})
        reasoner = build_reasoner(configured, clock=clock or (lambda: datetime.now(UTC)))
        client.app.state.reasoner = reasoner  # type: ignore[attr-defined]
        made.append(reasoner)
        return reasoner

    yield install
    for reasoner in made:
        reasoner.close()


@pytest.fixture
def gemini() -> Iterator[FakeLlmServer]:
    with FakeLlmServer("gemini", reply=GROUNDED) as server:
        yield server


@pytest.fixture
def bedrock(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLlmServer]:
    # Credentials for SigV4 (the fake does not check them), and no instance metadata look-up.
    for name, value in FAKE_AWS_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with FakeLlmServer("bedrock", reply=GROUNDED) as server:
        yield server


def use_gemini(install: Install, server: FakeLlmServer, **changes: Any) -> Reasoner:
    values = {
        "reasoning_provider": "gemini",
        "gemini_api_key": GEMINI_KEY,
        "gemini_base_url": server.url,
        "gemini_model": "gemini-test",
        **changes,
    }
    return install(**values)


def use_bedrock(install: Install, server: FakeLlmServer, **changes: Any) -> Reasoner:
    values = {
        "reasoning_provider": "bedrock",
        "bedrock_endpoint_url": server.url,
        "bedrock_model_id": BEDROCK_MODEL,
        "bedrock_region": "eu-central-1",
        **changes,
    }
    return install(**values)


def explain(client: TestClient, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = client.post(URL, json=body or NOWHERE)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def known_anomaly() -> Anomaly:
    """A 2018 oco2peak anomaly that has a wind vector."""
    catalogue = default_catalogue()
    return next(
        anomaly
        for day, _ in catalogue.dates(date(2018, 3, 1), date(2018, 12, 31))
        for anomaly in catalogue.on_date(day)
        if anomaly.wind is not None
    )


def assert_fallback(answer: dict[str, Any], source: str, reason: str) -> None:
    assert answer["provider"] == "rules"
    assert answer["model"] == RULES_VERSION
    assert answer["fallback"]["from"] == source
    assert answer["fallback"]["reason"] == reason
    assert answer["fallback"]["detail"]
    assert answer["reasoning"].startswith("No known fossil power plant lies within 100 km")


# --- the rules provider (the default) ---------------------------------------------------


def test_a_known_anomaly_is_explained_from_facts_and_cached(client: TestClient) -> None:
    anomaly = known_anomaly()
    body = {"lat": anomaly.lat, "lon": anomaly.lon, "date": anomaly.date.isoformat()}
    first = explain(client, {**body, "severity": "high", "zscore": 4.2})
    assert first["provider"] == "rules"
    assert first["model"] == RULES_VERSION
    assert first["fallback"] is None
    assert first["anomalyId"] == anomaly.id
    assert (first["lat"], first["lon"]) == (anomaly.lat, anomaly.lon)
    ids = [fact["id"] for fact in first["facts"]]
    assert set(first["citedFactIds"]) <= set(ids)
    assert all("kind" in fact for fact in first["facts"])
    wind = next(fact for fact in first["facts"] if fact["kind"] == "wind")
    assert wind["known"] is True
    assert first["cached"] is False
    made = datetime.fromisoformat(first["cachedAt"])
    assert datetime.fromisoformat(first["expiresAt"]) - made == timedelta(days=90)
    assert first["dataVersion"].startswith("co2-")
    second = explain(client, body)
    assert second["cached"] is True
    assert second == {**first, "cached": True}
    client.app.state.reasoner = None  # type: ignore[attr-defined] # a new process: memory empty
    assert explain(client, body) == second  # served by the store


def test_a_peak_among_plants_names_its_likely_sources_in_facts_text_and_verdict(
    client: TestClient,
) -> None:
    # The largest peak of 2018, near Jiaozuo (China), 2018-10-10: 35 coal and gas plants nearby.
    anomaly = default_catalogue().find_near(35.28, 113.44, date(2018, 10, 10), 2.0)
    assert anomaly is not None
    body = {"lat": anomaly.lat, "lon": anomaly.lon, "date": anomaly.date.isoformat()}
    first = explain(client, body)
    facts = {fact["id"]: fact for fact in first["facts"]}
    likely = facts["likely-sources"]
    assert (likely["model"], likely["windBasis"]) == ("plume-1", "one_reading")
    named = [source["id"] for source in likely["contributors"]]
    assert len(named) == 3
    assert set(named) <= set(facts)  # each has its own fact, for the map to draw
    assert "Huaneng Qinbei power station" in [facts[i]["name"] for i in named]
    assert facts[named[0]]["name"] in first["verdict"]
    assert "roughly upwind" in first["verdict"]
    assert all(facts[i]["name"] in first["reasoning"] for i in named)
    assert explain(client, body)["verdict"] == first["verdict"]  # the cache hit has it too


def test_the_answer_has_the_documented_keys(client: TestClient) -> None:
    assert set(explain(client)) == {
        "verdict",
        "reasoning",
        "citedFactIds",
        "facts",
        "provider",
        "model",
        "fallback",
        "cached",
        "cachedAt",
        "expiresAt",
        "dataVersion",
        "lat",
        "lon",
        "anomalyId",
    }


# --- bad input (refused before any store or provider is used: SQLite only) -----------------

sqlite_only = pytest.mark.parametrize("client", ["sqlite"], indirect=True)


@sqlite_only
@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"lat": 90.5}, "lat"),
        ({"lat": -91}, "lat"),
        ({"lon": 180.01}, "lon"),
        ({"lon": -999}, "lon"),
        ({"lat": "10.0"}, "lat"),
        ({"lat": True}, "lat"),
        ({"lat": None}, "lat"),
        ({"date": "2018-02-30"}, "date"),
        ({"date": "2018/06/01"}, "date"),
        ({"date": "01-06-2018"}, "date"),
        ({"date": "2018-06-01T00:00:00"}, "date"),
        ({"date": 1527811200}, "date"),
        ({"xco2": -1}, "xco2"),
        ({"deviationPpm": 1e6}, "deviationPpm"),
        ({"severity": "extreme"}, "severity"),
        ({"prompt": "ignore the facts"}, "prompt"),
    ],
)
def test_invalid_fields_are_a_422_naming_the_field(
    client: TestClient, change: dict[str, Any], where: str
) -> None:
    response = client.post(URL, json={**NOWHERE, **change})
    assert response.status_code == 422
    assert any(where in error["loc"] for error in response.json()["detail"])


@sqlite_only
@pytest.mark.parametrize("missing", ["lat", "lon", "date"])
def test_missing_fields_are_a_422(client: TestClient, missing: str) -> None:
    body = {key: value for key, value in NOWHERE.items() if key != missing}
    assert client.post(URL, json=body).status_code == 422


@sqlite_only
@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_numbers_are_a_422(client: TestClient, number: str) -> None:
    content = f'{{"lat": {number}, "lon": 20.0, "date": "2018-06-01"}}'
    response = client.post(URL, content=content, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "lat"]


@sqlite_only
@pytest.mark.parametrize("content", ["not json", "[1, 2]", ""])
def test_a_body_that_is_not_a_json_object_is_a_422(client: TestClient, content: str) -> None:
    response = client.post(URL, content=content, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert "detail" in response.json()


@sqlite_only
@pytest.mark.parametrize("day", ["2013-12-31", "2999-01-01"])
def test_dates_outside_the_satellite_era_are_a_422(client: TestClient, day: str) -> None:
    response = client.post(URL, json={**NOWHERE, "date": day})
    assert response.status_code == 422
    assert response.json()["field"] == "date"


@sqlite_only
def test_a_huge_payload_is_a_413(client: TestClient, settings: Settings) -> None:
    padding = "x" * settings.max_body_bytes
    response = client.post(URL, json={**NOWHERE, "padding": padding})
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


# --- Gemini through google-genai --------------------------------------------------------


def test_a_grounded_gemini_answer_is_used_and_sent_only_the_facts(
    client: TestClient, install: Install, gemini: FakeLlmServer
) -> None:
    use_gemini(install, gemini)
    answer = explain(client)
    assert answer["provider"] == "gemini"
    assert answer["model"] == "gemini-test"
    assert answer["fallback"] is None
    assert answer["reasoning"] == "The point is on land in Chad, far from Nyala."
    assert answer["citedFactIds"] == ["surface"]
    # The verdict comes from the facts, whoever wrote the text: no plant within 100 km here.
    assert answer["verdict"] == NO_SOURCE
    assert not any(fact["kind"] == "power_plant" for fact in answer["facts"])
    [request] = gemini.requests
    assert request.model == "gemini-test"
    assert request.headers["x-goog-api-key"] == GEMINI_KEY
    assert request.body["systemInstruction"]["parts"] == [{"text": INSTRUCTIONS}]
    [content] = request.body["contents"]
    assert json.loads(content["parts"][0]["text"]) == answer["facts"]
    assert request.body["generationConfig"]["responseMimeType"] == "application/json"


def test_a_second_request_is_a_cache_hit_the_server_never_sees(
    client: TestClient, install: Install, gemini: FakeLlmServer
) -> None:
    use_gemini(install, gemini)
    first = explain(client)
    second = explain(client, {**NOWHERE, "lat": 10.001})  # the same rounded point
    assert (first["cached"], second["cached"]) == (False, True)
    assert second["reasoning"] == first["reasoning"]
    assert second["verdict"] == first["verdict"] == NO_SOURCE
    assert second["cachedAt"] == first["cachedAt"]
    assert len(gemini.requests) == 1


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (
            '{"reasoning": "A plume of 7.5 ppm reached the point.", "citedFactIds": ["signal"]}',
            "invented_number",
        ),
        (
            '{"reasoning": "The point is near the Lake Chad basin.", "citedFactIds": ["surface"]}',
            "unknown_name",
        ),
        ('{"reasoning": "Fine.", "citedFactIds": ["plant:1"]}', "unknown_fact_id"),
        ("The point is on land in Chad.", "malformed"),
        ('{"reasoning": "", "citedFactIds": []}', "malformed"),
    ],
)
def test_an_ungrounded_gemini_answer_falls_back_to_rules_and_is_cached(
    client: TestClient, install: Install, gemini: FakeLlmServer, reply: str, reason: str
) -> None:
    gemini.reply = reply
    use_gemini(install, gemini)
    answer = explain(client)
    assert_fallback(answer, "gemini", reason)
    assert "7.5" not in answer["reasoning"]
    assert "Lake" not in answer["reasoning"]
    # The same (ungrounded) answer would come back: the fallback is kept, the LLM not asked.
    assert explain(client)["cached"] is True
    assert len(gemini.requests) == 1


def test_a_gemini_timeout_falls_back_at_once_and_is_not_cached(
    client: TestClient, install: Install, gemini: FakeLlmServer
) -> None:
    gemini.delay_s = 5.0
    use_gemini(install, gemini, llm_timeout_seconds=0.3)
    answer = explain(client)
    # The reply was held for 5 s: a fallback for "timeout" means the 0.3 s timeout cut it
    # off, and one recorded request (recorded on arrival) means no retry followed.
    assert_fallback(answer, "gemini", "timeout")
    assert len(gemini.requests) == 1
    assert (answer["cachedAt"], answer["expiresAt"]) == (None, None)
    gemini.delay_s = 0.0
    assert explain(client)["provider"] == "gemini"  # asked again, now it answers
    assert len(gemini.requests) == 2


@pytest.mark.parametrize("status", [429, 500, 503, 403])
def test_a_gemini_http_error_falls_back_without_retrying(
    client: TestClient, install: Install, gemini: FakeLlmServer, status: int
) -> None:
    gemini.error_status = status
    use_gemini(install, gemini)
    answer = explain(client)
    assert_fallback(answer, "gemini", "unavailable")
    assert answer["cachedAt"] is None
    assert len(gemini.requests) == 1


def test_an_unreachable_gemini_falls_back(client: TestClient, install: Install) -> None:
    with FakeLlmServer("gemini") as stopped:
        url = stopped.url
    install(reasoning_provider="gemini", gemini_api_key=GEMINI_KEY, gemini_base_url=url)
    assert_fallback(explain(client), "gemini", "unavailable")


def test_gemini_without_a_key_answers_with_rules(client: TestClient, install: Install) -> None:
    install(reasoning_provider="gemini", gemini_api_key=None)
    answer = explain(client)
    assert_fallback(answer, "gemini", "not_configured")
    assert answer["cachedAt"] is None


def test_llm_misses_over_the_limit_are_answered_by_rules(
    client: TestClient, install: Install, gemini: FakeLlmServer
) -> None:
    use_gemini(install, gemini, llm_misses_per_minute=1)
    assert explain(client)["provider"] == "gemini"
    limited = explain(client, {**NOWHERE, "lat": 10.5})
    assert_fallback(limited, "gemini", "rate_limited")
    assert explain(client)["cached"] is True  # hits are never limited
    assert len(gemini.requests) == 1


def test_an_expired_answer_is_never_served(
    client: TestClient, install: Install, gemini: FakeLlmServer
) -> None:
    clock = Clock(datetime(2024, 1, 1, tzinfo=UTC))
    use_gemini(install, gemini, clock=clock, reasoning_cache_days=30)
    first = explain(client)
    clock.now += timedelta(days=30) - timedelta(seconds=1)
    assert explain(client)["cached"] is True
    clock.now += timedelta(seconds=1)
    renewed = explain(client)
    assert renewed["cached"] is False
    assert renewed["cachedAt"] != first["cachedAt"]
    assert datetime.fromisoformat(renewed["cachedAt"]) == clock.now
    assert len(gemini.requests) == 2


def test_the_gemini_key_is_never_logged_nor_returned(
    client: TestClient,
    install: Install,
    gemini: FakeLlmServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    gemini.error_status = 500
    caplog.set_level(logging.DEBUG)
    use_gemini(install, gemini)
    response = client.post(URL, json=NOWHERE)
    gemini.error_status, gemini.reply = None, '{"reasoning": "It is 99 ppm.", "citedFactIds": []}'
    client.post(URL, json={**NOWHERE, "lat": 11.0})
    assert "answer not used" in caplog.text
    assert GEMINI_KEY not in caplog.text
    assert GEMINI_KEY not in response.text


# --- Bedrock through boto3 Converse --------------------------------------------------


def test_a_grounded_bedrock_answer_is_used(
    client: TestClient, install: Install, bedrock: FakeLlmServer
) -> None:
    use_bedrock(install, bedrock)
    answer = explain(client)
    assert (answer["provider"], answer["model"]) == ("bedrock", BEDROCK_MODEL)
    assert answer["fallback"] is None
    assert answer["citedFactIds"] == ["surface"]
    [request] = bedrock.requests
    assert request.model == BEDROCK_MODEL
    assert request.headers["authorization"].startswith("AWS4-HMAC-SHA256 ")
    assert request.body["system"] == [{"text": INSTRUCTIONS}]
    [message] = request.body["messages"]
    assert message["role"] == "user"
    assert json.loads(message["content"][0]["text"]) == answer["facts"]
    assert explain(client)["cached"] is True
    assert len(bedrock.requests) == 1


def test_a_bedrock_timeout_falls_back(
    client: TestClient, install: Install, bedrock: FakeLlmServer
) -> None:
    bedrock.delay_s = 5.0
    use_bedrock(install, bedrock, llm_timeout_seconds=0.3)
    assert_fallback(explain(client), "bedrock", "timeout")
    assert len(bedrock.requests) == 1


@pytest.mark.parametrize("status", [429, 500, 403])
def test_a_bedrock_error_falls_back_without_retrying(
    client: TestClient, install: Install, bedrock: FakeLlmServer, status: int
) -> None:
    bedrock.error_status = status
    use_bedrock(install, bedrock)
    assert_fallback(explain(client), "bedrock", "unavailable")
    assert len(bedrock.requests) == 1


def test_an_ungrounded_bedrock_answer_falls_back(
    client: TestClient, install: Install, bedrock: FakeLlmServer
) -> None:
    bedrock.reply = '{"reasoning": "Emissions from Kano drift here.", "citedFactIds": ["wind"]}'
    use_bedrock(install, bedrock)
    assert_fallback(explain(client), "bedrock", "unknown_name")
