"""Savings on the person's own year: baseline lines, a year of logs, heating by its season.

Golden numbers are typed from the sources (BEIS/DEFRA 2020, Ember 2024 via co2.js, US EPA Hub
2025), not read from our catalogue, and computed by hand in each test's comments.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tests.store.factories import make_entry, make_factor_used

from carbontrack.datasets import load_catalogue
from carbontrack.domain import recommendations, yearly_usage
from carbontrack.domain.baseline_model import Baseline, BaselineLine
from carbontrack.domain.models import Entry, Factor
from carbontrack.domain.recommendations import Recommendation
from carbontrack.domain.reduction_actions import CATALOGUE, DEFRA, EPA, with_ev
from carbontrack.domain.yearly_usage import Year

# BEIS/DEFRA 2020, kg CO2e per unit
PETROL_CAR_KM = 0.1743  # passenger vehicles > cars by size > average car > petrol
NATIONAL_RAIL_KM = 0.03694
BEV_AVERAGE_CAR_KM = 0.05274  # UK electricity for EVs > average car > BEV
UK_GRID_KWH = 0.23314  # UK electricity > electricity generated
NATURAL_GAS_KWH = 0.18387  # gross CV
EV_KWH_PER_KM = BEV_AVERAGE_CAR_KM / UK_GRID_KWH  # 0.2262 kWh/km
# Ember yearly electricity data 2024 (via co2.js), kg CO2e per kWh
FRANCE_KWH = 0.04418
POLAND_KWH = 0.61498

PETROL = DEFRA + "passenger-vehicles.cars-by-size.average-car.petrol"
GAS = DEFRA + "fuels.gaseous-fuels.natural-gas.energy-gross-cv"
MOTOR_GASOLINE = EPA + "stationary-combustion.motor-gasoline.gallon"
NOW = datetime(2026, 3, 31, 12, tzinfo=UTC)


def factor(factor_id: str) -> Factor:
    found = load_catalogue().get(factor_id)
    assert found is not None, factor_id
    return found


def baseline(*lines: BaselineLine) -> Baseline:
    return Baseline("user-1", 1, {}, lines, NOW, NOW)


def car_line(kg: float) -> BaselineLine:
    return BaselineLine("transport", kg, "petrol car, average size", PETROL, "defra-2020")


def entry(
    factor_id: str, quantity: float, unit: str, *, days_ago: int, now: datetime = NOW
) -> Entry:
    used = factor(factor_id)
    return make_entry(
        timestamp=now - timedelta(days=days_ago),
        category=used.category,
        quantity=quantity,
        unit=unit,
        co2e_kg=quantity * used.co2e_kg_per_unit,
        factor=make_factor_used(
            factor_id=used.factor_id, co2e_kg_per_unit=used.co2e_kg_per_unit, unit=used.unit
        ),
    )


def year(entries: list[Entry], base: Baseline | None, *, now: datetime = NOW) -> Year:
    return yearly_usage.year_of_usage(entries, base, load_catalogue().get, now=now)


def found(computed: Year, *, grid: str = "ember:grid-intensity:GBR") -> dict[str, Recommendation]:
    lookup = with_ev(load_catalogue().get, factor(grid))
    items = recommendations.recommend(
        CATALOGUE, computed.usages, lookup, footprint_kg_per_year=computed.footprint_kg_per_year
    )
    return {item.action.action_id: item for item in items}


def saving(items: dict[str, Recommendation], action_id: str) -> float:
    value = items[action_id].savings_kg_per_year
    assert value is not None
    return value


def test_the_ev_saving_uses_the_persons_own_grid() -> None:
    # 1,450 kg a year of average petrol car is 1,450 / 0.1743 = 8,319 km a year.
    km = 1450 / PETROL_CAR_KM
    computed = year([], baseline(car_line(1450.0)))
    france = found(computed, grid="ember:grid-intensity:FRA")
    poland = found(computed, grid="ember:grid-intensity:POL")
    # France: 8,319 km x (0.1743 - 0.2262 x 0.04418) = 1,450 - 83.1 = 1,366.9 kg a year.
    assert saving(france, "car-to-ev") == pytest.approx(
        km * (PETROL_CAR_KM - EV_KWH_PER_KM * FRANCE_KWH), abs=0.05
    )
    assert saving(france, "car-to-ev") == pytest.approx(1366.9, abs=0.1)
    # Poland: 8,319 km x (0.1743 - 0.2262 x 0.61498) = 1,450 - 1,157.3 = 292.7 kg a year.
    assert saving(poland, "car-to-ev") == pytest.approx(
        km * (PETROL_CAR_KM - EV_KWH_PER_KM * POLAND_KWH), abs=0.05
    )
    assert saving(poland, "car-to-ev") == pytest.approx(292.7, abs=0.1)
    rationale = france["car-to-ev"].rationale
    assert "your estimate of 1,450 kg CO2e a year for transport" in rationale
    assert "France" in rationale
    assert "0.2262 kWh/km" in rationale
    # On the French grid the EV is the biggest saving; on the Polish one, rail beats it:
    # 40% of 8,319 km x (0.1743 - 0.03694) = 457.1 kg.
    assert next(iter(france)) == "car-to-ev"
    assert next(iter(poland)) == "car-to-rail"
    assert saving(poland, "car-to-rail") == pytest.approx(
        0.4 * km * (PETROL_CAR_KM - NATIONAL_RAIL_KM), abs=0.05
    )


def test_a_year_of_logs_wins_over_the_baseline() -> None:
    # First car entry 340 days ago (over 11 months): the 12 months' 2,000 km are the year.
    entries = [entry(PETROL, 1000.0, "km", days_ago=340), entry(PETROL, 1000.0, "km", days_ago=5)]
    items = found(year(entries, baseline(car_line(1450.0))))
    assert saving(items, "car-to-rail") == pytest.approx(
        0.4 * 2000 * (PETROL_CAR_KM - NATIONAL_RAIL_KM), abs=0.05
    )
    assert "on your logs of the last 12 months" in items["car-to-rail"].rationale
    assert "2,000 km by car in the last 12 months" in items["car-to-rail"].rationale


def test_recent_logs_give_way_to_the_baseline_line() -> None:
    # 60 days of car logs are incomplete: the baseline's 1,450 kg stands in, not 500 km x 365/90.
    entries = [entry(PETROL, 500.0, "km", days_ago=60)]
    computed = year(entries, baseline(car_line(1450.0)))
    assert computed.footprint_kg_per_year == pytest.approx(1450.0)
    items = found(computed)
    assert saving(items, "car-to-rail") == pytest.approx(
        0.4 * 1450 / PETROL_CAR_KM * (PETROL_CAR_KM - NATIONAL_RAIL_KM), abs=0.05
    )


def test_winter_heating_is_annualised_over_the_heating_season() -> None:
    # 31 March: the last 90 days are 1 January to 31 March, all in the October-April season
    # of 212 days, so 3,000 kWh of gas is 3,000 x 212/90 = 7,067 kWh a year, not x 365/90.
    items = found(year([entry(GAS, 3000.0, "kWh", days_ago=30)], None))
    expected = 3000 * NATURAL_GAS_KWH * 0.10 * 212 / 90  # 129.9 kg a year
    assert saving(items, "thermostat-1c") == pytest.approx(expected, abs=0.05)
    assert "x 212/90" in items["thermostat-1c"].rationale


def test_summer_heating_logs_are_scaled_by_the_days() -> None:
    # 15 August: the last 90 days (18 May to 15 August) hold no heating-season day.
    summer = datetime(2026, 8, 15, 12, tzinfo=UTC)
    items = found(year([entry(GAS, 300.0, "kWh", days_ago=40, now=summer)], None, now=summer))
    expected = 300 * NATURAL_GAS_KWH * 0.10 * 365 / 90  # 22.4 kg a year
    assert saving(items, "thermostat-1c") == pytest.approx(expected, abs=0.05)


def test_a_heating_baseline_line_is_a_year_already() -> None:
    # Ofgem's medium home: 11,500 kWh of gas a year x 0.18387 = 2,114.5 kg; 10% is 211.5 kg.
    line = BaselineLine("heating", 11500 * NATURAL_GAS_KWH, "gas, medium home", GAS, "defra-2020")
    items = found(year([], baseline(line)))
    # Savings are shown to 0.1 kg: 211.45 is 211.5.
    assert saving(items, "thermostat-1c") == pytest.approx(11500 * NATURAL_GAS_KWH * 0.10, abs=0.06)


def test_savings_under_one_percent_of_the_footprint_are_hidden() -> None:
    # Footprint 50 + 10,000 = 10,050 kg a year, so anything under 100.5 kg is hidden:
    # car-to-rail 0.4 x 286.9 km x (0.1743 - 0.03694) = 15.8 kg goes; thermostat 1,000 kg stays.
    heating = BaselineLine("heating", 10_000.0, "gas, large home", GAS, "defra-2020")
    computed = year([], baseline(car_line(50.0), heating))
    items = found(computed)
    assert "car-to-rail" not in items
    assert saving(items, "thermostat-1c") == pytest.approx(1000.0, abs=0.05)
    everything = recommendations.recommend(CATALOGUE, computed.usages, load_catalogue().get)
    assert "car-to-rail" in {item.action.action_id for item in everything}  # no floor: shown


def test_epa_gasoline_is_transport_not_heating() -> None:
    assert factor(MOTOR_GASOLINE).category == "transport"
    assert (
        factor(EPA + "stationary-combustion.kerosene-type-jet-fuel.gallon").category == "transport"
    )
    assert factor(EPA + "stationary-combustion.natural-gas.scf").category == "heating"
    # 50 US gallons x 8.81184 kg = 440.6 kg over 60 days: a drive, so no thermostat advice.
    logged = entry(MOTOR_GASOLINE, 50.0, "gallon", days_ago=60)
    assert logged.category == "transport"
    assert "thermostat-1c" not in found(year([logged], None))


def test_without_a_baseline_under_a_month_of_logs_is_little() -> None:
    assert year([entry(PETROL, 12.0, "km", days_ago=0)], None).little_logged
    assert not year(
        [entry(PETROL, 12.0, "km", days_ago=0)], baseline(car_line(1450.0))
    ).little_logged
    assert not year([entry(PETROL, 12.0, "km", days_ago=31)], None).little_logged
    assert year([], None).little_logged
