"""Response body of `GET /api/stats` (camelCase; `from` and `to` are inclusive local days)."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from carbontrack.api.schemas import Body


class SeriesPointOut(Body):
    start: date
    end: date
    total_co2e_kg: float
    by_category: dict[str, float]


class PreviousOut(Body):
    start: date = Field(serialization_alias="from")
    end: date = Field(serialization_alias="to")
    total_co2e_kg: float


class TrendOut(Body):
    change_kg: float
    change_percent: float | None


class ComparisonOut(Body):
    id: str
    label: str
    source: str
    year: int
    value_kg: float
    user_kg: float
    category: str | None
    licence: str | None


class StatsOut(Body):
    period: str
    start: date = Field(serialization_alias="from")
    end: date = Field(serialization_alias="to")
    total_co2e_kg: float
    by_category: dict[str, float]
    series: list[SeriesPointOut]
    previous: PreviousOut
    trend: TrendOut
    comparisons: list[ComparisonOut]
    notes: list[str]
