"""The user-facing categories that group factors and entries.

There is no "food" category: the shared data has no diet or per-meal factors, and we do not
invent any (see docs/data-sources.md).
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
)
