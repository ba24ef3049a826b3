"""The pure parts of GET /api/stats: ranges, the previous range, series, trend, benchmarks."""

from __future__ import annotations

from datetime import date

import pytest

from carbontrack.datasets.owid import load_country_electricity
from carbontrack.domain.comparisons import CountryElectricity, prorate
from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.models import MonthTotals
from carbontrack.domain.periods import Period
from carbontrack.services import stats

TODAY = date(2026, 3, 18)  # a Wednesday


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("day", (date(2026, 3, 18), date(2026, 3, 19))),
        ("week", (date(2026, 3, 16), date(2026, 3, 23))),
        ("month", (date(2026, 3, 1), date(2026, 4, 1))),
        ("year", (date(2026, 1, 1), date(2027, 1, 1))),
    ],
)
def test_no_bounds_mean_the_current_period(period: Period, expected: tuple[date, date]) -> None:
    assert stats.resolve_range(period=period, start=None, end=None, today=TODAY) == expected


def test_one_bound_means_the_period_that_contains_it() -> None:
    only_from = stats.resolve_range(period="month", start=date(2026, 2, 10), end=None, today=TODAY)
    assert only_from == (date(2026, 2, 10), date(2026, 3, 1))
    only_to = stats.resolve_range(period="year", start=None, end=date(2025, 6, 30), today=TODAY)
    assert only_to == (date(2025, 1, 1), date(2025, 7, 1))  # `to` is inclusive


def test_bad_ranges_are_refused() -> None:
    with pytest.raises(InvalidInput, match="before"):
        stats.resolve_range(period="day", start=date(2026, 3, 2), end=date(2026, 3, 1), today=TODAY)
    longest = stats.resolve_range(
        period="year", start=date(2020, 1, 1), end=date(2024, 12, 31), today=TODAY
    )
    assert (longest[1] - longest[0]).days == stats.MAX_RANGE_DAYS
    with pytest.raises(InvalidInput, match="5 years"):
        stats.resolve_range(
            period="year", start=date(2020, 1, 1), end=date(2025, 1, 1), today=TODAY
        )


@pytest.mark.parametrize(
    ("start", "stop", "period", "expected"),
    [
        # Whole periods: as many periods before, whatever their lengths.
        (date(2026, 3, 1), date(2026, 4, 1), "month", (date(2026, 2, 1), date(2026, 3, 1))),
        (date(2026, 1, 1), date(2026, 3, 1), "month", (date(2025, 11, 1), date(2026, 1, 1))),
        (date(2024, 1, 1), date(2025, 1, 1), "year", (date(2023, 1, 1), date(2024, 1, 1))),
        (date(2026, 3, 16), date(2026, 3, 23), "week", (date(2026, 3, 9), date(2026, 3, 16))),
        # Not whole periods: as many days before.
        (date(2026, 3, 10), date(2026, 3, 20), "month", (date(2026, 2, 28), date(2026, 3, 10))),
    ],
)
def test_the_previous_range(
    start: date, stop: date, period: Period, expected: tuple[date, date]
) -> None:
    assert stats.previous_range(start, stop, period) == expected


def _totals() -> list[MonthTotals]:
    return [
        MonthTotals(
            month="2026-02",
            co2e_kg_by_day={27: {"transport": 2.0}, 28: {"heating": 1.0}},
            entries_by_day={27: 1, 28: 2},
        ),
        MonthTotals(
            month="2026-03",
            co2e_kg_by_day={1: {"transport": 3.0}, 2: {"transport": 0.5, "water": 0.25}},
            entries_by_day={1: 1, 2: 2},
        ),
    ]


def test_a_series_is_cut_to_the_range() -> None:
    points = stats.series(_totals(), date(2026, 2, 28), date(2026, 3, 3), "week")
    # 28 Feb and 1 Mar are in the week of Monday 23 Feb; 2 Mar starts the next one.
    assert [(p.start, p.end) for p in points] == [
        (date(2026, 2, 28), date(2026, 3, 1)),
        (date(2026, 3, 2), date(2026, 3, 2)),
    ]
    assert [p.by_category for p in points] == [
        {"heating": 1.0, "transport": 3.0},
        {"transport": 0.5, "water": 0.25},
    ]
    assert [p.total_co2e_kg for p in points] == [4.0, 0.75]


def test_summarize_totals_the_range_and_the_trend() -> None:
    result = stats.summarize(
        _totals(),
        period="month",
        start=date(2026, 3, 1),
        stop=date(2026, 4, 1),
        previous=(date(2026, 2, 1), date(2026, 3, 1)),
        country=None,
        notes=["a note"],
    )
    assert (result.start, result.end, result.total_co2e_kg) == (
        date(2026, 3, 1),
        date(2026, 3, 31),
        3.75,
    )
    assert result.by_category == {"transport": 3.5, "water": 0.25}
    assert result.previous == stats.PreviousRange(date(2026, 2, 1), date(2026, 2, 28), 3.0)
    assert result.trend == stats.Trend(change_kg=0.75, change_percent=25.0)
    assert [c.id for c in result.comparisons] == ["lifestyle-budget-1.5c-2030"]
    assert result.notes == ["a note"]


def test_no_percentage_against_nothing() -> None:
    result = stats.summarize(
        _totals(),
        period="month",
        start=date(2026, 2, 1),
        stop=date(2026, 3, 1),
        previous=(date(2026, 1, 1), date(2026, 2, 1)),
        country=None,
        notes=[],
    )
    assert result.trend == stats.Trend(change_kg=3.0, change_percent=None)


def test_prorating_gives_each_year_its_own_length() -> None:
    assert prorate(2500, date(2024, 1, 1), date(2025, 1, 1)) == 2500  # leap year
    assert prorate(2500, date(2025, 1, 1), date(2026, 1, 1)) == 2500
    assert prorate(2500, date(2026, 2, 1), date(2026, 3, 1)) == pytest.approx(2500 * 28 / 365)
    december_and_january = 2500 * 31 / 366 + 2500 * 31 / 365
    assert prorate(2500, date(2024, 12, 1), date(2025, 2, 1)) == pytest.approx(december_and_january)


def test_the_country_figure_is_owid_electricity_per_person() -> None:
    gb = load_country_electricity()["GB"]
    # OWID energy dataset, United Kingdom 2023: 4,332.8 kWh per person at 237.589 gCO2/kWh.
    assert gb == CountryElectricity("GB", "United Kingdom", 2023, 4332.8, 237.589)
    assert gb.co2e_kg_per_person_per_year == pytest.approx(1029.4256, abs=1e-4)
    assert "CF" not in load_country_electricity()  # the file has 0 kWh for it: no figure


@pytest.mark.parametrize(
    ("country", "found", "note"),
    [
        ("GB", True, "all electricity generated"),
        (None, False, "set your country"),
        ("CF", False, "no electricity"),
    ],
)
def test_country_benchmark_says_why_it_is_missing(
    country: str | None, found: bool, note: str
) -> None:
    figure, notes = stats.country_benchmark(country)
    assert (figure is not None) == found
    assert len(notes) == 1
    assert note in notes[0]
