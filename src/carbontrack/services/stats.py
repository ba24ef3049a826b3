"""Footprint statistics over a range of the user's local days, read only from month totals.

One `rollups.month_totals` call covers the range and the range before it, so the cost of a
request does not depend on how many entries the user has (docs/api.md, "Stats").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from carbontrack.datasets.owid import load_country_electricity
from carbontrack.domain import comparisons, periods
from carbontrack.domain.comparisons import CountryElectricity
from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.models import MonthTotals, User
from carbontrack.domain.periods import Period
from carbontrack.store.base import Store

# Five calendar years hold at most two leap days: 5 x 365 + 2.
MAX_RANGE_DAYS = 1827
_ONE_DAY = timedelta(days=1)
_KG_DIGITS = 6  # a milligram: below any factor's precision, and no float noise in the JSON


@dataclass(frozen=True, slots=True)
class SeriesPoint:
    """One period of the range; `end` is its last day (inclusive)."""

    start: date
    end: date
    total_co2e_kg: float
    by_category: dict[str, float]


@dataclass(frozen=True, slots=True)
class PreviousRange:
    """The range just before the one asked for; `end` is its last day (inclusive)."""

    start: date
    end: date
    total_co2e_kg: float


@dataclass(frozen=True, slots=True)
class Trend:
    """Change from the previous range; no percentage when the previous range was zero."""

    change_kg: float
    change_percent: float | None


@dataclass(frozen=True, slots=True)
class Comparison:
    """A published benchmark pro-rated to the range, next to the user's own figure."""

    id: str
    label: str
    source: str
    year: int
    value_kg: float
    user_kg: float
    category: str | None = None  # None: compared with the whole footprint
    licence: str | None = None


@dataclass(frozen=True, slots=True)
class Stats:
    """A user's footprint over `[start, end]` (local days, `end` inclusive)."""

    period: Period
    start: date
    end: date
    total_co2e_kg: float
    by_category: dict[str, float]
    series: list[SeriesPoint]
    previous: PreviousRange
    trend: Trend
    comparisons: list[Comparison]
    notes: list[str]


def get_stats(
    *,
    store: Store,
    user: User,
    period: Period = "month",
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> Stats:
    """The user's totals, series, trend and comparisons for a range (one store read)."""
    today = periods.local_day(now or datetime.now(UTC), user.time_zone)
    first, stop = resolve_range(period=period, start=start, end=end, today=today)
    if start is None and end is None:
        before = same_days_before(first, today=today, period=period)
    else:
        before = previous_range(first, stop, period)
    totals = store.rollups.month_totals(user.user_id, periods.month_keys(before[0], stop))
    country, notes = country_benchmark(user.country)
    return summarize(
        totals, period=period, start=first, stop=stop, previous=before, country=country, notes=notes
    )


def resolve_range(
    *, period: Period, start: date | None, end: date | None, today: date
) -> tuple[date, date]:
    """The half-open range `[start, stop)` a request means; `end` is inclusive.

    Neither bound: the current period. One bound: the period that contains it.
    """
    if start is None:
        if end is None:
            return periods.period_start(today, period), periods.period_end(today, period)
        start = periods.period_start(end, period)
    stop = periods.period_end(start, period) if end is None else end + _ONE_DAY
    if stop <= start:
        raise InvalidInput("`to` must not be before `from`", field="to")
    if (stop - start).days > MAX_RANGE_DAYS:
        raise InvalidInput("a range may span at most 5 years", field="to")
    return start, stop


def previous_range(start: date, stop: date, period: Period) -> tuple[date, date]:
    """The range just before `[start, stop)`, half-open.

    As many whole periods when the range is made of whole periods (March after February,
    whatever their lengths), otherwise as many days.
    """
    spans = periods.periods(start, stop, period)
    if spans[0][0] == start and spans[-1][1] == stop:
        return periods.shift(start, period, -len(spans)), start
    return start - (stop - start), start


def same_days_before(start: date, *, today: date, period: Period) -> tuple[date, date]:
    """The same days of the previous period as `start..today` of the current one, half-open.

    The current period is not over, so it is compared with as many days from the start of
    the one before, not with all of it: the 10th of a month with the 1st to the 10th of the
    last. A shorter previous period is taken whole (31 March: all of February).
    """
    before = periods.shift(start, period, -1)
    return before, min(before + (today + _ONE_DAY - start), start)


def country_benchmark(country: str | None) -> tuple[CountryElectricity | None, list[str]]:
    """The user's country figure, or None and a note that says why there is none."""
    if country is None:
        return None, [
            "No country comparison: set your country in your profile to compare your "
            "electricity with its average per person."
        ]
    found = load_country_electricity().get(country)
    if found is None:
        return None, [
            f"No country comparison: the Our World in Data energy dataset has no electricity "
            f"figures for {country}."
        ]
    return found, [
        f"The {found.name} figure is all electricity generated there per person ({found.year}: "
        f"{found.kwh_per_person:,.0f} kWh at {found.gco2_per_kwh:,.0f} gCO2/kWh), for homes, "
        "businesses and industry alike; it is compared with your electricity entries only."
    ]


def summarize(
    totals: Sequence[MonthTotals],
    *,
    period: Period,
    start: date,
    stop: date,
    previous: tuple[date, date],
    country: CountryElectricity | None,
    notes: list[str],
) -> Stats:
    """Stats for `[start, stop)` from month totals that cover it and `previous`."""
    total = periods.total_kg(totals, start, stop)
    by_category = periods.by_category(totals, start, stop)
    previous_total = periods.total_kg(totals, *previous)
    change = total - previous_total
    return Stats(
        period=period,
        start=start,
        end=stop - _ONE_DAY,
        total_co2e_kg=_kg(total),
        by_category=_rounded(by_category),
        series=series(totals, start, stop, period),
        previous=PreviousRange(previous[0], previous[1] - _ONE_DAY, _kg(previous_total)),
        trend=Trend(
            change_kg=_kg(change),
            change_percent=round(change / previous_total * 100, 2) if _kg(previous_total) else None,
        ),
        comparisons=benchmarks(start, stop, total, by_category, country),
        notes=notes,
    )


def series(
    totals: Sequence[MonthTotals], start: date, stop: date, period: Period
) -> list[SeriesPoint]:
    """kg per period of the range (the first and last cut to the range); one pass over days."""
    spans = periods.periods(start, stop, period)
    position = {span_start: index for index, (span_start, _) in enumerate(spans)}
    sums: list[dict[str, float]] = [{} for _ in spans]
    for day, kg_by_category, _ in periods.days(totals):
        if start <= day < stop:
            bucket = sums[position[periods.period_start(day, period)]]
            for category, kg in kg_by_category.items():
                bucket[category] = bucket.get(category, 0.0) + kg
    return [
        SeriesPoint(
            start=max(span_start, start),
            end=min(span_stop, stop) - _ONE_DAY,
            total_co2e_kg=_kg(sum(bucket.values())),
            by_category=_rounded(bucket),
        )
        for (span_start, span_stop), bucket in zip(spans, sums, strict=True)
    ]


def benchmarks(
    start: date,
    stop: date,
    total: float,
    by_category: dict[str, float],
    country: CountryElectricity | None,
) -> list[Comparison]:
    """The 1.5 °C budget and, with a country figure, its electricity per person, pro-rated."""
    found = [
        Comparison(
            id=comparisons.BUDGET_ID,
            label=comparisons.BUDGET_LABEL,
            source=comparisons.BUDGET_SOURCE,
            year=comparisons.BUDGET_YEAR,
            value_kg=_kg(comparisons.prorate(comparisons.BUDGET_KG_PER_YEAR, start, stop)),
            user_kg=_kg(total),
        )
    ]
    if country is not None:
        annual = country.co2e_kg_per_person_per_year
        found.append(
            Comparison(
                id=comparisons.COUNTRY_ELECTRICITY_ID,
                label=country.label,
                source=comparisons.COUNTRY_ELECTRICITY_SOURCE,
                year=country.year,
                value_kg=_kg(comparisons.prorate(annual, start, stop)),
                user_kg=_kg(by_category.get("electricity", 0.0)),
                category="electricity",
                licence=comparisons.COUNTRY_ELECTRICITY_LICENCE,
            )
        )
    return found


def _kg(value: float) -> float:
    return round(value, _KG_DIGITS) + 0.0  # + 0.0 turns -0.0 into 0.0


def _rounded(kg_by_category: dict[str, float]) -> dict[str, float]:
    return {category: _kg(kg) for category, kg in sorted(kg_by_category.items())}
