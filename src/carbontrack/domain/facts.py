"""Facts about a point on a date: small, checkable statements an explanation may cite.

Each fact is a frozen dataclass with a stable `id` (what an explanation cites) and a `kind`;
`fact_dict` turns one into a camelCase dict. Numbers are rounded here, once, to the precision
the explanation prints, so a text built from facts repeats their numbers verbatim.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from typing import ClassVar

from carbontrack.domain.geo import CALM_WIND_MPS, Wind, compass_point

# Typical random error of one OCO-2 XCO2 sounding over land (Guan et al. 2023, shared README).
SOUNDING_NOISE_PPM = 1.0
NOISE_SOURCE = "Guan et al. 2023: single-sounding OCO-2 XCO2 noise about 1 ppm over land"
# An anomaly at least this many times the noise is "well above" it: three sigma, the usual
# threshold for a single-sounding detection; between one and three times it is "above noise".
WELL_ABOVE_NOISE_RATIO = 3.0

# The background series a BackgroundFact names (datasets/noaa.py reads them).
GLOBAL_TREND_SERIES = "noaa-gml-global-daily-trend"
MAUNA_LOA_MONTHLY_SERIES = "noaa-gml-mauna-loa-monthly"

TROPIC_LAT_DEG = 23.44  # the tropics of Cancer and Capricorn
_NORTHERN_SEASONS = {12: "winter", 1: "winter", 2: "winter", 3: "spring", 4: "spring",
                     5: "spring", 6: "summer", 7: "summer", 8: "summer", 9: "autumn",
                     10: "autumn", 11: "autumn"}  # fmt: skip
_OPPOSITE = {"winter": "summer", "summer": "winter", "spring": "autumn", "autumn": "spring"}
# Net uptake by vegetation: the Mauna Loa record falls from its May peak to its autumn low; the
# southern cycle, mostly ocean, is far weaker and peaks in the austral summer.
_NORTHERN_GROWING_MONTHS = frozenset({5, 6, 7, 8, 9})
_SOUTHERN_GROWING_MONTHS = frozenset({11, 12, 1, 2, 3})
_NOTES = {
    ("northern", True): (
        "Northern vegetation draws CO2 down from May to September, so the background is "
        "falling toward its yearly low."
    ),
    ("northern", False): (
        "Outside the northern growing season (May to September) respiration outweighs uptake, "
        "so the background builds toward its spring peak."
    ),
    ("southern", True): (
        "Southern vegetation draws CO2 down from November to March, but the southern seasonal "
        "cycle is much weaker than the northern one."
    ),
    ("southern", False): (
        "Outside the southern growing season (November to March); the southern seasonal cycle "
        "is weak, so season matters little here."
    ),
}
_TROPICS_NOTE = " Within the tropics seasons follow rain more than the calendar."


@dataclass(frozen=True, slots=True, kw_only=True)
class PlantFact:
    """A fossil power plant within the search radius of the point."""

    kind: ClassVar[str] = "power_plant"
    id: str
    name: str
    country: str
    fuel: str
    capacity_mw: float
    distance_km: float
    bearing_deg: int
    direction: str
    upwind: bool | None
    co2_mt_per_yr: float | None
    co2_capped: bool
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PlantsNearbyFact:
    """How many fossil plants lie within the radius, by fuel, and how many are upwind."""

    kind: ClassVar[str] = "plants_nearby"
    id: str = "plants-nearby"
    radius_km: float
    count: int
    listed: int
    coal: int
    gas: int
    oil: int
    upwind_count: int | None
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class NoKnownSourceFact:
    """No fossil plant within the radius; the nearest one, however far."""

    kind: ClassVar[str] = "no_known_source"
    id: str = "no-known-source"
    radius_km: float
    nearest_plant_name: str | None
    nearest_plant_distance_km: float | None
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CityFact:
    """One of the nearest large cities."""

    kind: ClassVar[str] = "city"
    id: str
    name: str
    country: str
    population: int
    distance_km: float
    bearing_deg: int
    direction: str
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SurfaceFact:
    """Land, coast or ocean, and the country, by point in polygon on a coarse map.

    "coast": outside every country polygon but within about 30 km of one, where the 1:110m
    map cannot tell land from water.
    """

    kind: ClassVar[str] = "surface"
    id: str = "surface"
    surface: str
    country: str | None
    country_iso3: str | None
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SeasonFact:
    """Hemisphere, meteorological season and whether vegetation is drawing CO2 down."""

    kind: ClassVar[str] = "season"
    id: str = "season"
    hemisphere: str
    season: str
    month: int
    tropics: bool
    growing_season: bool
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SignalFact:
    """The anomaly's size against the noise of one sounding."""

    kind: ClassVar[str] = "signal"
    id: str = "signal"
    deviation_ppm: float | None
    xco2_ppm: float | None
    noise_ppm: float
    ratio_to_noise: float | None
    level: str
    direction: str | None
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BackgroundFact:
    """The background surface CO2 level for the date, and the series it comes from."""

    kind: ClassVar[str] = "background"
    id: str = "background"
    known: bool
    date: str
    ppm: float | None
    trend_ppm: float | None
    series: str | None
    period: str | None
    mauna_loa_daily_ppm: float | None
    source: str | None
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WindFact:
    """The wind at the sounding, when the point is a known anomaly; otherwise unknown."""

    kind: ClassVar[str] = "wind"
    id: str = "wind"
    known: bool
    calm: bool
    u_mps: float | None
    v_mps: float | None
    speed_mps: float | None
    from_deg: int | None
    from_direction: str | None


Fact = (
    PlantFact
    | PlantsNearbyFact
    | NoKnownSourceFact
    | CityFact
    | SurfaceFact
    | SeasonFact
    | SignalFact
    | BackgroundFact
    | WindFact
)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def fact_dict(fact: Fact) -> dict[str, object]:
    """Return the fact as a JSON-ready dict: `id`, `kind`, then its values in camelCase."""
    values = {_camel(f.name): getattr(fact, f.name) for f in fields(fact) if f.name != "id"}
    return {"id": fact.id, "kind": fact.kind, **values}


def fact_dicts(facts: Iterable[Fact]) -> list[dict[str, object]]:
    """Return each fact as a dict, in order."""
    return [fact_dict(fact) for fact in facts]


def plant_fact_id(plant_id: str) -> str:
    """The fact id of a plant: "plant:<WRI/Data For Good row id>"."""
    return f"plant:{plant_id}"


def city_fact_id(name: str) -> str:
    """The fact id of a city: "city:<Natural Earth name>", runs of spaces made one."""
    return "city:" + " ".join(name.split())


def season_fact(lat: float, day: date) -> SeasonFact:
    """Return the hemisphere, season and growing-season note for a latitude and date."""
    hemisphere = "northern" if lat >= 0 else "southern"
    northern_season = _NORTHERN_SEASONS[day.month]
    season = northern_season if hemisphere == "northern" else _OPPOSITE[northern_season]
    growing_months = (
        _NORTHERN_GROWING_MONTHS if hemisphere == "northern" else _SOUTHERN_GROWING_MONTHS
    )
    growing = day.month in growing_months
    tropics = abs(lat) < TROPIC_LAT_DEG
    note = _NOTES[(hemisphere, growing)] + (_TROPICS_NOTE if tropics else "")
    return SeasonFact(
        hemisphere=hemisphere,
        season=season,
        month=day.month,
        tropics=tropics,
        growing_season=growing,
        note=note,
    )


def signal_fact(deviation_ppm: float | None, xco2_ppm: float | None) -> SignalFact:
    """Compare the anomaly's deviation from background with single-sounding noise."""
    xco2 = None if xco2_ppm is None else round(xco2_ppm, 2)
    if deviation_ppm is None:
        return SignalFact(
            deviation_ppm=None,
            xco2_ppm=xco2,
            noise_ppm=SOUNDING_NOISE_PPM,
            ratio_to_noise=None,
            level="unknown",
            direction=None,
            source=NOISE_SOURCE,
        )
    deviation = round(deviation_ppm, 2)
    ratio = round(abs(deviation) / SOUNDING_NOISE_PPM, 1)
    if abs(deviation) <= SOUNDING_NOISE_PPM:
        level = "within_noise"
    elif ratio < WELL_ABOVE_NOISE_RATIO:
        level = "above_noise"
    else:
        level = "well_above_noise"
    return SignalFact(
        deviation_ppm=deviation,
        xco2_ppm=xco2,
        noise_ppm=SOUNDING_NOISE_PPM,
        ratio_to_noise=ratio,
        level=level,
        direction="enhancement" if deviation >= 0 else "deficit",
        source=NOISE_SOURCE,
    )


def wind_fact(wind: Wind | None) -> WindFact:
    """Describe the wind at the sounding; unknown when none was given."""
    if wind is None:
        return WindFact(
            known=False,
            calm=False,
            u_mps=None,
            v_mps=None,
            speed_mps=None,
            from_deg=None,
            from_direction=None,
        )
    from_deg = wind.from_deg
    rounded_from = None if from_deg is None else round(from_deg) % 360
    return WindFact(
        known=True,
        calm=wind.speed_mps < CALM_WIND_MPS,
        u_mps=round(wind.u_mps, 2),
        v_mps=round(wind.v_mps, 2),
        speed_mps=round(wind.speed_mps, 1),
        from_deg=rounded_from,
        from_direction=None if rounded_from is None else compass_point(rounded_from),
    )
