"""Suggested goal targets against hand computations from the cited figures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from carbontrack.domain import goal_targets
from carbontrack.domain.baseline_model import Baseline, BaselineLine
from carbontrack.domain.comparisons import CountryElectricity

NOW = datetime(2026, 3, 1, tzinfo=UTC)
# Our World in Data energy dataset, Poland 2023: 4,113.239 kWh per person at 661.926 g/kWh.
POLAND = CountryElectricity("PL", "Poland", 2023, 4113.239, 661.926)


def test_the_budget_share_is_always_there_and_the_rest_say_why_not() -> None:
    found, notes = goal_targets.suggest(None, None)
    [budget] = found
    # Hot or Cool Institute (2021): 2,500 kg a year / 12 = 208.33 kg a month.
    assert budget.target_co2e_kg == 208.3
    assert (budget.kind, budget.period, budget.category) == ("budget", "month", None)
    assert len(notes) == 3  # no whole-footprint country figure, no country, no baseline


def test_country_electricity_and_ten_percent_under_the_baseline() -> None:
    lines = (BaselineLine("transport", 1450.0, "car"), BaselineLine("heating", 2114.5, "gas"))
    found, notes = goal_targets.suggest(Baseline("u", 1, {}, lines, NOW, NOW), POLAND)
    by_id = {s.suggestion_id: s for s in found}
    # 4,113.239 kWh x 661.926 g/kWh = 2,722.7 kg a year / 12 = 226.9 kg a month.
    assert by_id["country-electricity"].target_co2e_kg == pytest.approx(226.9)
    assert by_id["country-electricity"].category == "electricity"
    # (1,450 + 2,114.5) x 0.9 / 12 = 267.3 kg a month.
    assert by_id["baseline-minus-10"].target_co2e_kg == pytest.approx(267.3)
    assert len(notes) == 1
