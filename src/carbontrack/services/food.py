"""Food portions (the packaged masses people eat, logged in grams) and the food caveat."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from carbontrack.datasets import owid_food
from carbontrack.datasets.owid_food import Portion, load_portions


@dataclass(frozen=True, slots=True)
class Caveat:
    """What every food number is shown with: its dataset, licence, and how sure it is."""

    dataset: str
    licence: str
    text: str  # short, shown next to the number
    detail: str  # longer, docs/data-sources.md's "Food" in a sentence


CAVEAT = Caveat(
    dataset=owid_food.DATASET.dataset_id,
    licence=owid_food.DATASET.licence,
    text=owid_food.CAVEAT,
    detail=(
        f"{owid_food.DATASET.attribution}. The same product's footprint varies many-fold "
        "between producers (the paper's Figure 1), so yours may be far from this mean; farm "
        "to retail, not cooking or household waste. See docs/data-sources.md, Food."
    ),
)


@cache  # packaged data: read and verified once per process
def portions() -> tuple[Portion, ...]:
    """Return every packaged food portion, with its grams, food factor id and source."""
    return tuple(load_portions())
