"""Food: Poore & Nemecek (2018) via Our World in Data, with CarbonTrack's portions and meals.

One factor per food row with a GHG value (kg CO2e per kg of product, global mean), and one per
meal of `reference/food_meals.csv`, the sum of its recipe's grams times those factors. Portions
(`reference/food_portions.csv`) are served as data with their grams: a client logs them in g.
docs/data-sources.md gives the sources and caveats.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from carbontrack.datasets.manifest import (
    FOOD_MEALS_FILE,
    FOOD_PORTIONS_FILE,
    OWID_FOOD_FILE,
    inputs_checksum,
    read_verified,
)
from carbontrack.datasets.slugs import slug
from carbontrack.domain.models import Dataset, Factor

# Every file the factors are built from; the portions are served from this dataset too.
INPUT_FILES = (OWID_FOOD_FILE, FOOD_MEALS_FILE, FOOD_PORTIONS_FILE)

DATASET = Dataset(
    dataset_id="owid-poore-nemecek-2018",
    name="Environmental impacts of food (Poore & Nemecek, 2018), via Our World in Data",
    provider="owid",
    version="2018",
    source_url="https://ourworldindata.org/environmental-impacts-of-food",
    licence="CC-BY-4.0",
    attribution="Poore & Nemecek (2018), Science 360:987-992, via Our World in Data (CC BY 4.0)",
    file=OWID_FOOD_FILE,
    sha256=inputs_checksum(INPUT_FILES),
)

ID_PREFIX = "owid:poore-nemecek-2018:"
MEAL_PREFIX = ID_PREFIX + "meal."
CAVEAT = "global mean of many producers; the spread is wide"
_COLUMN = "GHG emissions per kilogram (Poore & Nemecek, 2018)"
_SOURCE = "Poore & Nemecek (2018), via Our World in Data"


@dataclass(frozen=True, slots=True)
class Portion:
    """A portion people eat, with its mass and where that mass comes from."""

    portion_id: str
    name: str
    factor_id: str
    grams: float
    source: str


@dataclass(frozen=True, slots=True)
class Ingredient:
    """One line of a meal recipe: grams of one food factor."""

    factor_id: str
    grams: float
    note: str


def load_factors() -> list[Factor]:
    """Return one factor per food with a GHG value, then the meals built from them."""
    foods = list(_foods())
    by_id = {food.factor_id: food for food in foods}
    meals = load_meal_recipes().items()
    return [*foods, *(_meal(meal_id, name, recipe, by_id) for meal_id, (name, recipe) in meals)]


def load_portions() -> list[Portion]:
    """Return the packaged food portions, in file order."""
    return [
        Portion(
            portion_id=row["portion_id"],
            name=row["name"],
            factor_id=row["factor_id"],
            grams=float(row["grams"]),
            source=row["source"],
        )
        for row in _rows(FOOD_PORTIONS_FILE)
    ]


def load_meal_recipes() -> dict[str, tuple[str, list[Ingredient]]]:
    """Return meal id -> (name, ingredients), from the packaged recipe file."""
    meals: dict[str, tuple[str, list[Ingredient]]] = {}
    for row in _rows(FOOD_MEALS_FILE):
        _, ingredients = meals.setdefault(row["meal_id"], (row["name"], []))
        ingredients.append(Ingredient(row["factor_id"], float(row["grams"]), row["note"]))
    return meals


def _rows(path: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(read_verified(path).decode("utf-8"))))


def _foods() -> Iterator[Factor]:
    for row in _rows(OWID_FOOD_FILE):
        value = row[_COLUMN]
        if not value:  # Grains and the four oils have no GHG value in the file: no factor
            continue
        food = row["Entity"]
        yield _factor(
            ID_PREFIX + slug(food),
            activity=f"{food}, per kg of product (farm to retail; {CAVEAT})",
            unit=("kg", "mass"),
            value=float(value),
            source=f"{_SOURCE}: GHG emissions per kilogram, {food}, {row['Year']}; {CAVEAT}",
            year=int(row["Year"]),
        )


def _meal(
    meal_id: str, name: str, ingredients: list[Ingredient], foods: dict[str, Factor]
) -> Factor:
    parts = [(foods[i.factor_id], i.grams) for i in ingredients]
    total = sum(grams / 1000 * food.co2e_kg_per_unit for food, grams in parts)
    recipe = " + ".join(
        f"{grams:g} g {food.factor_id.removeprefix(ID_PREFIX)} x {food.co2e_kg_per_unit:g}"
        for food, grams in parts
    )
    return _factor(
        MEAL_PREFIX + meal_id,
        activity=f"{name}, per meal (CarbonTrack's recipe; {CAVEAT})",
        unit=("meal", "meal"),
        value=total,
        source=(
            f"{_SOURCE}, GHG emissions per kilogram, summed over CarbonTrack's recipe: "
            f"{recipe} kg CO2e/kg = {total:.3f} kg CO2e; {CAVEAT}"
        ),
        year=min(food.year for food, _ in parts),
    )


def _factor(
    factor_id: str, *, activity: str, unit: tuple[str, str], value: float, source: str, year: int
) -> Factor:
    return Factor(
        factor_id=factor_id,
        category="food",
        activity=activity,
        unit=unit[0],
        unit_type=unit[1],
        co2e_kg_per_unit=value,
        region="World",
        source=source,
        dataset=DATASET.dataset_id,
        year=year,
        licence=DATASET.licence,
    )
