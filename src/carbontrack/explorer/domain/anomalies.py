"""The CO2 anomaly pipeline's rules: background, gridding, z-scores and severity (pure, no I/O).

From OCO-2 soundings (column-averaged CO2, XCO2, in ppm) to anomalies:

1. **Background**: the column (XCO2) level the soundings of a day are compared with: the median
   XCO2 of that day's soundings *outside* the large urban areas below and a
   `URBAN_BUFFER_DEG` margin around them (the urban dome and its outflow). The same day's
   soundings are used when there are at least `BACKGROUND_MIN_SAME_DAY_SOUNDINGS` of them (on a
   Los Angeles target-mode day these are the same orbit's soundings north of the basin);
   only otherwise is the window widened to the nearest days around it (+/- k days, k growing one
   day at a time up to `BACKGROUND_MAX_WINDOW_DAYS`) until it holds `BACKGROUND_MIN_SOUNDINGS`.
   Each `Background` says which it is (`method`). Not the day's median of all soundings: on Los
   Angeles target-mode days (2015-01-02, 2016-09-01) nearly every sounding is over the city, so
   that median is the city and its enhancement vanishes. Not a low percentile either: it sits
   below the regional level by a multiple of the sounding noise and would inflate every
   deviation. This is not NOAA's surface (in situ) record, which the facts quote for the date.
2. **Deviation** of each sounding from its day's background.
3. **Grid**: deviations are pooled per day into `CELL_DEG` cells; a cell's deviation is the
   median of its soundings', its position their mean position.
4. **z-score**: a cell's deviation over `SOUNDING_NOISE_PPM`, the noise of record: the robust
   spread (1.4826 x the median absolute deviation) of all cells' deviations, measured on this
   data and fixed here so that the pipeline, the facts and the text use one figure (a test
   holds the measured spread to it). Most cells hold one sounding, so this is the
   single-sounding scatter about the background; a cell of many soundings is less noisy than
   that, so its z-score errs on the low side.
5. **Severity** from the z-score: `high` from `HIGH_ZSCORE`, `medium` from `MEDIUM_ZSCORE`,
   `low` below. A cell is an anomaly from `MIN_ZSCORE` up and with `MIN_CELL_SOUNDINGS`: one
   sounding alone cannot tell a plume from a retrieval error. Only enhancements are kept (a
   deficit is mostly noise or plant uptake, which no explanation here can attribute).

Values are rounded as published (coordinates to 1e-4 deg, ppm and z to 0.01, wind to 0.01 m/s),
so an anomaly read back from the built file equals the one the pipeline made.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean, median
from typing import Literal

from carbontrack.explorer.domain.geo import Wind

Severity = Literal["low", "medium", "high"]

SOURCE_OCO2PEAK = "oco2peak"
SOURCE_CARBONTRACK = "carbontrack"

# The noise of record (docs/co2-explorer.md, "Noise and background"): 1.4826 x the MAD of all
# 0.2 deg cells' deviations from the background, California 2014-2020, quality flag 0. Measured
# here, not taken from a paper; tests/unit/test_anomaly_pipeline.py re-measures it on every run.
SOUNDING_NOISE_PPM = 0.74
# The median of n soundings of noise sigma is good to about 1.25 sigma / sqrt(n) (the median's
# efficiency): 20 soundings to ~0.25 ppm; 5 same-day soundings to ~0.5 ppm, still well under
# Kort et al. 2012's 1.5 ppm uncertainty and free of the day-to-day drift that borrowing adds.
BACKGROUND_MIN_SOUNDINGS = 20
BACKGROUND_MIN_SAME_DAY_SOUNDINGS = 5
# ~55 km around each urban box: Los Angeles' dome is carried tens of km downwind
# (Kort et al. 2012 sampled their background outside the basin for this reason).
URBAN_BUFFER_DEG = 0.5
BACKGROUND_MAX_WINDOW_DAYS = 30  # about one month: wide enough for every day of 2014-2020
CELL_DEG = 0.2  # ~22 km north-south: a city, or a plume a few km wide seen within ~10 km
MAD_TO_SIGMA = 1.4826  # 1 / Phi^-1(3/4): the MAD of normal noise times this is its sigma
MIN_ZSCORE = 2.0
MIN_CELL_SOUNDINGS = 2
MEDIUM_ZSCORE = 3.0
HIGH_ZSCORE = 4.0


@dataclass(frozen=True, slots=True)
class Area:
    """A latitude/longitude box, in degrees (west and east as negative longitudes here)."""

    name: str
    south: float
    north: float
    west: float
    east: float

    def contains(self, lat: float, lon: float, *, buffer_deg: float = 0.0) -> bool:
        """Tell whether the point lies in the box grown by `buffer_deg` (edges included)."""
        return (
            self.south - buffer_deg <= lat <= self.north + buffer_deg
            and self.west - buffer_deg <= lon <= self.east + buffer_deg
        )


# The California metropolitan areas over 2 million people (US Census 2020 MSAs): Los Angeles
# with Riverside-San Bernardino, the Bay Area with San Jose, San Diego and Sacramento. Their
# soundings, and those within `URBAN_BUFFER_DEG` of them, never count towards the background.
LOS_ANGELES_BASIN = Area("Los Angeles basin", 33.5, 34.35, -118.9, -117.0)
URBAN_AREAS = (
    LOS_ANGELES_BASIN,
    Area("San Francisco Bay Area", 37.2, 38.2, -122.7, -121.7),
    Area("San Diego", 32.5, 33.25, -117.4, -116.8),
    Area("Sacramento", 38.3, 38.95, -121.8, -121.0),
)


@dataclass(frozen=True, slots=True)
class Sounding:
    """One OCO-2 sounding: its UTC day, position and XCO2."""

    day: dt.date
    lat: float
    lon: float
    xco2_ppm: float


@dataclass(frozen=True, slots=True)
class Peak:
    """One enhancement detected along an OCO-2 track by the oco2peak Gaussian fit."""

    sounding_id: str
    day: dt.date
    lat: float
    lon: float
    delta_ppm: float  # the fitted peak height above the along-track background
    wind: Wind


BackgroundMethod = Literal["same_day", "nearby_days"]
# What an anomaly's deviation is measured against: its day's background (`same_day` or
# `nearby_days`, above) for ours; the Gaussian fit's along-track background for oco2peak's.
AnomalyBackground = Literal["same_day", "nearby_days", "along_track_fit"]


@dataclass(frozen=True, slots=True)
class Background:
    """A day's regional column background (XCO2) and what it was taken from."""

    day: dt.date
    xco2_ppm: float
    window_days: int  # 0: the day itself; k: the days from day - k to day + k
    soundings: int

    @property
    def method(self) -> BackgroundMethod:
        """`same_day`: that day's soundings outside the cities; `nearby_days`: borrowed."""
        return "same_day" if self.window_days == 0 else "nearby_days"


@dataclass(frozen=True, slots=True)
class Cell:
    """The soundings of one day in one grid cell: their count and medians."""

    day: dt.date
    centre_lat: float  # names the cell
    centre_lon: float
    lat: float  # where its soundings are: their mean position
    lon: float
    soundings: int
    xco2_ppm: float
    deviation_ppm: float


@dataclass(frozen=True, slots=True)
class Anomaly:
    """An XCO2 enhancement at a place and day, with how unusual it is and where it comes from."""

    id: str
    date: dt.date
    lat: float
    lon: float
    xco2: float | None  # ppm; None for the peaks, whose file has only the fitted height
    deviation_ppm: float
    zscore: float
    severity: Severity
    wind: Wind | None
    source: str
    citation: str
    background: AnomalyBackground


def is_urban(lat: float, lon: float, *, buffer_deg: float = 0.0) -> bool:
    """Tell whether a point lies in one of the `URBAN_AREAS`, grown by `buffer_deg`."""
    return any(area.contains(lat, lon, buffer_deg=buffer_deg) for area in URBAN_AREAS)


def regional_backgrounds(
    soundings: Iterable[Sounding],
    *,
    days: Iterable[dt.date] | None = None,
    min_same_day: int = BACKGROUND_MIN_SAME_DAY_SOUNDINGS,
    min_soundings: int = BACKGROUND_MIN_SOUNDINGS,
    max_window_days: int = BACKGROUND_MAX_WINDOW_DAYS,
) -> dict[dt.date, Background]:
    """Return each day's background from the soundings outside the cities (absent: none found).

    The day's own soundings when it has `min_same_day` of them, else the nearest days' until
    there are `min_soundings`. `days` defaults to the days of the soundings themselves.
    """
    pool = list(soundings)
    rural: dict[dt.date, list[float]] = defaultdict(list)
    for s in pool:
        if not is_urban(s.lat, s.lon, buffer_deg=URBAN_BUFFER_DEG):
            rural[s.day].append(s.xco2_ppm)
    wanted = sorted(set(days) if days is not None else {s.day for s in pool})
    found: dict[dt.date, Background] = {}
    for day in wanted:
        values = list(rural.get(day, ()))
        if len(values) >= min_same_day:
            found[day] = Background(day, median(values), 0, len(values))
            continue
        for k in range(1, max_window_days + 1):
            step = dt.timedelta(days=k)
            values += rural.get(day - step, []) + rural.get(day + step, [])
            if len(values) >= min_soundings:
                found[day] = Background(day, median(values), k, len(values))
                break
    return found


def deviations(
    soundings: Iterable[Sounding], backgrounds: dict[dt.date, Background]
) -> list[tuple[Sounding, float]]:
    """Pair each sounding with its XCO2 minus its day's background (days without one dropped)."""
    return [
        (s, s.xco2_ppm - backgrounds[s.day].xco2_ppm) for s in soundings if s.day in backgrounds
    ]


def _cell_index(degrees: float, cell_deg: float) -> int:
    # Rounded before the floor: 34.2 / 0.2 is 170.99999999999997 in floating point.
    return math.floor(round(degrees / cell_deg, 9))


def grid(deviated: Iterable[tuple[Sounding, float]], *, cell_deg: float = CELL_DEG) -> list[Cell]:
    """Pool the deviations per day and grid cell; return the cells sorted by day and position."""
    pooled: dict[tuple[dt.date, int, int], list[tuple[Sounding, float]]] = defaultdict(list)
    for s, deviation in deviated:
        pooled[(s.day, _cell_index(s.lat, cell_deg), _cell_index(s.lon, cell_deg))].append(
            (s, deviation)
        )
    return [
        Cell(
            day=day,
            centre_lat=round((i + 0.5) * cell_deg, 4),
            centre_lon=round((j + 0.5) * cell_deg, 4),
            lat=round(fmean(s.lat for s, _ in members), 4),
            lon=round(fmean(s.lon for s, _ in members), 4),
            soundings=len(members),
            xco2_ppm=median(s.xco2_ppm for s, _ in members),
            deviation_ppm=median(d for _, d in members),
        )
        for (day, i, j), members in sorted(pooled.items())
    ]


def robust_spread(values: Sequence[float]) -> float:
    """Return 1.4826 x the median absolute deviation: the sigma of the values' normal core."""
    if not values:
        raise ValueError("the spread of no values is undefined")
    centre = median(values)
    return MAD_TO_SIGMA * median(abs(v - centre) for v in values)


def zscore(deviation_ppm: float, noise_ppm: float = SOUNDING_NOISE_PPM) -> float:
    """Return the deviation in units of the noise (of record by default), rounded to 0.01."""
    return round(deviation_ppm / noise_ppm, 2)


def severity(z: float) -> Severity:
    """Return `high` from z = 4, `medium` from z = 3, `low` below."""
    if z >= HIGH_ZSCORE:
        return "high"
    if z >= MEDIUM_ZSCORE:
        return "medium"
    return "low"


def _hemispheres(lat: float, lon: float) -> str:
    return f"{abs(lat):.2f}{'N' if lat >= 0 else 'S'}-{abs(lon):.2f}{'E' if lon >= 0 else 'W'}"


def cell_anomalies(
    cells: Iterable[Cell],
    *,
    backgrounds: Mapping[dt.date, Background],
    citation: str,
    noise_ppm: float = SOUNDING_NOISE_PPM,
    min_zscore: float = MIN_ZSCORE,
    min_soundings: int = MIN_CELL_SOUNDINGS,
) -> list[Anomaly]:
    """Return an anomaly for each cell of enough soundings whose z-score reaches `min_zscore`.

    `backgrounds` are the ones the cells' deviations were taken from: each anomaly names its
    day's method.
    """
    found = []
    for cell in cells:
        deviation = round(cell.deviation_ppm, 2)
        z = zscore(deviation, noise_ppm)
        if z < min_zscore or cell.soundings < min_soundings:
            continue
        found.append(
            Anomaly(
                id=f"ct-{cell.day:%Y%m%d}-{_hemispheres(cell.centre_lat, cell.centre_lon)}",
                date=cell.day,
                lat=cell.lat,
                lon=cell.lon,
                xco2=round(cell.xco2_ppm, 2),
                deviation_ppm=deviation,
                zscore=z,
                severity=severity(z),
                wind=None,
                source=SOURCE_CARBONTRACK,
                citation=citation,
                background=backgrounds[cell.day].method,
            )
        )
    return found


def peak_anomaly(peak: Peak, *, citation: str, noise_ppm: float = SOUNDING_NOISE_PPM) -> Anomaly:
    """Return the anomaly of an oco2peak detection, its height scored on the same noise."""
    deviation = round(peak.delta_ppm, 2)
    z = zscore(deviation, noise_ppm)
    return Anomaly(
        id=f"oco2peak-{peak.sounding_id}",
        date=peak.day,
        lat=round(peak.lat, 4),
        lon=round(peak.lon, 4),
        xco2=None,
        deviation_ppm=deviation,
        zscore=z,
        severity=severity(z),
        wind=Wind(round(peak.wind.u_mps, 2), round(peak.wind.v_mps, 2)),
        source=SOURCE_OCO2PEAK,
        citation=citation,
        background="along_track_fit",
    )
