"""The goal form of /goals and of a team's page: read what was typed, check it, show it again.

Field names are the API's (`kind`, `period`, `category`, `targetReductionPercent`,
`targetCo2eKg`, `startDate`, and `scope` for a team goal), so a domain error's `field` names
the form field it belongs next to. Without JavaScript both targets are on the form; only the
one the chosen kind takes is read, so a value left in the other never fails the form. Each
field is checked on its own first, so a form with two mistakes shows both; the service then
applies every rule again when it saves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated

from fastapi import Form

from carbontrack.domain import dates, goals
from carbontrack.domain.categories import CATEGORIES
from carbontrack.domain.errors import DomainError, InvalidInput
from carbontrack.services import team_stats
from carbontrack.services.goals import GoalInput
from carbontrack.web.app import forms

FIELDS = (
    "kind",
    "scope",
    "period",
    "category",
    "targetReductionPercent",
    "targetCo2eKg",
    "startDate",
)
_FIELD_NAMES = {name: name for name in FIELDS}
CHOICES: dict[str, list[tuple[str, str]]] = {
    "kind": [("budget", "Budget: at most so many kg"), ("reduction", "Reduction: cut by a %")],
    "period": [("week", "Week"), ("month", "Month"), ("year", "Year")],
    "category": [("", "Whole footprint"), *((c, c.capitalize()) for c in CATEGORIES)],
    "scope": [("per_member", "Per member (the team's average)"), ("total", "Whole team (the sum)")],
}


@dataclass
class GoalForm:
    """The form's values exactly as typed (strings), and an error message per field."""

    kind: str = "budget"
    period: str = "month"
    category: str = ""
    target_reduction_percent: str = ""
    target_co2e_kg: str = ""
    start_date: str = ""
    scope: str = "per_member"
    errors: dict[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str:
        """The typed value of a field by its API name."""
        return {
            "kind": self.kind,
            "scope": self.scope,
            "period": self.period,
            "category": self.category,
            "targetReductionPercent": self.target_reduction_percent,
            "targetCo2eKg": self.target_co2e_kg,
            "startDate": self.start_date,
        }[name]

    def fail(self, exc: DomainError) -> None:
        """Put a domain error next to its field (one the form lacks goes on top, as key "")."""
        self.errors.update(forms.domain_errors(exc, _FIELD_NAMES))


def typed(
    kind: Annotated[str, Form()] = "",
    period: Annotated[str, Form()] = "",
    category: Annotated[str, Form()] = "",
    target_reduction_percent: Annotated[str, Form(alias="targetReductionPercent")] = "",
    target_co2e_kg: Annotated[str, Form(alias="targetCo2eKg")] = "",
    start_date: Annotated[str, Form(alias="startDate")] = "",
    scope: Annotated[str, Form()] = "",
) -> GoalForm:
    """The posted goal form as typed (a dependency: every field optional, checked later)."""
    return GoalForm(
        kind=kind,
        period=period,
        category=category,
        target_reduction_percent=target_reduction_percent,
        target_co2e_kg=target_co2e_kg,
        start_date=start_date,
        scope=scope,
    )


def check(form: GoalForm) -> GoalInput | None:
    """The goal as the service takes it, or None with `form.errors` saying what is wrong."""
    if form.kind not in goals.KINDS:
        form.errors["kind"] = "Choose a budget or a reduction goal."
    if form.period not in goals.GOAL_PERIODS:
        form.errors["period"] = "Choose a week, a month or a year."
    if form.category and form.category not in CATEGORIES:
        form.errors["category"] = "Choose a category from the list, or the whole footprint."
    percent = kg = None
    if form.kind == "reduction":
        percent = _number(form, "targetReductionPercent", upper=100, what="a percentage")
    elif form.kind == "budget":
        kg = _number(form, "targetCo2eKg", upper=goals.MAX_TARGET_CO2E_KG, what="kg CO2e")
    start = _start_date(form)
    if form.errors:
        return None
    return GoalInput(
        kind=form.kind,
        period=form.period,
        category=form.category or None,
        target_reduction_percent=percent,
        target_co2e_kg=kg,
        start_date=start,
    )


def check_team(form: GoalForm) -> team_stats.GoalInput | None:
    """A team goal as the service takes it, or None with `form.errors` filled in."""
    personal = check(form)
    if form.scope not in goals.TEAM_SCOPES:
        form.errors["scope"] = "Choose whether the target is per member or for the whole team."
    if personal is None or form.errors:
        return None
    return team_stats.GoalInput(
        kind=personal.kind,
        scope=form.scope,
        period=personal.period,
        category=personal.category,
        target_reduction_percent=personal.target_reduction_percent,
        target_co2e_kg=personal.target_co2e_kg,
        start_date=personal.start_date,
    )


def _number(form: GoalForm, name: str, *, upper: float, what: str) -> float | None:
    raw = form.value(name).strip()
    try:
        value = float(raw)
    except ValueError:
        form.errors[name] = f"Enter the target in {what} as a number, e.g. 20."
        return None
    if not math.isfinite(value) or not 0 < value <= upper:
        form.errors[name] = f"Enter a target in {what} above 0 and at most {upper:g}."
        return None
    return value


def _start_date(form: GoalForm) -> date | None:
    raw = form.start_date.strip()
    if not raw:
        return None
    try:
        return dates.parse_day(raw)
    except InvalidInput:
        form.errors["startDate"] = "Enter the start date as YYYY-MM-DD, or leave it empty."
        return None
