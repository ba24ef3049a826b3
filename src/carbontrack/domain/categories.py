"""The user-facing categories that group factors and entries.

"food" holds Poore & Nemecek (2018) per-kg food factors and the meals built from them
(see docs/data-sources.md).
"""

from __future__ import annotations

CATEGORIES: tuple[str, ...] = (
    "transport",
    "flights",
    "electricity",
    "heating",
    "hotels",
    "waste",
    "water",
    "purchases",
    "food",
)
