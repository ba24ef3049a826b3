"""Recommendation savings against hand computations from the published factor values.

The golden numbers are typed from the sources (BEIS/DEFRA 2020, US EPA Hub 2025), not read
from our catalogue, so a wrong factor id or a wrong unit conversion fails here.
"""

from __future__ import annotations

import pytest
from tests.store.factories import make_entry, make_factor_used

from carbontrack.datasets import load_catalogue
from carbontrack.domain import recommendations
from carbontrack.domain.recommendations import Recommendation, Usage
from carbontrack.domain.reduction_actions import BY_ID, CATALOGUE, DEFRA, EPA

PER_YEAR = 365 / 90
# BEIS/DEFRA 2020, kg CO2e per unit
PETROL_CAR_KM = 0.1743  # passenger vehicles > cars by size > average car > petrol
NATIONAL_RAIL_KM = 0.03694
AVERAGE_BUS_KM = 0.10312
BEV_AVERAGE_CAR_KM = 0.05274  # UK electricity for EVs > average car > BEV
SHORT_HAUL_ECONOMY_RF_KM = 0.15298
SHORT_HAUL_BUSINESS_RF_KM = 0.22947
NATURAL_GAS_KWH = 0.18387  # gross CV
RESIDUAL_LANDFILL_T = 437.3719
RESIDUAL_CLOSED_LOOP_T = 21.3167
PAPER_LANDFILL_T = 1041.8361
FOOD_LANDFILL_T = 626.9073
FOOD_COMPOSTING_T = 10.2039
CLOTHING_NEW_T = 22310.0
CLOTHING_REUSED_T = 152.25
# US EPA GHG Emission Factors Hub 2025, kg CO2e per mile
US_CAR_VEHICLE_MILE = 0.2985697
US_INTERCITY_RAIL_MILE = 0.096754

PETROL = DEFRA + "passenger-vehicles.cars-by-size.average-car.petrol"
SHORT_HAUL = DEFRA + "business-travel-air.flights.short-haul-to-from-uk.{}.with-rf"
GAS = DEFRA + "fuels.gaseous-fuels.natural-gas.energy-gross-cv"
WASTE = DEFRA + "waste-disposal.{}.landfill"


def usage(factor_id: str, quantity: float, *, unit: str = "km", entries: int = 1) -> Usage:
    factor = load_catalogue().get(factor_id)
    assert factor is not None, factor_id
    return Usage(factor_id, factor.category, unit, quantity, 0.0, entries)


def found(*usages: Usage) -> dict[str, Recommendation]:
    items = recommendations.recommend(CATALOGUE, usages, load_catalogue().get)
    return {item.action.action_id: item for item in items}


def saving(items: dict[str, Recommendation], action_id: str) -> float:
    value = items[action_id].savings_kg_per_year
    assert value is not None
    return value


def test_car_actions_against_hand_computed_savings() -> None:
    items = found(usage(PETROL, 1000.0, entries=10))
    hand = {
        "car-to-rail": 400 * (PETROL_CAR_KM - NATIONAL_RAIL_KM) * PER_YEAR,
        "car-to-bus": 250 * (PETROL_CAR_KM - AVERAGE_BUS_KM) * PER_YEAR,
        "car-share": 1000 * 0.25 * PETROL_CAR_KM / 2 * PER_YEAR,
        "car-to-ev": 1000 * (PETROL_CAR_KM - BEV_AVERAGE_CAR_KM) * PER_YEAR,
    }
    assert set(items) == set(hand)
    for action_id, expected in hand.items():
        assert saving(items, action_id) == pytest.approx(expected, abs=0.05), action_id
    assert saving(items, "car-to-rail") == pytest.approx(222.8, abs=0.05)
    rationale = items["car-to-rail"].rationale
    assert "1,000 km by car" in rationale
    assert "400 km" in rationale
    assert "223 kg CO2e a year" in rationale
    assert "0.03694 kg CO2e/km" in rationale


def test_us_car_miles_move_to_us_intercity_rail() -> None:
    car = usage(EPA + "business-travel.passenger-car.vehicle-mile", 100.0, unit="mile")
    items = found(car)
    expected = 40 * (US_CAR_VEHICLE_MILE - US_INTERCITY_RAIL_MILE) * PER_YEAR
    assert saving(items, "car-to-rail") == pytest.approx(expected, abs=0.05)
    assert "161 km by car" in items["car-to-rail"].rationale  # 100 miles
    assert "car-to-ev" not in items  # no US electric-car factor: no number


def test_one_short_haul_return_a_year_by_rail() -> None:
    # One 1,000 km flight in 90 days is about 4 a year; one return trip is two of them.
    items = found(usage(SHORT_HAUL.format("economy-class"), 1000.0, entries=1))
    expected = 2 * 1000 * (SHORT_HAUL_ECONOMY_RF_KM - NATIONAL_RAIL_KM)
    assert saving(items, "flight-to-rail") == pytest.approx(expected, abs=0.05)
    assert "fly-economy" not in items


def test_rail_replaces_at_most_all_the_flying() -> None:
    items = found(usage(SHORT_HAUL.format("economy-class"), 1000.0, entries=100))
    expected = 2 * 10 * (SHORT_HAUL_ECONOMY_RF_KM - NATIONAL_RAIL_KM)
    assert saving(items, "flight-to-rail") == pytest.approx(expected, abs=0.05)


def test_economy_instead_of_business_uses_the_same_haul_and_rf() -> None:
    items = found(usage(SHORT_HAUL.format("business-class"), 2000.0, entries=2))
    expected = 2000 * (SHORT_HAUL_BUSINESS_RF_KM - SHORT_HAUL_ECONOMY_RF_KM) * PER_YEAR
    assert saving(items, "fly-economy") == pytest.approx(expected, abs=0.05)


def test_thermostat_is_ten_percent_of_heating_labelled_as_an_assumption() -> None:
    items = found(usage(GAS, 3000.0, unit="kWh"))
    expected = 3000 * NATURAL_GAS_KWH * 0.10 * PER_YEAR
    assert saving(items, "thermostat-1c") == pytest.approx(expected, abs=0.05)
    assert "rule of thumb" in items["thermostat-1c"].rationale
    # Petrol is a fuel too, but not heating: no thermostat advice for drivers.
    assert "thermostat-1c" not in found(usage(PETROL, 1000.0))


def test_waste_goes_to_recycling_or_compost_never_both() -> None:
    items = found(
        usage(WASTE.format("refuse.household-residual-waste"), 0.1, unit="tonne"),
        usage(WASTE.format("paper.paper-and-board-paper"), 0.02, unit="tonne"),
        usage(WASTE.format("refuse.organic-food-and-drink-waste"), 0.05, unit="tonne"),
    )
    recycled = 0.05 * (RESIDUAL_LANDFILL_T - RESIDUAL_CLOSED_LOOP_T) + 0.01 * (
        PAPER_LANDFILL_T - RESIDUAL_CLOSED_LOOP_T  # DEFRA's closed-loop value is the same
    )
    composted = 0.025 * (FOOD_LANDFILL_T - FOOD_COMPOSTING_T)
    assert saving(items, "recycle-waste") == pytest.approx(recycled * PER_YEAR, abs=0.05)
    assert saving(items, "compost-food-waste") == pytest.approx(composted * PER_YEAR, abs=0.05)
    assert "120 kg of waste" in items["recycle-waste"].rationale


def test_second_hand_clothing() -> None:
    clothing = DEFRA + "material-use.other.clothing.primary-material-production"
    items = found(usage(clothing, 0.004, unit="tonne"))
    expected = 0.002 * (CLOTHING_NEW_T - CLOTHING_REUSED_T) * PER_YEAR
    assert saving(items, "buy-second-hand") == pytest.approx(expected, abs=0.05)
    assert "buy-recycled" not in items


def test_food_has_no_number_and_nothing_applies_to_an_unrelated_footprint() -> None:
    assert BY_ID["plant-based-meals"].estimate is None
    hotel = usage(DEFRA + "hotel-stay.hotel-stay.uk", 3.0, unit="room_night")
    assert found(hotel) == {}
    assert found() == {}


def test_ranking_is_by_kg_saved_a_year() -> None:
    ranked = recommendations.recommend(CATALOGUE, [usage(PETROL, 1000.0)], load_catalogue().get)
    savings = [r.savings_kg_per_year or 0.0 for r in ranked]
    assert savings == sorted(savings, reverse=True)
    # car-to-ev 493 kg, rail 223, sharing 88, bus 72 (the hand computations above).
    assert [r.action.action_id for r in ranked] == [
        "car-to-ev",
        "car-to-rail",
        "car-share",
        "car-to-bus",
    ]


def test_summarise_converts_to_the_factor_unit() -> None:
    km_factor = make_factor_used(unit="km")
    entries = [
        make_entry(quantity=10.0, unit="mile", co2e_kg=2.0, factor=km_factor),
        make_entry(quantity=5.0, unit="km", co2e_kg=1.0, factor=km_factor),
    ]
    [summed] = recommendations.summarise(entries)
    assert summed.quantity == pytest.approx(10 * 1.609344 + 5)
    assert (summed.unit, summed.co2e_kg, summed.entries) == ("km", 3.0, 2)
