"""The baseline questionnaire's bodies (camelCase)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from carbontrack.api.schemas import Body

QuestionId = Annotated[str, StringConstraints(min_length=1, max_length=60)]
Answer = Annotated[str, StringConstraints(max_length=40)] | Annotated[float, Field(ge=0)]


class QuestionOut(Body):
    question_id: str
    text: str
    kind: str
    options: list[str]
    minimum: float
    maximum: float
    integer: bool
    unknown_allowed: bool
    typical_help: str | None


class QuestionList(Body):
    version: int
    unknown: str = Field(description='The answer meaning "I don\'t know"')
    items: list[QuestionOut]


class BaselineIn(Body):
    answers: dict[QuestionId, Answer] = Field(max_length=40)


class BaselineLineOut(Body):
    category: str
    co2e_kg_per_year: float
    assumption: str
    factor_id: str | None
    dataset: str | None
    typical: bool


class BaselineOut(Body):
    questionnaire_version: int
    answers: dict[str, str]
    lines: list[BaselineLineOut]
    by_category: dict[str, float]
    co2e_kg_per_year: float
    notes: list[str]
    created_at: datetime
    updated_at: datetime
    version: int
