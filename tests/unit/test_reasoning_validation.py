"""The checks an LLM's answer must pass before it is shown instead of the rules text."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest

from carbontrack.domain.reasoning import FallbackReason
from carbontrack.explorer.domain.reasoning_validation import (
    MAX_REASONING_CHARS,
    UngroundedAnswer,
    check_answer,
)

FACTS: list[dict[str, object]] = [
    {
        "id": "plant:42",
        "kind": "power_plant",
        "name": "Bełchatów Power Station",
        "fuel": "coal",
        "capacityMw": 5102.0,
        "distanceKm": 42.37,
        "bearingDeg": 215,
        "direction": "SW",
        "upwind": True,
        "co2MtPerYr": 37.6,
    },
    {"id": "wind", "kind": "wind", "known": True, "speedMps": 4.2, "fromDirection": "SW"},
    {"id": "signal", "kind": "signal", "deviationPpm": -3.25, "noisePpm": 1.0},
    {"id": "surface", "kind": "surface", "surface": "land", "country": "Poland"},
    {"id": "background", "kind": "background", "date": "2018-06-12", "ppm": 408.7},
]


def answer(reasoning: str, cited: Sequence[str] = ("plant:42",), **extra: Any) -> str:
    return json.dumps({"reasoning": reasoning, "citedFactIds": list(cited), **extra})


def rejection(raw: str, facts: Sequence[dict[str, object]] = FACTS) -> UngroundedAnswer:
    with pytest.raises(UngroundedAnswer) as caught:
        check_answer(raw, facts)
    return caught.value


def test_a_grounded_answer_is_accepted_as_written() -> None:
    text = (
        "The Bełchatów Power Station, a 5102 MW coal plant 42.37 km to the SW, lies upwind. "
        "The wind came from the SW at 4.2 m/s."
    )
    checked = check_answer(answer(text, ["plant:42", "wind", "plant:42"]), FACTS)
    assert checked.reasoning == text
    assert checked.cited_fact_ids == ("plant:42", "wind")  # duplicates dropped, order kept


def test_a_fenced_answer_with_extra_keys_is_accepted() -> None:
    raw = "```json\n" + answer("Coal burns in Poland.", confidence="high") + "\n```"
    assert check_answer(raw, FACTS).reasoning == "Coal burns in Poland."


@pytest.mark.parametrize(
    "raw",
    [
        "The plant is upwind.",  # prose, not JSON
        "[]",
        '{"reasoning": "The plant is upwind."}',
        '{"citedFactIds": ["wind"]}',
        '{"reasoning": 42, "citedFactIds": ["wind"]}',
        '{"reasoning": "   ", "citedFactIds": ["wind"]}',
        '{"reasoning": "The plant.", "citedFactIds": "wind"}',
        '{"reasoning": "The plant.", "citedFactIds": [7]}',
        '{"reasoning": "The plant.", "citedFactIds": []}',  # cites nothing
        '{"reasoning": "The plant.", "citedFactIds": ["wind"]',  # truncated
    ],
)
def test_malformed_answers_are_rejected(raw: str) -> None:
    assert rejection(raw).reason is FallbackReason.MALFORMED


def test_an_overlong_answer_is_malformed() -> None:
    raw = answer("The plant is upwind. " * (MAX_REASONING_CHARS // 20))
    assert rejection(raw).reason is FallbackReason.MALFORMED


def test_an_unknown_fact_id_is_rejected() -> None:
    caught = rejection(answer("The plant is upwind.", ["plant:42", "plant:999"]))
    assert caught.reason is FallbackReason.UNKNOWN_FACT_ID
    assert caught.offending == "plant:999"


@pytest.mark.parametrize(
    "number",
    ["42.37", "42.4", "42", "5102", "5,102", "3.25", "3.3", "3.2", "3", "-3.25", "409", "37.6"],
)
def test_numbers_of_the_facts_may_be_rounded_to_the_precision_shown(number: str) -> None:
    assert check_answer(answer(f"The value is {number} here."), FACTS)


@pytest.mark.parametrize("number", ["42.5", "40", "5100", "3.1", "410", "0.5", "13.0", "2,000"])
def test_numbers_not_in_the_facts_are_rejected(number: str) -> None:
    caught = rejection(answer(f"The value is {number} here."))
    assert caught.reason is FallbackReason.INVENTED_NUMBER
    assert caught.offending == number


def test_digits_inside_string_facts_count_and_gas_and_instrument_names_are_not_numbers() -> None:
    text = "On 2018-06-12, NASA's OCO-2 saw XCO2 and CO2 above 408.7 ppm, per plant:42."
    assert check_answer(answer(text), FACTS)


def test_an_invented_number_in_a_longer_text_is_found() -> None:
    text = "The plant lies 42.37 km away and emits 37.6 Mt a year, about 7 times the average."
    assert rejection(answer(text)).offending == "7"


@pytest.mark.parametrize(
    "text",
    [
        "Emissions from the Bełchatów plant in POLAND are likely.",  # any case of a fact word
        "In June, the southern wind was from the SW.",  # vocabulary and facts
        "There is coal nearby. Nearby, the wind blows from the SW.",
        "Its MW capacity is 5102.",  # "Mw" is part of the camelCase key capacityMw
        "However, no source is upwind.",
    ],
)
def test_capitalised_words_of_the_facts_vocabulary_or_ordinary_openers_pass(text: str) -> None:
    assert check_answer(answer(text), FACTS)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The plant near Warsaw is upwind.", "Warsaw"),  # a real place, but not in the facts
        ("Drax emits most of it.", "Drax"),  # an invented name opening a sentence
        ("The Bełchatów Energy Centre is upwind.", "Energy"),  # a part not in the facts
        ("It is upwind. Belchatow is the source.", "Belchatow"),  # spelt otherwise
        ("Emissions rise; PGE runs the plant.", "PGE"),
    ],
)
def test_names_not_in_the_facts_are_rejected(text: str, name: str) -> None:
    caught = rejection(answer(text))
    assert caught.reason is FallbackReason.UNKNOWN_NAME
    assert caught.offending == name


def test_an_ordinary_word_is_a_name_when_it_is_capitalised_mid_sentence() -> None:
    assert rejection(answer("The plant of Emissions Ltd is upwind.")).offending == "Emissions"


def test_without_facts_an_answer_needs_no_citation_but_may_state_nothing() -> None:
    assert check_answer(answer("No source is known.", []), [])
    assert rejection(answer("It is 5 ppm.", []), []).reason is FallbackReason.INVENTED_NUMBER
