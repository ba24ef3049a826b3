"""Reduction actions: when each applies, what it would save the user, and the ranking. Pure.

A saving is computed by the footprint engine (`footprint.co2e_kg`) with catalogue factors on
a year of each category (`Usage`, built by `yearly_usage`: the logs of the last 12 months,
the baseline's line, or the logs of the last `WINDOW_DAYS` days scaled to a year, each usage
carrying its own `per_year` and the words that say which). Two shapes of action:

- a **swap** moves a share of the activity to another factor (car km to national rail):
  saving = co2e(share x quantity, old factor) - co2e(share x quantity, new factor);
- a **cut** does less of it (1 degC lower thermostat): saving = co2e(quantity) x cut.

Ranking: kg saved a year, most first; ties go to the lower effort, then the action id.
Savings under `TRIVIAL_SHARE` of the person's yearly footprint are hidden. Actions without
a number (advice only) come last.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from carbontrack.domain import footprint, units
from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.models import Entry, Factor

Effort = Literal["low", "medium", "high"]
EFFORT_ORDER: dict[str, int] = {"low": 0, "medium": 1, "high": 2}
WINDOW_DAYS = 90
PER_YEAR = 365 / WINDOW_DAYS
TRIVIAL_SHARE = 0.01  # a saving under 1 % of the yearly footprint is not worth a line

FactorLookup = Callable[[str], Factor | None]


@dataclass(frozen=True, slots=True)
class Usage:
    """What the user logged with one factor in the window, in that factor's unit."""

    factor_id: str
    category: str
    unit: str
    quantity: float
    co2e_kg: float  # as recorded with the entries
    entries: int
    per_year: float = PER_YEAR  # times `quantity` is a year of it
    period: str = f"in the last {WINDOW_DAYS} days"  # what `quantity` covers, for a sentence
    basis: str = ""  # the sentence saying which number the saving rests on


@dataclass(frozen=True, slots=True)
class Estimate:
    """An action's saving for this user and the sentence that explains it."""

    savings_kg_per_year: float
    rationale: str


Estimator = Callable[[Sequence[Usage], FactorLookup], Estimate | None]


@dataclass(frozen=True, slots=True)
class Action:
    """One reduction action; `estimate` is None where we have no sourced way to put a number."""

    action_id: str
    title: str
    category: str  # transport | flights | home-energy | waste | purchases | food
    effort: Effort
    advice: str  # what to do, for anyone: the text of general advice
    estimate: Estimator | None


@dataclass(frozen=True, slots=True)
class Recommendation:
    """An action as recommended to one user."""

    action: Action
    savings_kg_per_year: float | None
    rationale: str
    general: bool  # True: not computed from the user's own entries


def summarise(entries: Iterable[Entry]) -> list[Usage]:
    """Sum entries per concrete factor, quantities converted to the factor's unit."""
    sums: dict[str, tuple[str, str, float, float, int]] = {}
    for entry in entries:
        used = entry.factor
        quantity = entry.quantity * footprint.unit_ratio(entry.unit, used.unit)
        _, _, q, kg, n = sums.get(used.factor_id, (entry.category, used.unit, 0.0, 0.0, 0))
        sums[used.factor_id] = (entry.category, used.unit, q + quantity, kg + entry.co2e_kg, n + 1)
    return [Usage(fid, *values) for fid, values in sorted(sums.items())]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a swap or cut does to the matching usages over the window."""

    quantity: float | None  # in the display unit; None if some usage could not be shown in it
    co2e_kg: float  # recorded for the matching usages
    saving_kg: float  # a year
    factors: tuple[Factor, ...]  # the factors moved to, for the rationale


def swap(
    usages: Sequence[Usage],
    lookup: FactorLookup,
    *,
    matches: Callable[[str], bool],
    counterparts: Callable[[str], Sequence[str]],
    share: float,
    unit: str | None = None,
) -> Outcome | None:
    """Move `share` of each matching usage to its first counterpart found in the catalogue."""
    picked: list[tuple[Usage, Factor, Factor]] = []
    for usage in usages:
        source = lookup(usage.factor_id) if matches(usage.factor_id) else None
        target = _first(lookup, counterparts(usage.factor_id)) if source else None
        if source is not None and target is not None:
            picked.append((usage, source, target))
    if not picked:
        return None
    saving = sum(
        (
            footprint.co2e_kg(quantity=share * u.quantity, unit=u.unit, factor=old)
            - footprint.co2e_kg(quantity=share * u.quantity, unit=u.unit, factor=new)
        )
        * u.per_year
        for u, old, new in picked
    )
    targets = tuple(dict.fromkeys(new for _, _, new in picked))
    return _outcome([u for u, _, _ in picked], unit, saving, targets)


def cut(
    usages: Sequence[Usage],
    lookup: FactorLookup,
    *,
    matches: Callable[[str], bool],
    fraction: float,
    unit: str | None = None,
) -> Outcome | None:
    """Do `fraction` less of each matching usage."""
    picked = [(u, f) for u in usages if matches(u.factor_id) and (f := lookup(u.factor_id))]
    if not picked:
        return None
    saving = sum(
        footprint.co2e_kg(quantity=u.quantity, unit=u.unit, factor=f) * fraction * u.per_year
        for u, f in picked
    )
    return _outcome([u for u, _ in picked], unit, saving, ())


def _first(lookup: FactorLookup, factor_ids: Sequence[str]) -> Factor | None:
    for factor_id in factor_ids:
        factor = lookup(factor_id)
        if factor is not None:
            return factor
    return None


def _outcome(
    usages: Sequence[Usage], unit: str | None, saving: float, targets: tuple[Factor, ...]
) -> Outcome:
    quantity: float | None = None
    if unit is not None:
        try:
            quantity = sum(
                units.convert(u.quantity, from_unit=u.unit, to_unit=unit) for u in usages
            )
        except InvalidInput:  # e.g. gas in cubic feet next to gas in kWh: no one total
            quantity = None
    return Outcome(quantity, sum(u.co2e_kg for u in usages), saving, targets)


def recommend(
    actions: Sequence[Action],
    usages: Sequence[Usage],
    lookup: FactorLookup,
    *,
    footprint_kg_per_year: float = 0.0,
) -> list[Recommendation]:
    """Every action that applies to `usages`, its saving not trivial, best first (`rank`)."""
    floor = max(0.0, footprint_kg_per_year * TRIVIAL_SHARE)
    found: list[Recommendation] = []
    for action in actions:
        estimate = action.estimate(usages, lookup) if action.estimate and usages else None
        if estimate is not None and estimate.savings_kg_per_year > floor:
            saving = round(estimate.savings_kg_per_year, 1)
            found.append(Recommendation(action, saving, estimate.rationale, general=False))
    return rank(found)


def general_advice(action: Action, reason: str) -> Recommendation:
    """An action as advice for anyone, without a number: `reason` says why there is none."""
    return Recommendation(action, None, f"{action.advice} {reason}", general=True)


def rank(recommendations: Iterable[Recommendation]) -> list[Recommendation]:
    """Best first: kg saved a year, then lower effort, then id; no saving last, as given."""

    def key(item: Recommendation) -> tuple[bool, float, int, str]:
        saving = item.savings_kg_per_year
        if saving is None:
            return (True, 0.0, 0, "")  # a stable sort keeps these in the order given
        return (False, -saving, EFFORT_ORDER[item.action.effort], item.action.action_id)

    return sorted(recommendations, key=key)


def figure(value: float) -> str:
    """A number for a sentence: whole units from 10 up (with thousands separators), else 0.1."""
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:,.1f}"


def cited(factor: Factor) -> str:
    """A factor's value and source, e.g. "0.03694 kg CO2e/km, UK Government ... 2020"."""
    return f"{factor.co2e_kg_per_unit:g} kg CO2e/{factor.unit}, {factor.source}"
