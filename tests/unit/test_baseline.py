"""The baseline questionnaire's arithmetic, against values computed by hand from the sources."""

from __future__ import annotations

import pytest

from carbontrack.datasets.catalogue import load_catalogue
from carbontrack.datasets.countries import load_country_regions
from carbontrack.domain.baseline import NOTES, estimate
from carbontrack.domain.baseline_model import UNKNOWN, BaselineLine
from carbontrack.domain.baseline_questions import QUESTIONS, validate
from carbontrack.domain.errors import InvalidInput

MILE_KM = 1.609344
# The catalogue factors used, as the shipped files give them:
NATURAL_GAS = 0.18387  # DEFRA 2020, Fuels > Gaseous fuels > Natural gas, kWh (gross CV)
GRID_GB = 0.21579  # Ember 2024, United Kingdom, kg/kWh
GRID_FR = 0.04418  # Ember 2024, France, kg/kWh
MEDIUM_PETROL = 0.18659  # DEFRA 2020, Passenger vehicles > Cars (by size) > Medium car, petrol, km
LOCAL_BUS = 0.10312  # DEFRA 2020, Business travel - land > Bus > Average local bus, passenger.km
NATIONAL_RAIL = 0.03694  # DEFRA 2020, Business travel - land > Rail > National rail, passenger.km
LONG_HAUL_RF = 0.19085  # DEFRA 2020, Flights > Long-haul, to/from UK, average passenger, with RF
SHORT_HAUL_RF = 0.15553  # DEFRA 2020, Flights > Short-haul, to/from UK, average passenger, with RF


def _lines(answers: dict[str, str], country: str) -> dict[str, BaselineLine]:
    lines = estimate(
        validate(answers),
        country=country,
        get_factor=load_catalogue().get,
        countries=load_country_regions(),
    )
    return {line.assumption.split(" ")[0].split(":")[0]: line for line in lines}


UK_FLAT = {
    "home_size": "small",
    "heating_fuel": "gas",
    "heating_kwh": UNKNOWN,
    "household_size": "2",
    "electricity_kwh": UNKNOWN,
    "car_fuel": "petrol",
    "car_size": "medium",
    "car_distance": "8000 km",
    "bus_km_week": UNKNOWN,
    "rail_km_week": "0",
    "flights_domestic": "0",
    "flights_short_haul": "0",
    "flights_long_haul": "1",
    "diet": "vegetarian",
}


def test_a_two_person_uk_gas_heated_flat() -> None:
    lines = _lines(UK_FLAT, "GB")
    assert set(lines) == {"gas", "electricity", "Medium", "bus", "1", "vegetarians"}
    # Ofgem TDCV 2023, gas, low (a flat): 7,500 kWh; half each for 2 people.
    heating = lines["gas"]
    assert heating.co2e_kg_per_year == pytest.approx(7_500 / 2 * NATURAL_GAS)  # 689.51 kg
    assert heating.typical
    assert heating.category == "heating"
    assert heating.factor_id == "defra:ghg-cf-2020:fuels.gaseous-fuels.natural-gas.energy-gross-cv"
    assert "3,750 kWh at 0.18387 kg/kWh" in heating.assumption
    # Ofgem TDCV 2023, electricity profile class 1, low: 1,800 kWh; half each.
    electricity = lines["electricity"]
    assert electricity.co2e_kg_per_year == pytest.approx(1_800 / 2 * GRID_GB, rel=1e-6)  # 194.2
    assert electricity.factor_id == "ember:grid-intensity:GBR"
    assert electricity.typical
    # 8,000 km in a medium petrol car: 1,492.72 kg.
    car = lines["Medium"]
    assert car.co2e_kg_per_year == pytest.approx(8_000 * MEDIUM_PETROL)
    assert not car.typical
    assert car.category == "transport"
    # DfT NTS 2013: 288 miles a year by bus per person = 463.49 km.
    bus = lines["bus"]
    assert bus.co2e_kg_per_year == pytest.approx(288 * MILE_KM * LOCAL_BUS)  # 47.80 kg
    assert bus.typical
    # One long-haul return: 2 x (5,554.5 km LHR-JFK + 8 %) = 2 x 5,998.9 km.
    flight = lines["1"]
    assert flight.co2e_kg_per_year == pytest.approx(2 * 5_998.9 * LONG_HAUL_RF)  # 2,289.78 kg
    assert flight.category == "flights"
    assert flight.factor_id is not None
    assert flight.factor_id.endswith("long-haul-to-from-uk.average-passenger.with-rf")
    # Scarborough et al. 2014: vegetarians 3.81 kg CO2e a day.
    food = lines["vegetarians"]
    assert food.co2e_kg_per_year == pytest.approx(3.81 * 365)  # 1,390.65 kg
    assert food.dataset == "scarborough-2014"
    assert food.factor_id is None
    total = sum(line.co2e_kg_per_year for line in lines.values())
    assert total == pytest.approx(689.5125 + 194.211 + 1_492.72 + 47.7952 + 2_289.7801 + 1_390.65)


FRENCH_HOUSE = {
    "home_size": "medium",
    "heating_fuel": "heat_pump",
    "heating_kwh": UNKNOWN,
    "household_size": "4",
    "electricity_kwh": UNKNOWN,
    "car_fuel": "none",
    "bus_km_week": "20",
    "rail_km_week": "50",
    "flights_domestic": "0",
    "flights_short_haul": "2",
    "flights_long_haul": "0",
    "diet": "medium_meat",
}


def test_a_four_person_french_household_with_a_heat_pump_and_no_car() -> None:
    lines = _lines(FRENCH_HOUSE, "FR")
    assert set(lines) == {"heat", "electricity", "bus", "train", "2", "medium"}
    # Ofgem medium gas 11,500 kWh x 0.85 (boiler) = 9,775 kWh of heat; / SPF 3 = 3,258.33 kWh
    # of electricity; a quarter each = 814.58 kWh on the French grid.
    heating = lines["heat"]
    assert heating.co2e_kg_per_year == pytest.approx(11_500 * 0.85 / 3 / 4 * GRID_FR, rel=1e-6)
    assert heating.factor_id == "ember:grid-intensity:FRA"
    assert heating.typical
    # No cited French figure: Ofgem's medium 2,700 kWh stands in (said in the line); 675 each.
    electricity = lines["electricity"]
    assert electricity.co2e_kg_per_year == pytest.approx(2_700 / 4 * GRID_FR, rel=1e-6)  # 29.82
    assert "UK figure used for FR" in electricity.assumption
    # 20 km a week by bus and 50 by train, 52 weeks.
    assert lines["bus"].co2e_kg_per_year == pytest.approx(20 * 52 * LOCAL_BUS)  # 107.24 kg
    assert not lines["bus"].typical
    assert lines["train"].co2e_kg_per_year == pytest.approx(50 * 52 * NATIONAL_RAIL)  # 96.04 kg
    # Two short-haul returns: 4 x (1,243.3 km LHR-MAD + 8 %) = 4 x 1,342.8 km.
    assert lines["2"].co2e_kg_per_year == pytest.approx(4 * 1_342.8 * SHORT_HAUL_RF)  # 835.38
    # Scarborough et al. 2014: medium meat-eaters 5.63 kg CO2e a day.
    assert lines["medium"].co2e_kg_per_year == pytest.approx(5.63 * 365)  # 2,054.95 kg
    # No car: no transport line but the bus and the train.
    assert sum(line.category == "transport" for line in lines.values()) == 2


def test_typical_car_distance_uk_and_us_and_miles() -> None:
    answers = {**UK_FLAT, "car_distance": UNKNOWN}
    # DfT NTS 2013: 7,900 miles a year for a car in England.
    assert _lines(answers, "GB")["Medium"].co2e_kg_per_year == pytest.approx(
        7_900 * MILE_KM * MEDIUM_PETROL
    )
    # US EPA: a typical passenger vehicle drives about 11,500 miles a year.
    us = _lines(answers, "US")["Medium"]
    assert us.co2e_kg_per_year == pytest.approx(11_500 * MILE_KM * MEDIUM_PETROL)
    assert us.typical
    miles = _lines({**UK_FLAT, "car_distance": "5,000 miles"}, "GB")["Medium"]
    assert miles.co2e_kg_per_year == pytest.approx(5_000 * MILE_KM * MEDIUM_PETROL)


def test_typical_us_electricity_is_eias_average() -> None:
    # EIA FAQ 97: 10,715 kWh a year for a US residential customer (2020); half each.
    line = _lines(UK_FLAT, "US")["electricity"]
    grid_us = load_catalogue().get("ember:grid-intensity:USA")
    assert grid_us is not None
    assert line.co2e_kg_per_year == pytest.approx(10_715 / 2 * grid_us.co2e_kg_per_unit)


def test_unknown_car_fuel_and_size_use_defras_average_car() -> None:
    answers = {**UK_FLAT, "car_fuel": UNKNOWN, "car_size": UNKNOWN}
    car = next(line for line in _lines(answers, "GB").values() if "Average car" in line.assumption)
    # DEFRA 2020, Average car, unknown fuel: 0.1714 kg per km.
    assert car.co2e_kg_per_year == pytest.approx(8_000 * 0.1714)
    assert car.typical


def test_given_heating_and_electricity_kwh_are_used_as_given() -> None:
    answers = {**UK_FLAT, "heating_kwh": "9,000", "electricity_kwh": "3000", "household_size": "3"}
    lines = _lines(answers, "GB")
    assert lines["gas"].co2e_kg_per_year == pytest.approx(9_000 / 3 * NATURAL_GAS)
    assert not lines["gas"].typical
    assert lines["electricity"].co2e_kg_per_year == pytest.approx(3_000 / 3 * GRID_GB, rel=1e-6)


def test_notes_say_what_is_not_counted() -> None:
    assert "purchases" in NOTES[0]
    assert "2.5 t" in NOTES[0]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pets": "2"}, "pets"),
        ({"diet": "carnivore"}, "diet"),
        ({"diet": UNKNOWN}, "diet"),
        ({"household_size": "0"}, "household_size"),
        ({"household_size": "2.5"}, "household_size"),
        ({"household_size": "many"}, "household_size"),
        ({"electricity_kwh": "-5"}, "electricity_kwh"),
        ({"electricity_kwh": "nan"}, "electricity_kwh"),
        ({"car_distance": "8000 parsecs"}, "car_distance"),
        ({"flights_long_haul": "1e9"}, "flights_long_haul"),
        ({"heating_fuel": "coal"}, "heating_fuel"),
    ],
)
def test_bad_answers_name_their_question(change: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        validate({**UK_FLAT, **change})
    assert raised.value.field == field


def test_a_missing_answer_is_unknown_where_a_typical_value_exists_else_required() -> None:
    answers = {k: v for k, v in UK_FLAT.items() if k not in ("bus_km_week", "heating_kwh")}
    assert validate(answers)["bus_km_week"] == UNKNOWN
    without_diet = {k: v for k, v in UK_FLAT.items() if k != "diet"}
    with pytest.raises(InvalidInput, match="diet: an answer is required"):
        validate(without_diet)


def test_no_car_needs_no_car_answers_and_every_question_has_a_unique_id() -> None:
    assert "car_distance" not in validate(FRENCH_HOUSE)
    assert len({q.question_id for q in QUESTIONS}) == len(QUESTIONS) >= 12
