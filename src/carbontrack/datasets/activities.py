"""Load the packaged everyday activities (reference/activities.csv), verified by checksum."""

from __future__ import annotations

import csv
import io
import re
from functools import cache

from carbontrack.datasets.manifest import ACTIVITIES_FILE, read_verified
from carbontrack.domain.activities import QUANTITY_INPUT, ROUTE_INPUT, Activity

_VERSION = re.compile(r"version (\d+)")


@cache
def load_activities() -> tuple[Activity, ...]:
    """Return the activities in file order (defaults of a family first); cached."""
    return tuple(_activity(row) for row in csv.DictReader(_rows()))


@cache
def activities_version() -> str:
    """The catalogue's version, from its header line (e.g. "1")."""
    header = read_verified(ACTIVITIES_FILE).decode("utf-8").splitlines()[0]
    found = _VERSION.search(header)
    if found is None:
        raise RuntimeError(f"{ACTIVITIES_FILE} has no version in its first line")
    return found.group(1)


def _rows() -> list[str]:
    text = read_verified(ACTIVITIES_FILE).decode("utf-8")
    return [line for line in io.StringIO(text) if not line.startswith("#")]


def _activity(row: dict[str, str]) -> Activity:
    if row["input"] not in (QUANTITY_INPUT, ROUTE_INPUT):
        raise RuntimeError(f"activity {row['activity_id']}: unknown input {row['input']!r}")
    return Activity(
        activity_id=row["activity_id"],
        name=row["name"],
        category=row["category"],
        factor_id=row["factor_id"] or None,
        unit=row["unit"] or None,
        input=row["input"],
        synonyms=tuple(s for s in row["synonyms"].split("|") if s),
        note=row["note"],
    )
