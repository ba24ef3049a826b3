"""The one-line verdict the map shows first: plain words, computed from the facts alone.

It reads the facts as dicts (`fact_dicts`, as cached), so a cached answer gets the same verdict as a
new one, whichever provider wrote the explanation. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

NO_SOURCE = "No known source nearby: may be a city, industry, fires or noise."
NOTHING_UPWIND = (
    "No known source roughly upwind on the one wind reading: may be a source the database "
    "lacks, a shifted wind, or noise."
)
WITHIN_NOISE = "Within the noise: maybe nothing."
# A source with at least half the modelled contribution is "likely"; below, "most likely".
MAJORITY_SHARE = 0.5

FactDict = Mapping[str, object]


def _km(value: object) -> str:
    distance = float(value) if isinstance(value, int | float) else 0.0
    return f"{distance:.1f}" if distance < 10 else f"{distance:.0f}"


def _what(source: FactDict) -> str:
    if source.get("kind") == "city":
        population = source.get("population")
        people = population / 1e6 if isinstance(population, int | float) else 0.0
        return f"a city of {people:.1f} million people"
    return f"a {source.get('fuel')} plant"


def verdict(facts: Sequence[FactDict]) -> str:
    """The verdict: within the noise, the likeliest source and where it lies, or none known."""
    by_id = {str(fact.get("id")): fact for fact in facts}
    signal = next((fact for fact in facts if fact.get("kind") == "signal"), None)
    if signal is not None and signal.get("level") == "within_noise":
        return WITHIN_NOISE
    likely = next((fact for fact in facts if fact.get("kind") == "likely_sources"), None)
    contributors = likely.get("contributors") if likely is not None else None
    if likely is None or not isinstance(contributors, list) or not contributors:
        if likely is not None and likely.get("windBasis") == "one_reading":
            return NOTHING_UPWIND
        return NO_SOURCE
    top = by_id.get(str(contributors[0].get("id")))
    if top is None:
        return NO_SOURCE
    where = f"{_km(top.get('distanceKm'))} km"
    if likely.get("windBasis") == "one_reading":
        share = contributors[0].get("share")
        alone = isinstance(share, int | float) and share >= MAJORITY_SHARE
        lead = "Likely from" if alone else "Most likely from"
        among = "" if alone else ", among several sources"
        return f"{lead} {top.get('name')}, {_what(top)} {where} roughly upwind{among}."
    why = "wind unknown" if likely.get("windBasis") == "unknown" else "calm wind"
    return (
        f"Possibly from {top.get('name')}, {_what(top)} {where} to the "
        f"{top.get('direction')} ({why}: ranked by size and distance)."
    )
