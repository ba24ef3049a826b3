"""The `rules` provider's explanation: a short plain-English text composed from the facts only.

Every number in the text is printed from a fact's value (`_num` prints the value the fact holds,
nothing rounded again), every name is a fact's, and the ids of the facts used are returned with
the text, in the order the text uses them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from carbontrack.explorer.domain.facts import (
    GLOBAL_TREND_SERIES,
    CityFact,
    Fact,
    SeasonFact,
    SignalFact,
    SurfaceCo2Fact,
    SurfaceFact,
)
from carbontrack.explorer.domain.rules_sources import source_sentences

# 2: one noise figure, each background named; 3: sources ranked by model plume-1
RULES_VERSION = "rules-3"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_SeenFact = TypeVar("_SeenFact", bound=Fact)


def _num(value: float) -> str:
    """Print a fact's number as the fact holds it: 3960.0 as "3960", 8.8 as "8.8"."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _first(facts: Sequence[Fact], kind: type[_SeenFact]) -> _SeenFact | None:
    return next((fact for fact in facts if isinstance(fact, kind)), None)


_AGAINST = {
    "same_day": "the median XCO2 of that day's soundings outside the cities",
    "nearby_days": "the median XCO2 of soundings outside the cities on nearby days",
    "along_track_fit": "the background of a fit along the satellite's track",
}


def _signal_sentence(fact: SignalFact) -> str:
    noise = f"the {_num(fact.noise_ppm)} ppm noise of one sounding"
    if fact.deviation_ppm is None or fact.zscore is None:
        return f"No anomaly size was given, so it cannot be compared with {noise}."
    against = _AGAINST.get(fact.background or "", "its background")
    size = f"The deviation from {against} is {_num(fact.deviation_ppm)} ppm"
    if fact.level == "within_noise":
        return f"{size}, within {noise} (z-score {_num(fact.zscore)}), so it may be noise alone."
    if fact.level == "well_above_noise":
        verdict = "unlikely to be noise alone"
    else:
        verdict = "larger than the noise but weak evidence on its own"
    return f"{size}: a z-score of {_num(fact.zscore)} (the deviation over {noise}); {verdict}."


def _place_sentence(surface: SurfaceFact | None, city: CityFact | None) -> tuple[str, list[str]]:
    parts, cited = [], []
    if surface is not None:
        if surface.surface == "coast":
            where = f"on or near the coast of {surface.country}"
        else:
            where = f"on land in {surface.country}" if surface.country else "over the ocean"
        parts.append(f"The point is {where}")
        cited.append(surface.id)
    if city is not None:
        lead = ", and" if parts else "The"
        parts.append(
            f"{lead} the nearest large city is {city.name}, {_num(city.distance_km)} km to the "
            f"{city.direction}"
        )
        cited.append(city.id)
    return ("".join(parts) + "." if parts else ""), cited


def _season_sentence(fact: SeasonFact) -> str:
    month = _MONTHS[fact.month - 1]
    return f"In {month} it is {fact.season} in the {fact.hemisphere} hemisphere. {fact.note}"


def _background_sentence(fact: SurfaceCo2Fact) -> str:
    if not fact.known or fact.ppm is None:
        return f"No NOAA surface CO2 record covers {fact.date}."
    where = "global surface" if fact.series == GLOBAL_TREND_SERIES else "Mauna Loa surface"
    return (
        f"NOAA's {where} CO2 for {fact.period} was {_num(fact.ppm)} ppm: the level near the "
        "ground, not the column background the deviation is measured against."
    )


def explain(facts: Sequence[Fact]) -> tuple[str, list[str]]:
    """Compose the explanation from the facts; return the text and the ids it cites, in order."""
    sentences: list[str] = []
    cited: list[str] = []
    text, ids = source_sentences(facts)
    sentences += text
    cited += ids
    signal = _first(facts, SignalFact)
    if signal is not None:
        sentences.append(_signal_sentence(signal))
        cited.append(signal.id)
    place, ids = _place_sentence(_first(facts, SurfaceFact), _first(facts, CityFact))
    if place:
        sentences.append(place)
        cited += ids
    season = _first(facts, SeasonFact)
    if season is not None:
        sentences.append(_season_sentence(season))
        cited.append(season.id)
    background = _first(facts, SurfaceCo2Fact)
    if background is not None:
        sentences.append(_background_sentence(background))
        cited.append(background.id)
    return " ".join(sentences), list(dict.fromkeys(cited))  # a city may be cited twice
