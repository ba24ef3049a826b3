"""Everyday activities ("Train (national rail)", "Beef") and how a typed query finds them. Pure.

Matching is word by word, tolerant to typos (difflib's ratio, stdlib) and to words that say
something else (numbers, units, places: "train 50 km", "flight London to New York").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

ROUTE_INPUT = "route"  # logged by departure and arrival airports, not by a quantity
QUANTITY_INPUT = "quantity"

# A word at least this close to another counts as the same word: "trian" ~ "train" is 0.8,
# "electrisity" ~ "electricity" 0.91, while "car" ~ "cab" is 0.67 and "tram" ~ "train" 0.67.
SAME_WORD = 0.8
# Below this score an activity is not shown: at least about half of a name or synonym is there.
MIN_SCORE = 0.5
# A query's words past this many are not read: every word is compared with every known word.
MAX_QUERY_WORDS = 8
# Words that carry no activity: quantities, units and link words typed with the activity.
# fmt: off
_IGNORED = frozenset((
    "a", "an", "the", "of", "to", "from", "for", "in", "on", "at", "by", "with", "and", "my",
    "our", "per", "i", "we", "km", "kms", "miles", "mile", "kwh", "kg", "g", "grams", "l",
    "litres", "liters", "m3", "nights", "night", "hours", "hour", "min", "mins",
))
# fmt: on
_WORD = re.compile(r"[a-z0-9&]+")


@dataclass(frozen=True, slots=True)
class Activity:
    """A plain-language activity and the factor (or the route input) that logs it."""

    activity_id: str
    name: str
    category: str
    factor_id: str | None  # None when logged by route
    unit: str | None  # the unit people use; None when logged by route
    input: str  # QUANTITY_INPUT or ROUTE_INPUT
    synonyms: tuple[str, ...]
    note: str


def words(text: str) -> tuple[str, ...]:
    """The lower-case words of `text` that can name an activity."""
    found = _WORD.findall(text.lower())
    return tuple(w for w in found if w not in _IGNORED and not w.isdigit())


@lru_cache(maxsize=65536)
def word_similarity(typed: str, known: str) -> float:
    """1 for the same word, 0.9 for a prefix being typed, else difflib's ratio if close."""
    if typed == known:
        return 1.0
    if len(typed) >= 3 and known.startswith(typed):
        return 0.9
    if typed[:1] != known[:1]:
        # Typos rarely hit the first letter, and different first letters make different
        # words that are close in spelling: "cycling" is not "recycling", "jeans" not "beans".
        return 0.0
    ratio = SequenceMatcher(None, typed, known).ratio()
    return ratio if ratio >= SAME_WORD else 0.0


def phrase_score(query: tuple[str, ...], phrase: tuple[str, ...]) -> float:
    """How well the query says the phrase: mostly how much of the phrase is there."""
    if not query or not phrase:
        return 0.0
    best_for_phrase = [max(word_similarity(q, p) for q in query) for p in phrase]
    best_for_query = [max(word_similarity(q, p) for p in phrase) for q in query]
    found = sum(best_for_phrase) / len(phrase)
    explained = sum(best_for_query) / len(query)
    # The phrase being there matters most; words it does not explain (places, sizes) less.
    return 0.7 * found + 0.3 * explained


def score(query: tuple[str, ...], activity: Activity) -> float:
    """The best score of the query against the activity's name and synonyms."""
    phrases = (activity.name, *activity.synonyms)
    return max(phrase_score(query, _phrase_words(p)) for p in phrases)


@lru_cache(maxsize=4096)
def _phrase_words(phrase: str) -> tuple[str, ...]:
    return words(phrase)


def rank(q: str, activities: Iterable[Activity], *, category: str | None = None) -> list[Activity]:
    """Activities that match `q`, best first; ties keep the catalogue's order (defaults first).

    An empty query lists every activity (of the category), in catalogue order; a query of
    numbers and units only ("50 km") names none.
    """
    pool = [a for a in activities if category is None or a.category == category]
    query = words(q)[:MAX_QUERY_WORDS]
    if not query:
        return [] if q.strip() else pool
    scored = [(score(query, a), i, a) for i, a in enumerate(pool)]
    hits = [(s, i, a) for s, i, a in scored if s >= MIN_SCORE]
    hits.sort(key=lambda hit: (-hit[0], hit[1]))
    return [a for _, _, a in hits]
