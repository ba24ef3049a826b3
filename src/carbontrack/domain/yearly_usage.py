"""A year of each category for the recommendations: logs, baseline, or logs scaled. Pure.

Per category, the first of these that holds:
1. the logs are complete: the category's first entry of the last 365 days is at least
   `COMPLETE_DAYS` old, so the last 12 months as logged are its year;
2. the user's baseline has a line for it: the line is its year;
3. the logs of the last `WINDOW_DAYS` days scaled to a year: by 365 / 90, except heating,
   scaled by the heating season (`heating_per_year`).
Each usage says which in `basis`, so a saving names the number it rests on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from carbontrack.domain.baseline_model import Baseline, BaselineLine
from carbontrack.domain.models import Entry
from carbontrack.domain.recommendations import (
    PER_YEAR,
    WINDOW_DAYS,
    FactorLookup,
    Usage,
    figure,
    summarise,
)

YEAR_DAYS = 365
COMPLETE_DAYS = 335  # 11 months: a year of logs, allowing a first month logged late
LITTLE_LOGGED_DAYS = 30  # without a baseline, under a month of logs says too little
# The heating season, a stated rule rather than a measured share: homes in the northern
# hemisphere's temperate climates are heated from October to April (7 months, 212 days).
HEATING_MONTHS = frozenset({10, 11, 12, 1, 2, 3, 4})
HEATING_DAYS_A_YEAR = 212
MIN_HEATING_DAYS = 30  # fewer heating-season days in the window: scale by 365 / 90 instead


@dataclass(frozen=True, slots=True)
class Year:
    """The usages to compute savings on, the yearly footprint they add up to, and how."""

    usages: tuple[Usage, ...]
    footprint_kg_per_year: float
    little_logged: bool  # no baseline and under a month of logs: no numbers of one's own


def year_of_usage(
    entries: Sequence[Entry], baseline: Baseline | None, lookup: FactorLookup, *, now: datetime
) -> Year:
    """Each category's year, chosen as the module docstring says; `entries`: the last 365 days."""
    firsts: dict[str, datetime] = {}
    for entry in entries:
        first = firsts.get(entry.category)
        firsts[entry.category] = min(first, entry.timestamp) if first else entry.timestamp
    lines = baseline.lines if baseline is not None else ()
    usages: list[Usage] = []
    footprint = 0.0
    for category in sorted({*firsts, *(line.category for line in lines)}):
        own = [line for line in lines if line.category == category]
        first = firsts.get(category)
        if first is not None and (now - first).days >= COMPLETE_DAYS:
            chosen = _logged_year(entries, category, now)
        elif own:
            chosen = [u for line in own if (u := line_usage(line, lookup)) is not None]
            footprint += sum(line.co2e_kg_per_year for line in own)
            usages += chosen
            continue
        else:
            chosen = _scaled(entries, category, now)
        footprint += sum(u.co2e_kg * u.per_year for u in chosen)
        usages += chosen
    span = (now - min(firsts.values())).days if firsts else 0
    return Year(tuple(usages), footprint, baseline is None and span < LITTLE_LOGGED_DAYS)


def line_usage(line: BaselineLine, lookup: FactorLookup) -> Usage | None:
    """A baseline line as a year of its factor's unit (kg over the factor), if it has one."""
    factor = lookup(line.factor_id) if line.factor_id else None
    if factor is None or factor.co2e_kg_per_unit <= 0:
        return None
    kg = line.co2e_kg_per_year
    quantity = kg / factor.co2e_kg_per_unit
    basis = (
        f"This rests on your estimate of {figure(kg)} kg CO2e a year for {line.category} "
        f"({line.assumption}), from the questionnaire; log a year of it to use your own logs."
    )
    return Usage(
        factor.factor_id, line.category, factor.unit, quantity, kg, 0, 1.0, "in a year", basis
    )


def heating_per_year(now: datetime) -> tuple[float, str]:
    """What times the last `WINDOW_DAYS` days of heating is a year of it, and the words why."""
    today = now.date()
    days = [today - timedelta(days=n) for n in range(WINDOW_DAYS)]
    in_season = sum(1 for day in days if day.month in HEATING_MONTHS)
    if in_season < MIN_HEATING_DAYS:
        return PER_YEAR, (
            f"This rests on your logs of the last {WINDOW_DAYS} days, mostly outside the "
            f"heating season, scaled to a year (x 365/{WINDOW_DAYS})."
        )
    return HEATING_DAYS_A_YEAR / in_season, (
        f"This rests on your logs of the last {WINDOW_DAYS} days, {in_season} of them in the "
        f"heating season (October to April, {HEATING_DAYS_A_YEAR} days a year, an assumed "
        f"season), scaled to the season (x {HEATING_DAYS_A_YEAR}/{in_season})."
    )


def _logged_year(entries: Sequence[Entry], category: str, now: datetime) -> list[Usage]:
    since = now - timedelta(days=YEAR_DAYS)
    mine = [e for e in entries if e.category == category and e.timestamp >= since]
    basis = "This rests on your logs of the last 12 months."
    return [
        replace(u, per_year=1.0, period="in the last 12 months", basis=basis)
        for u in summarise(mine)
    ]


def _scaled(entries: Sequence[Entry], category: str, now: datetime) -> list[Usage]:
    since = now - timedelta(days=WINDOW_DAYS)
    mine = [e for e in entries if e.category == category and e.timestamp >= since]
    if category == "heating":
        per_year, basis = heating_per_year(now)
    else:
        per_year = PER_YEAR
        basis = (
            f"This rests on your logs of the last {WINDOW_DAYS} days, scaled to a year "
            f"(x 365/{WINDOW_DAYS}); answer the questionnaire (/start) for a fuller picture."
        )
    return [replace(u, per_year=per_year, basis=basis) for u in summarise(mine)]
