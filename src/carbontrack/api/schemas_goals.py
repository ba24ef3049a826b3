"""Goal request and response bodies (camelCase), reusable for team goals."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal, Self

from pydantic import Field, JsonValue, StringConstraints, model_validator

from carbontrack.api.params import Day
from carbontrack.api.schemas import Body, to_camel
from carbontrack.services.goals import TrackedGoal

Category = Annotated[str, StringConstraints(min_length=1, max_length=40)]
# Fields fixed once a goal is set: a PATCH naming any of them is refused.
FIXED_FIELDS = ("kind", "period", "category", "start_date")


class GoalIn(Body):
    kind: Literal["reduction", "budget"]
    period: Literal["week", "month", "year"]
    category: Category | None = None
    target_reduction_percent: float | None = None
    target_co2e_kg: float | None = None
    start_date: Day | None = None


class GoalPatchIn(Body):
    target_reduction_percent: float | None = None
    target_co2e_kg: float | None = None
    # Accepted only to be refused with a clear message ("create a new goal instead").
    kind: JsonValue = None
    period: JsonValue = None
    category: JsonValue = None
    start_date: JsonValue = None

    @model_validator(mode="after")
    def _targets_are_numbers(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("give targetReductionPercent or targetCo2eKg to change")
        for name in ("target_reduction_percent", "target_co2e_kg"):
            if name in self.model_fields_set and getattr(self, name) is None:
                raise ValueError(f"{to_camel(name)} must be a number")
        return self

    def fixed(self) -> tuple[str, ...]:
        """The camelCase names of the unchangeable fields this request names."""
        return tuple(to_camel(name) for name in FIXED_FIELDS if name in self.model_fields_set)


class PeriodResultOut(Body):
    period_start: date
    period_end: date
    co2e_kg: float
    target_co2e_kg: float
    achieved: bool


class GoalProgressOut(Body):
    status: Literal["upcoming", "active"]
    period_start: date
    period_end: date
    current_co2e_kg: float
    target_co2e_kg: float
    percent: float | None
    projected_co2e_kg: float
    on_track: bool
    days_left: int
    last_period: PeriodResultOut | None
    booked_co2e_kg: float = Field(
        default=0.0, description="kg that bills over a period put on the days still to come"
    )
    projection_days: int = Field(
        default=0, description="How many days of the period (today included) the projection uses"
    )


class GoalOut(Body):
    goal_id: str
    kind: str
    period: str
    category: str | None
    target_reduction_percent: float | None
    target_co2e_kg: float | None
    baseline_co2e_kg: float | None
    start_date: date
    created_at: datetime
    achieved_at: datetime | None  # when a period of the goal first ended within its target
    progress: GoalProgressOut


class GoalList(Body):
    items: list[GoalOut]


def goal_view(tracked: TrackedGoal) -> dict[str, object]:
    """A goal's public fields and its progress, as one object for `GoalOut`."""
    public = {name: getattr(tracked.goal, name) for name in _GOAL_FIELDS}
    return {**public, "progress": tracked.progress}


_GOAL_FIELDS = tuple(name for name in GoalOut.model_fields if name != "progress")


class GoalSuggestionOut(Body):
    suggestion_id: str
    label: str
    kind: Literal["budget"]
    period: Literal["month"]
    category: str | None
    target_co2e_kg: float
    source: str


class GoalSuggestionList(Body):
    items: list[GoalSuggestionOut]
    notes: list[str]
