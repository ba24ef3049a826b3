"""Suggested monthly goal targets: the 1.5 °C share, the country figure, -10 % of a baseline. Pure.

Each is a budget goal over a calendar month, so it can be set as it is with one tap:
- the 1.5 °C lifestyle budget's monthly share: 2,500 kg a year / 12 (`comparisons`, cited);
- the user's country: there is no per-person whole-footprint figure per country in the data
  we ship, so the country figure is electricity only (Our World in Data), as a goal on the
  electricity category, and a note says so;
- 10 % under the user's own baseline estimate, a month of it (the questionnaire's total / 12).
"""

from __future__ import annotations

from dataclasses import dataclass

from carbontrack.domain import comparisons
from carbontrack.domain.baseline_model import Baseline
from carbontrack.domain.comparisons import CountryElectricity

MONTHS = 12
BASELINE_CUT = 0.10


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A monthly budget goal the user can set as it is."""

    suggestion_id: str
    label: str  # what it is, in words for a button
    category: str | None  # None: the whole footprint
    target_co2e_kg: float  # a month, rounded to 0.1 kg
    source: str  # where the number comes from

    kind: str = "budget"
    period: str = "month"


def suggest(
    baseline: Baseline | None, country: CountryElectricity | None
) -> tuple[list[Suggestion], list[str]]:
    """The suggestions that apply, and notes on what is missing and why."""
    found = [_budget()]
    notes = [
        "No whole-footprint figure per country: the data we ship has electricity per person "
        "only, so the country suggestion covers electricity."
    ]
    if country is not None:
        found.append(_country(country))
    else:
        notes.append("No country suggestion: set your country in your profile.")
    if baseline is not None and baseline.co2e_kg_per_year > 0:
        found.append(_baseline(baseline))
    else:
        notes.append("No suggestion from your own numbers: answer the questionnaire at /start.")
    return found, notes


def _budget() -> Suggestion:
    monthly = comparisons.BUDGET_KG_PER_YEAR / MONTHS
    return Suggestion(
        "lifestyle-budget-1.5c",
        f"1.5 °C share: {monthly:,.0f} kg a month",
        None,
        round(monthly, 1),
        f"{comparisons.BUDGET_LABEL} / 12; {comparisons.BUDGET_SOURCE}",
    )


def _country(country: CountryElectricity) -> Suggestion:
    monthly = country.co2e_kg_per_person_per_year / MONTHS
    return Suggestion(
        "country-electricity",
        f"Electricity at the {country.name} average: {monthly:,.0f} kg a month",
        "electricity",
        round(monthly, 1),
        f"{country.label} ({country.year}: {country.kwh_per_person:,.0f} kWh x "
        f"{country.gco2_per_kwh:,.0f} gCO2/kWh) / 12; {comparisons.COUNTRY_ELECTRICITY_SOURCE}, "
        f"{comparisons.COUNTRY_ELECTRICITY_LICENCE}",
    )


def _baseline(baseline: Baseline) -> Suggestion:
    yearly = baseline.co2e_kg_per_year
    monthly = yearly * (1 - BASELINE_CUT) / MONTHS
    return Suggestion(
        "baseline-minus-10",
        f"10% under your estimate: {monthly:,.0f} kg a month",
        None,
        round(monthly, 1),
        f"Your questionnaire estimate, {yearly:,.0f} kg CO2e a year, less 10%, / 12",
    )
