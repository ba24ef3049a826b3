"""Benchmarks a footprint is compared with, pro-rated to any range of days. Pure.

Only published figures: the 1.5 °C lifestyle budget, and a country's electricity emissions per
person from Our World in Data. There is no per-person *total* footprint per country in the data
we ship, so the country comparison covers electricity only and says so (docs/data-sources.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# Hot or Cool Institute (2021): the 1.5 °C-compatible lifestyle carbon footprint target for
# 2030 is 2.5 t CO2e per person per year (1.4 t by 2040, 0.7 t by 2050).
BUDGET_ID = "lifestyle-budget-1.5c-2030"
BUDGET_KG_PER_YEAR = 2500.0
BUDGET_LABEL = "1.5 °C-compatible lifestyle budget for 2030 (2.5 t CO2e per person per year)"
BUDGET_SOURCE = (
    "Hot or Cool Institute (2021), 1.5-Degree Lifestyles: Towards a Fair Consumption Space for All"
)
BUDGET_YEAR = 2021

COUNTRY_ELECTRICITY_ID = "country-electricity-per-person"
COUNTRY_ELECTRICITY_SOURCE = "Our World in Data energy dataset (Ember, Energy Institute)"
COUNTRY_ELECTRICITY_LICENCE = "CC BY 4.0"


@dataclass(frozen=True, slots=True)
class CountryElectricity:
    """One country's electricity generation per person and its carbon intensity, one year."""

    alpha2: str
    name: str
    year: int
    kwh_per_person: float  # per year
    gco2_per_kwh: float

    @property
    def co2e_kg_per_person_per_year(self) -> float:
        """kWh per person x gCO2/kWh, in kg."""
        return self.kwh_per_person * self.gco2_per_kwh / 1000

    @property
    def label(self) -> str:
        """What the figure is, in words a user reads next to it."""
        return f"Average per-person electricity emissions in {self.name}"


def prorate(kg_per_year: float, start: date, end: date) -> float:
    """An annual amount's share of the days `[start, end)`, each year by its own length.

    A whole calendar year gets exactly the annual amount, leap year or not.
    """
    total = 0.0
    for year in range(start.year, end.year + 1):
        first, following = date(year, 1, 1), date(year + 1, 1, 1)
        overlap = (min(end, following) - max(start, first)).days
        if overlap > 0:
            total += kg_per_year * overlap / (following - first).days
    return total
