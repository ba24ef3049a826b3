"""The baseline footprint's types: a questionnaire's answers and the yearly estimate they give.

Pure data, shared by the questionnaire's arithmetic (`domain/baseline.py`), the store, the
dashboard and the recommendations. Every line says which factor and which assumption made it,
so an estimate is as traceable as a logged entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

UNKNOWN = "unknown"  # the answer "I don't know": a cited typical value stands in


@dataclass(frozen=True, slots=True)
class BaselineLine:
    """One category's estimated kg CO2e a year, and how it was reached."""

    category: str  # one of domain.categories.CATEGORIES
    co2e_kg_per_year: float
    assumption: str  # plain words: "gas heating, 11,500 kWh a year (Ofgem typical, medium)"
    factor_id: str | None = None  # the catalogue factor used, where one was
    dataset: str | None = None  # that factor's dataset id (or the typical value's source id)
    typical: bool = False  # True when an "I don't know" was answered by a typical value


@dataclass(frozen=True, slots=True)
class Baseline:
    """A user's estimated annual footprint by category, from the questionnaire."""

    user_id: str
    questionnaire_version: int
    answers: Mapping[str, str]  # question id -> the answer as given (UNKNOWN for "I don't know")
    lines: tuple[BaselineLine, ...]
    created_at: datetime  # UTC
    updated_at: datetime  # UTC
    version: int = 0  # bumped by each conditional rewrite (store concurrency)
    notes: tuple[str, ...] = field(default_factory=tuple)  # what is and is not counted

    @property
    def co2e_kg_per_year(self) -> float:
        """The whole estimate, kg CO2e a year."""
        return sum(line.co2e_kg_per_year for line in self.lines)

    def by_category(self) -> dict[str, float]:
        """kg CO2e a year per category (categories with no line are absent)."""
        totals: dict[str, float] = {}
        for line in self.lines:
            totals[line.category] = totals.get(line.category, 0.0) + line.co2e_kg_per_year
        return totals
