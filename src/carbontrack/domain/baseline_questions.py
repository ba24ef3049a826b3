"""The baseline questionnaire: its questions and the checks on each answer. Pure.

Answers are strings as a form sends them; `UNKNOWN` ("I don't know") is accepted only where a
cited typical value can stand in (domain/baseline_typical.py). The method is in
docs/data-sources.md ("Baseline questionnaire").
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from carbontrack.domain.baseline_model import UNKNOWN
from carbontrack.domain.baseline_typical import MILE_KM
from carbontrack.domain.errors import InvalidInput

QUESTIONNAIRE_VERSION = 1
Kind = Literal["choice", "number", "distance"]

HEATING_FUELS = ("gas", "oil", "lpg", "electric", "heat_pump", "district", "wood", "none")
CAR_FUELS = ("none", "petrol", "diesel", "hybrid", "electric")
DIETS = ("vegan", "vegetarian", "pescatarian", "low_meat", "medium_meat", "high_meat")
_DISTANCE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(km|mi|miles?)?\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Question:
    """One question: its id, wording, kind, options or range, and what "I don't know" means."""

    question_id: str
    text: str
    kind: Kind
    options: tuple[str, ...] = ()  # for "choice"
    minimum: float = 0.0  # for "number" and "distance"
    maximum: float = 0.0
    typical_help: str | None = None  # None: "I don't know" is not offered
    integer: bool = False  # a count (people, flights)


QUESTIONS: tuple[Question, ...] = (
    Question("home_size", "How big is your home?", "choice", ("small", "medium", "large")),
    Question("heating_fuel", "How is your home heated?", "choice", HEATING_FUELS),
    Question(
        "heating_kwh",
        "How much energy does heating your home use a year, in kWh (gas, oil, or electricity "
        "for heating)?",
        "number",
        maximum=200_000,
        typical_help="Ofgem's typical gas use for your home size (UK), as heat for other fuels",
    ),
    Question(
        "household_size", "How many people live in your home?", "number", (), 1, 20, integer=True
    ),
    Question(
        "electricity_kwh",
        "How much electricity does your home use a year, in kWh, not counting heating?",
        "number",
        maximum=100_000,
        typical_help="typical for your country: Ofgem (UK) or EIA (US) household use",
    ),
    Question(
        "car_fuel",
        "What fuel does your car use?",
        "choice",
        CAR_FUELS,
        typical_help=("DEFRA's average car of unknown fuel"),
    ),
    Question(
        "car_size",
        "How big is your car?",
        "choice",
        ("small", "medium", "large"),
        typical_help="DEFRA's average car",
    ),
    Question(
        "car_distance",
        "How far do you travel by car a year (km, or add 'miles')?",
        "distance",
        maximum=200_000,
        typical_help="national average car mileage: DfT (UK) or EPA (US)",
    ),
    Question(
        "bus_km_week",
        "How many km a week do you travel by bus?",
        "number",
        maximum=5_000,
        typical_help="DfT National Travel Survey: 288 miles a year per person",
    ),
    Question(
        "rail_km_week", "How many km a week do you travel by train?", "number", maximum=10_000
    ),
    Question(
        "flights_domestic", "Domestic return flights a year?", "number", maximum=100, integer=True
    ),
    Question(
        "flights_short_haul",
        "Short-haul return flights a year (up to 3,700 km each way)?",
        "number",
        maximum=100,
        integer=True,
    ),
    Question(
        "flights_long_haul",
        "Long-haul return flights a year?",
        "number",
        maximum=100,
        integer=True,
    ),
    Question("diet", "Which best describes your diet?", "choice", DIETS),
)
BY_ID: dict[str, Question] = {q.question_id: q for q in QUESTIONS}
_CAR_QUESTIONS = ("car_size", "car_distance")


def validate(answers: Mapping[str, str]) -> dict[str, str]:
    """Return the answers checked and completed (missing -> UNKNOWN where allowed)."""
    for question_id in answers:
        if question_id not in BY_ID:
            raise InvalidInput(f"unknown question: {question_id[:60]!r}", field=question_id[:60])
    no_car = answers.get("car_fuel") == "none"
    checked: dict[str, str] = {}
    for question in QUESTIONS:
        if no_car and question.question_id in _CAR_QUESTIONS:
            continue
        checked[question.question_id] = _check(question, answers.get(question.question_id))
    return checked


def _check(question: Question, answer: str | None) -> str:
    """Return the answer normalised, or raise InvalidInput naming the question."""
    qid = question.question_id
    if answer is None or answer.strip().lower() == UNKNOWN:
        if question.typical_help is None:
            raise InvalidInput(f"{qid}: an answer is required", field=qid)
        return UNKNOWN
    answer = answer.strip()
    if question.kind == "choice":
        if answer not in question.options:
            raise InvalidInput(f"{qid}: one of {', '.join(question.options)}", field=qid)
        return answer
    if question.kind == "distance":
        km = distance_km(answer, question_id=qid)
        _in_range(question, km)
        return answer
    value = number(answer, question_id=qid)
    if question.integer and not value.is_integer():
        raise InvalidInput(f"{qid}: a whole number", field=qid)
    _in_range(question, value)
    return answer


def number(answer: str, *, question_id: str) -> float:
    """Parse a finite, non-negative number, or raise InvalidInput naming the question."""
    try:
        value = float(answer.replace(",", ""))
    except ValueError:
        raise InvalidInput(f"{question_id}: not a number", field=question_id) from None
    if not math.isfinite(value):
        raise InvalidInput(f"{question_id}: not a number", field=question_id)
    return value


def distance_km(answer: str, *, question_id: str) -> float:
    """Parse '8000', '8000 km' or '5000 miles' into km."""
    match = _DISTANCE.fullmatch(answer.replace(",", ""))
    if match is None:
        raise InvalidInput(
            f"{question_id}: a distance such as 8000 km or 5000 miles", field=question_id
        )
    unit = (match.group(2) or "km").lower()
    return float(match.group(1)) * (1.0 if unit == "km" else MILE_KM)


def _in_range(question: Question, value: float) -> None:
    """Raise InvalidInput unless minimum <= value <= maximum."""
    if not question.minimum <= value <= question.maximum:
        raise InvalidInput(
            f"{question.question_id}: between {question.minimum:g} and {question.maximum:g}",
            field=question.question_id,
        )
