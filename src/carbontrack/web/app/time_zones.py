"""The time zones a person picks from: real places, grouped by region.

The offered list is the tz database's `zone.tab` (shipped by the `tzdata` package): one line per
zone and country, every name "Area/Location" (Europe/Oslo, America/New_York), none of the
legacy or administrative ids (`ROK`, `W-SU`, `US/Eastern`, `Etc/GMT+5`) that
`zoneinfo.available_timezones()` also lists, plus "UTC". The API still accepts any zone
`zoneinfo` knows, so an id stored before stays valid and is offered to its owner as it is.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

Option = tuple[str, str]  # (IANA name, label)
Group = tuple[str, tuple[Option, ...]]  # (region, its zones by label)
UTC = "UTC"
ETC_UTC = "Etc/UTC"
KEPT_ZONE_REGION = "Your current zone"


def _tz_file(name: str) -> str:
    return files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")


@cache
def listed_zones() -> frozenset[str]:
    """The zones of `zone.tab`: the tz database's list of zones by country."""
    lines = (line.split("\t") for line in _tz_file("zone.tab").splitlines())
    return frozenset(cols[2] for cols in lines if len(cols) >= 3 and not cols[0].startswith("#"))


@cache
def _groups() -> tuple[Group, ...]:
    by_region: dict[str, list[Option]] = {}
    for zone in listed_zones():
        region, _, place = zone.partition("/")
        by_region.setdefault(region, []).append((zone, place.replace("_", " ").replace("/", " / ")))
    regions = sorted(by_region.items())
    return ((UTC, ((UTC, UTC),)), *((r, tuple(sorted(z, key=lambda o: o[1]))) for r, z in regions))


def time_zone_groups(current: str = UTC) -> tuple[Group, ...]:
    """The regions' zones; a `current` id not listed (a legacy id stored before) comes first."""
    if current in listed_zones() or current == UTC or not current:
        return _groups()
    return ((KEPT_ZONE_REGION, ((current, current.replace("_", " ")),)), *_groups())


@cache
def browser_aliases() -> dict[str, str]:
    """Old names a browser may report (Asia/Calcutta) -> the listed zone (Asia/Kolkata).

    From the `L target alias` lines of the database's `tzdata.zi`; used only to preselect.
    """
    listed = listed_zones() | {UTC}
    links = (line.split() for line in _tz_file("tzdata.zi").splitlines() if line.startswith("L "))
    # The database names UTC "Etc/UTC" and makes "UTC" one of its links; we list "UTC".
    pairs = ((alias, UTC if target == ETC_UTC else target) for _, target, alias in links)
    found = {alias: target for alias, target in pairs if target in listed and alias not in listed}
    return found | {ETC_UTC: UTC}
