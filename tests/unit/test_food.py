"""Food factors (Poore & Nemecek 2018 via OWID), meals from recipes, and portions."""

from __future__ import annotations

import pytest

from carbontrack.datasets import load_catalogue
from carbontrack.datasets.owid_food import CAVEAT, DATASET, load_portions
from carbontrack.domain.models import Factor

FOOD = "owid:poore-nemecek-2018:"


def factor(factor_id: str) -> Factor:
    found = load_catalogue().get(factor_id)
    assert found is not None, factor_id
    return found


# Golden rows: "GHG emissions per kilogram (Poore & Nemecek, 2018)", copied from the OWID file.
@pytest.mark.parametrize(
    ("item", "value"),
    [
        ("beef-beef-herd", 99.48),
        ("beef-dairy-herd", 33.3),
        ("apples", 0.43),
        ("milk", 3.15),
        ("coffee", 28.53),
        ("dark-chocolate", 46.65),
        ("tofu", 3.16),
        ("soy-milk", 0.98),
    ],
)
def test_food_values_equal_the_published_rows(item: str, value: float) -> None:
    food = factor(FOOD + item)
    assert (food.co2e_kg_per_unit, food.unit, food.unit_type) == (value, "kg", "mass")
    assert (food.category, food.region, food.year) == ("food", "World", 2010)
    assert food.dataset == DATASET.dataset_id == "owid-poore-nemecek-2018"
    assert food.licence == "CC-BY-4.0"


def test_rows_without_a_ghg_value_get_no_factor() -> None:
    # Grains and the four oils have an empty GHG cell in the file: 43 rows, 38 with a value.
    for item in ("grains", "olive-oil", "palm-oil", "rapeseed-oil", "sunflower-oil"):
        assert load_catalogue().get(FOOD + item) is None
    per_kg = [f for f in load_catalogue().factors_of(DATASET.dataset_id) if f.unit == "kg"]
    assert len(per_kg) == 38


@pytest.mark.parametrize(
    ("meal", "expected"),
    [
        # 75 g rice (4.45) + 100 g tofu (3.16) + 150 g other vegetables (0.53), kg CO2e per kg
        ("vegan", 0.075 * 4.45 + 0.100 * 3.16 + 0.150 * 0.53),
        # 100 g wheat & rye (1.57) + 40 g cheese (23.88) + 150 g tomatoes (2.09)
        ("vegetarian", 0.100 * 1.57 + 0.040 * 23.88 + 0.150 * 2.09),
        # 150 g poultry meat (9.87) + 75 g rice (4.45) + 150 g other vegetables (0.53)
        ("chicken", 0.150 * 9.87 + 0.075 * 4.45 + 0.150 * 0.53),
        # 150 g beef, beef herd (99.48) + 200 g potatoes (0.46) + 150 g other vegetables (0.53)
        ("beef", 0.150 * 99.48 + 0.200 * 0.46 + 0.150 * 0.53),
    ],
)
def test_meal_factors_are_the_sums_of_their_recipes(meal: str, expected: float) -> None:
    found = factor(FOOD + "meal." + meal)
    assert found.co2e_kg_per_unit == pytest.approx(expected, rel=1e-12)
    assert (found.unit, found.unit_type, found.category) == ("meal", "meal", "food")
    assert found.dataset == DATASET.dataset_id
    assert "CarbonTrack's recipe" in found.source
    assert f"= {expected:.3f} kg CO2e" in found.source


def test_beef_meal_source_states_its_recipe() -> None:
    source = factor(FOOD + "meal.beef").source
    assert "150 g beef-beef-herd x 99.48 + 200 g potatoes x 0.46" in source


def test_every_food_number_carries_the_caveat() -> None:
    for food in load_catalogue().factors_of(DATASET.dataset_id):
        assert CAVEAT in food.source, food.factor_id
        assert CAVEAT in food.activity, food.factor_id
    assert CAVEAT == "global mean of many producers; the spread is wide"


def test_portions_name_a_per_kg_food_factor_and_a_source() -> None:
    portions = load_portions()
    assert len({p.portion_id for p in portions}) == len(portions) >= 10
    for portion in portions:
        food = factor(portion.factor_id)
        assert (food.category, food.unit) == ("food", "kg"), portion.portion_id
        assert 0 < portion.grams < 1000
        assert portion.source


def test_portion_masses_from_their_sources() -> None:
    grams = {p.portion_id: p.grams for p in load_portions()}
    assert grams["beef-burger-patty"] == pytest.approx(0.25 * 453.59237, abs=0.05)  # 1/4 lb
    assert grams["glass-of-milk"] == pytest.approx(250 * 1.03, abs=0.5)  # 250 ml at 1.03 g/ml
    assert grams["cup-of-milk"] == 244  # USDA FoodData Central: 1 cup whole milk
    assert grams["egg"] == 50  # USDA FoodData Central: 1 large egg
