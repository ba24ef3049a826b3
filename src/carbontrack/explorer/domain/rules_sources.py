"""The rules text about sources: the plants nearby, the likeliest contributors and the wind.

Part of the `rules` provider's explanation (rules_reasoning.py). The ranking is the facts'
(LikelySourcesFact, model plume-1, docs/co2-explorer.md "How a likely source is chosen"); this
module only words it: "upwind" with the confidence one wind reading allows, and "the largest"
only of the plant with the largest CO2 estimate within the radius.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from carbontrack.explorer.domain.facts import (
    CityFact,
    Fact,
    LikelySourcesFact,
    NoKnownSourceFact,
    PlantFact,
    PlantsNearbyFact,
    SourceShare,
    WindFact,
)


def num(value: float) -> str:
    """Print a fact's number as the fact holds it: 3960.0 as "3960", 8.8 as "8.8"."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def co2_text(mt_per_yr: float) -> str:
    """Print a CO2 estimate with the three significant figures the fact holds, never 1e-05."""
    if mt_per_yr == 0.0:
        return "0"
    decimals = max(0, 2 - math.floor(math.log10(abs(mt_per_yr))))
    return f"{mt_per_yr:.{decimals}f}"


def _fuel_counts(summary: PlantsNearbyFact) -> str:
    counts = (("coal", summary.coal), ("gas", summary.gas), ("oil", summary.oil))
    return ", ".join(f"{count} {fuel}" for fuel, count in counts if count)


def _describe_plant(plant: PlantFact, *, largest: bool) -> str:
    what = f"a {num(plant.capacity_mw)} MW {plant.fuel} plant"
    if largest:
        what += ", the largest emitter within the radius,"
    text = (
        f"{plant.name}, {what} {num(plant.distance_km)} km to the {plant.direction} "
        f"(bearing {plant.bearing_deg}°)"
    )
    if plant.co2_mt_per_yr is not None:
        text += f" emitting an estimated {co2_text(plant.co2_mt_per_yr)} Mt CO2 a year"
    return text


def _describe_city(city: CityFact, per_person: float) -> str:
    return (
        f"the city of {city.name} ({city.population} people, counted as an area source at a "
        f"rough {num(per_person)} t CO2 per person), {num(city.distance_km)} km to the "
        f"{city.direction}"
    )


def _describe(
    share: SourceShare,
    found: dict[str, Fact],
    likely: LikelySourcesFact,
    *,
    full: bool,
    largest: str,
) -> str:
    fact = found[share.id]
    if isinstance(fact, CityFact):
        text = _describe_city(fact, likely.city_co2_t_per_person)
    elif isinstance(fact, PlantFact) and full:
        text = _describe_plant(fact, largest=fact.id == largest)
    elif isinstance(fact, PlantFact):
        text = f"{fact.name} ({num(fact.distance_km)} km to the {fact.direction})"
    else:  # pragma: no cover - contributors are plants or cities
        raise ValueError(f"{share.id} is not a source")
    return f"{text}, {share.percent}% of the modelled contribution"


def _wind_words(wind: WindFact | None) -> str:
    if wind is None or wind.from_deg is None or wind.speed_mps is None:
        return ""
    return f", from the {wind.from_direction} ({wind.from_deg}°, {num(wind.speed_mps)} m/s)"


def _ranking_sentences(
    likely: LikelySourcesFact, found: dict[str, Fact], wind: WindFact | None, largest: str
) -> list[str]:
    if likely.wind_basis == "one_reading":
        basis = f"On the one wind reading we have{_wind_words(wind)},"
        how = f"by emissions, distance and alignment with that wind (model {likely.model})"
    else:
        calm = likely.wind_basis == "calm"
        basis = "The wind was calm, so" if calm else "The wind here is unknown, so"
        how = f"by emissions and distance alone (model {likely.model})"
    if not likely.contributors:
        return [
            f"{basis} none of the sources within {num(likely.radius_km)} km lies roughly "
            "upwind. One reading can differ from the wind that carried a plume, so they are "
            "not ruled out."
        ]
    names = [
        _describe(share, found, likely, full=rank == 0, largest=largest)
        for rank, share in enumerate(likely.contributors)
    ]
    listed = names[0] if len(names) == 1 else "; ".join(names[:-1]) + "; and " + names[-1]
    which = "the likeliest source" if len(names) == 1 else "the likeliest sources"
    verb = "is" if len(names) == 1 else "are"
    text = [f"{basis} {which}, {how}, {verb}: {listed}."]
    if likely.wind_basis == "one_reading":
        text.append(
            "They lie roughly upwind on that one reading; the wind that carried a plume over "
            "the hours before can differ, so this is a likelihood, not a certainty."
            if len(names) > 1
            else "It lies roughly upwind on that one reading; the wind that carried a plume "
            "over the hours before can differ, so this is a likelihood, not a certainty."
        )
    return text


def _upwind_words(upwind: bool | None) -> str:
    if upwind is None:
        return "wind unknown"
    return "upwind on the one wind reading" if upwind else "not upwind on the one wind reading"


def _plant_lines(
    summary: PlantsNearbyFact, plants: Sequence[PlantFact], named: set[str]
) -> tuple[list[str], list[str]]:
    text, cited = [], []
    largest = next((p for p in plants if p.id == summary.largest_emitter_id), None)
    if largest is not None and largest.id not in named and largest.co2_mt_per_yr is not None:
        text.append(
            f"The largest emitter within {num(summary.radius_km)} km, {largest.name} "
            f"({co2_text(largest.co2_mt_per_yr)} Mt CO2 a year, {num(largest.distance_km)} km "
            f"to the {largest.direction}), ranks lower here on distance or wind."
        )
        cited.append(largest.id)
    nearest = plants[0]
    if nearest.id not in named and nearest is not largest:
        text.append(
            f"The nearest is {nearest.name}, {num(nearest.distance_km)} km to the "
            f"{nearest.direction} ({_upwind_words(nearest.upwind)})."
        )
        cited.append(nearest.id)
    return text, cited


def _count_sentence(summary: PlantsNearbyFact) -> str:
    lie = "plants lie" if summary.count != 1 else "plant lies"
    text = (
        f"{summary.count} fossil power {lie} within {num(summary.radius_km)} km "
        f"({_fuel_counts(summary)})."
    )
    if summary.non_fossil_excluded:
        one = summary.non_fossil_excluded == 1
        plants, their = ("plant there is", "its") if one else ("plants there are", "their")
        text += (
            f" {summary.non_fossil_excluded} landfill-gas, biogas or waste {plants} left out: "
            f"{their} CO2 is mostly not fossil."
        )
    return text


def _no_source_sentence(fact: NoKnownSourceFact) -> str:
    text = f"No known fossil power plant lies within {num(fact.radius_km)} km"
    if fact.nearest_plant_name is not None and fact.nearest_plant_distance_km is not None:
        text += (
            f"; the nearest in the database, {fact.nearest_plant_name}, is "
            f"{num(fact.nearest_plant_distance_km)} km away"
        )
    return text + (
        ". Any signal here would come from a source the database does not list, such as a city, "
        "industry or fires, or be noise."
    )


def source_sentences(facts: Sequence[Fact]) -> tuple[list[str], list[str]]:
    """The sentences about sources and the ids they cite, in order."""
    found = {fact.id: fact for fact in facts}
    summary = next((x for x in facts if isinstance(x, PlantsNearbyFact)), None)
    likely = next((x for x in facts if isinstance(x, LikelySourcesFact)), None)
    none_near = next((x for x in facts if isinstance(x, NoKnownSourceFact)), None)
    wind = next((x for x in facts if isinstance(x, WindFact)), None)
    plants = [x for x in facts if isinstance(x, PlantFact)]
    text: list[str] = []
    cited: list[str] = []
    if summary is not None and plants:
        text.append(_count_sentence(summary))
        cited.append(summary.id)
    elif none_near is not None:
        text.append(_no_source_sentence(none_near))
        cited.append(none_near.id)
    named = set() if likely is None else {share.id for share in likely.contributors}
    if likely is not None:
        largest = "" if summary is None else summary.largest_emitter_id or ""
        text += _ranking_sentences(likely, found, wind, largest)
        cited += [likely.id, *(share.id for share in likely.contributors)]
        if wind is not None and wind.known:
            cited.append(wind.id)
        if likely.unranked:
            text.append(f"{likely.unranked} plants without a CO2 estimate are not ranked.")
    if summary is not None and plants:
        lines, ids = _plant_lines(summary, plants, named)
        text += lines
        cited += ids
    return text, cited
