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

from carbontrack.explorer.domain.anomalies import (
    MEDIUM_ZSCORE,
    SOUNDING_NOISE_PPM,
    AnomalyBackground,
    zscore,
)
from carbontrack.explorer.domain.geo import CALM_WIND_MPS, Wind, compass_point

# Bump whenever a fact gains, loses or changes a field or its meaning: it is part of every
# cache key (services/facts.facts_data_version), so no explanation of the old shape is served.
FACTS_VERSION = 4  # 3: likely-sources fact, non-fossil plants left out, CO2 to 3 figures
# 4: the signal's z-score on the pipeline's noise of record; the NOAA fact named surface_co2

# The one noise figure (domain/anomalies.py; docs/co2-explorer.md, "Noise and background"): the
# anomaly pipeline scores its z-scores on it and the signal fact repeats it, so that an
# anomaly's z-score is its deviation over the noise the text prints.
NOISE_SOURCE = (
    "CarbonTrack anomaly pipeline: 1.4826 x the median absolute deviation of the 0.2 deg cells' "
    "deviations from their column background, OCO-2 over California 2014-2020, quality flag 0"
)
# A z-score from this is "well above" the noise: the pipeline's `medium` severity, three sigma,
# the usual threshold for a single-sounding detection; from one to three it is "above noise".
WELL_ABOVE_NOISE_ZSCORE = MEDIUM_ZSCORE

# The NOAA surface (in situ) series a SurfaceCo2Fact names (data/noaa.py reads them).
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
    """A fossil power plant within the search radius of the point.

    `upwind`: the bearing to the plant lies within 45 degrees of where the one wind reading
    comes from (geo.is_upwind); None when the wind is unknown or calm. `co2_mt_per_yr` has
    three significant figures, so a small plant never reads "0 Mt".
    """

    kind: ClassVar[str] = "power_plant"
    id: str
    name: str
    country: str
    fuel: str
    capacity_mw: float
    lat: float  # where the map draws it, rounded to 4 decimals (about 10 m)
    lon: float
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
    non_fossil_excluded: int  # landfill gas, biogas and waste plants within the radius, left out
    largest_emitter_id: str | None  # the plant with the largest CO2 estimate within the radius
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceShare:
    """One likely contributor: a plant's or city's fact id and its share of the model's score."""

    id: str
    share: float  # 0..1, to 0.01
    percent: int  # the share in whole percent


@dataclass(frozen=True, slots=True, kw_only=True)
class LikelySourcesFact:
    """The likeliest contributors by emissions, distance and the wind (domain/attribution.py).

    `wind_basis`: "one_reading" (one reanalysis wind at the sounding), "unknown" or "calm" (no
    direction: ranked by emissions and distance alone). `contributors` is empty when every
    source lies off the wind.
    """

    kind: ClassVar[str] = "likely_sources"
    id: str = "likely-sources"
    model: str
    wind_basis: str
    direction_spread_deg: int
    radius_km: float
    contributors: tuple[SourceShare, ...]
    considered: int  # plants and cities scored
    unranked: int  # plants within the radius without a CO2 estimate
    city_co2_t_per_person: float
    note: str


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
    lat: float
    lon: float
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
    """The anomaly's deviation from its column background, against the noise of one sounding.

    `zscore` is `deviation_ppm / noise_ppm` (the anomaly product's z-score for a known
    anomaly). `background`: what the deviation is measured against, an OCO-2 column (XCO2)
    level near the sounding: `same_day` or `nearby_days` (the median of soundings outside the
    cities, domain/anomalies.py), `along_track_fit` (oco2peak's fit), None when the caller gave
    the deviation.
    """

    kind: ClassVar[str] = "signal"
    id: str = "signal"
    deviation_ppm: float | None
    xco2_ppm: float | None
    noise_ppm: float
    zscore: float | None
    level: str
    direction: str | None
    background: AnomalyBackground | None
    source: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SurfaceCo2Fact:
    """NOAA's surface (in situ) CO2 for the date and its series: the date's level near the ground.

    Not the background the anomaly's deviation is measured against (that is a column average
    near the sounding, `SignalFact.background`): a surface value reads a few ppm above a column
    average and has a larger seasonal cycle.
    """

    kind: ClassVar[str] = "surface_co2"
    id: str = "surface-co2"
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
    | LikelySourcesFact
    | NoKnownSourceFact
    | CityFact
    | SurfaceFact
    | SeasonFact
    | SignalFact
    | SurfaceCo2Fact
    | WindFact
)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, SourceShare):
        return {_camel(f.name): getattr(value, f.name) for f in fields(value)}
    return value


def fact_dict(fact: Fact) -> dict[str, object]:
    """Return the fact as a JSON-ready dict: `id`, `kind`, then its values in camelCase."""
    values = {_camel(f.name): _plain(getattr(fact, f.name)) for f in fields(fact) if f.name != "id"}
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


def signal_fact(
    deviation_ppm: float | None,
    xco2_ppm: float | None,
    *,
    background: AnomalyBackground | None = None,
) -> SignalFact:
    """Compare the deviation from its column background with the noise of record."""
    xco2 = None if xco2_ppm is None else round(xco2_ppm, 2)
    if deviation_ppm is None:
        return SignalFact(
            deviation_ppm=None,
            xco2_ppm=xco2,
            noise_ppm=SOUNDING_NOISE_PPM,
            zscore=None,
            level="unknown",
            direction=None,
            background=background,
            source=NOISE_SOURCE,
        )
    deviation = round(deviation_ppm, 2)
    z = zscore(deviation)  # as the pipeline scores it: equal to a known anomaly's z-score
    if abs(z) <= 1:
        level = "within_noise"
    elif abs(z) < WELL_ABOVE_NOISE_ZSCORE:
        level = "above_noise"
    else:
        level = "well_above_noise"
    return SignalFact(
        deviation_ppm=deviation,
        xco2_ppm=xco2,
        noise_ppm=SOUNDING_NOISE_PPM,
        zscore=z,
        level=level,
        direction="enhancement" if deviation >= 0 else "deficit",
        background=background,
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
