"""The `rules` provider's explanation: a short plain-English text composed from the facts only.

Every number in the text is printed from a fact's value (`_num` prints the value the fact holds,
nothing rounded again), every name is a fact's, and the ids of the facts used are returned with
the text, in the order the text uses them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from carbontrack.domain.facts import (
    GLOBAL_TREND_SERIES,
    BackgroundFact,
    CityFact,
    Fact,
    NoKnownSourceFact,
    PlantFact,
    PlantsNearbyFact,
    SeasonFact,
    SignalFact,
    SurfaceFact,
    WindFact,
)

RULES_VERSION = "rules-1"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_SeenFact = TypeVar("_SeenFact", bound=Fact)


def _num(value: float) -> str:
    """Print a fact's number as the fact holds it: 3960.0 as "3960", 8.8 as "8.8"."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _first(facts: Sequence[Fact], kind: type[_SeenFact]) -> _SeenFact | None:
    return next((fact for fact in facts if isinstance(fact, kind)), None)


def _lead_plant(plants: Sequence[PlantFact]) -> PlantFact:
    """The plant most likely to matter: upwind first, then the largest emitter, then nearest."""

    def weight(plant: PlantFact) -> tuple[bool, float, float, float]:
        co2 = plant.co2_mt_per_yr if plant.co2_mt_per_yr is not None else 0.0
        return (plant.upwind is True, co2, plant.capacity_mw, -plant.distance_km)

    return max(plants, key=weight)


def _fuel_counts(summary: PlantsNearbyFact) -> str:
    counts = (("coal", summary.coal), ("gas", summary.gas), ("oil", summary.oil))
    return ", ".join(f"{count} {fuel}" for fuel, count in counts if count)


def _describe_plant(plant: PlantFact) -> str:
    text = (
        f"{plant.name}, a {_num(plant.capacity_mw)} MW {plant.fuel} plant "
        f"{_num(plant.distance_km)} km to the {plant.direction} (bearing {plant.bearing_deg}°)"
    )
    if plant.co2_mt_per_yr is not None:
        text += f" emitting an estimated {_num(plant.co2_mt_per_yr)} Mt CO2 a year"
    return text


def _upwind_words(upwind: bool | None) -> str:
    if upwind is None:
        return "upwind or not: unknown"
    return "upwind" if upwind else "not upwind"


def _wind_sentence(summary: PlantsNearbyFact, wind: WindFact | None) -> str:
    if wind is None or not wind.known:
        return "The wind here is unknown, so it cannot be said whether their plumes reach it."
    if wind.from_deg is None or wind.speed_mps is None:
        return "The wind was calm, so its direction says nothing about where plumes went."
    came = (
        f"The wind came from the {wind.from_direction} ({wind.from_deg}°, "
        f"{_num(wind.speed_mps)} m/s)"
    )
    if summary.upwind_count:
        return (
            f"{came}, so {summary.upwind_count} of them lie upwind and their plumes could "
            "have been carried over this point."
        )
    return f"{came}, so none of them is upwind and their plumes were not carried towards here."


def _plant_sentences(
    summary: PlantsNearbyFact, plants: Sequence[PlantFact], wind: WindFact | None
) -> tuple[list[str], list[str]]:
    lead = _lead_plant(plants)
    lie = "plants lie" if summary.count != 1 else "plant lies"
    radius = _num(summary.radius_km)
    role = "largest upwind emitter" if lead.upwind else "largest"
    text = [
        f"{summary.count} fossil power {lie} within {radius} km ({_fuel_counts(summary)}).",
        f"The {role} is {_describe_plant(lead)}.",
    ]
    cited = [summary.id, lead.id]
    nearest = plants[0]
    if nearest is not lead:
        text.append(
            f"The nearest is {nearest.name}, {_num(nearest.distance_km)} km to the "
            f"{nearest.direction} ({_upwind_words(nearest.upwind)})."
        )
        cited.append(nearest.id)
    text.append(_wind_sentence(summary, wind))
    if wind is not None and wind.known:
        cited.append(wind.id)
    return text, cited


def _no_source_sentence(fact: NoKnownSourceFact) -> str:
    text = f"No known fossil power plant lies within {_num(fact.radius_km)} km"
    if fact.nearest_plant_name is not None and fact.nearest_plant_distance_km is not None:
        text += (
            f"; the nearest in the database, {fact.nearest_plant_name}, is "
            f"{_num(fact.nearest_plant_distance_km)} km away"
        )
    return text + (
        ". Any signal here would come from a source the database does not list, such as a city, "
        "industry or fires, or be noise."
    )


def _signal_sentence(fact: SignalFact) -> str:
    noise = f"the typical single-sounding noise of about {_num(fact.noise_ppm)} ppm"
    if fact.deviation_ppm is None or fact.ratio_to_noise is None:
        return f"No anomaly size was given, so it cannot be compared with {noise}."
    side = "above" if fact.direction == "enhancement" else "below"
    size = f"The deviation of {_num(fact.deviation_ppm)} ppm ({side} background)"
    if fact.level == "within_noise":
        return f"{size} is within {noise}, so it may be noise alone."
    if fact.level == "well_above_noise":
        verdict = "unlikely to be noise alone"
    else:
        verdict = "larger than the noise but weak evidence on its own"
    return f"{size} is {_num(fact.ratio_to_noise)} times {noise}: {verdict}."


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


def _background_sentence(fact: BackgroundFact) -> str:
    if not fact.known or fact.ppm is None:
        return f"No NOAA background record covers {fact.date}."
    where = "global surface" if fact.series == GLOBAL_TREND_SERIES else "Mauna Loa"
    return f"NOAA's {where} background for {fact.period} was {_num(fact.ppm)} ppm."


def explain(facts: Sequence[Fact]) -> tuple[str, list[str]]:
    """Compose the explanation from the facts; return the text and the ids it cites, in order."""
    sentences: list[str] = []
    cited: list[str] = []
    summary = _first(facts, PlantsNearbyFact)
    plants = [fact for fact in facts if isinstance(fact, PlantFact)]
    no_source = _first(facts, NoKnownSourceFact)
    if summary is not None and plants:
        text, ids = _plant_sentences(summary, plants, _first(facts, WindFact))
        sentences += text
        cited += ids
    elif no_source is not None:
        sentences.append(_no_source_sentence(no_source))
        cited.append(no_source.id)
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
    background = _first(facts, BackgroundFact)
    if background is not None:
        sentences.append(_background_sentence(background))
        cited.append(background.id)
    return " ".join(sentences), cited
