"""Airports with an IATA code, from the `airportsdata` package (MIT); see docs/data-sources.md."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib.metadata import version

from carbontrack.domain.flights import Airport

DISTRIBUTION = "airportsdata"


@cache
def dataset_version() -> str:
    """The installed airportsdata release (a date, e.g. 20260905), recorded with each flight."""
    return version(DISTRIBUTION)


@cache
def load_airports() -> Mapping[str, Airport]:
    """Every airport with an IATA code, by code; read once per process."""
    import airportsdata  # ~8k rows parsed from its CSV: only when a flight is first needed

    return {
        code: Airport(
            iata=code,
            name=row["name"],
            city=row["city"],
            country=row["country"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
        )
        for code, row in airportsdata.load("IATA").items()
        if code
    }
