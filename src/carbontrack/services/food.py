"""Food portions: the packaged masses people eat, which a client logs in grams."""

from __future__ import annotations

from functools import cache

from carbontrack.datasets.owid_food import Portion, load_portions


@cache  # packaged data: read and verified once per process
def portions() -> tuple[Portion, ...]:
    """Return every packaged food portion, with its grams, food factor id and source."""
    return tuple(load_portions())
