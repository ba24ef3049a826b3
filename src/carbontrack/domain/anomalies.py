"""The CO2 anomaly pipeline's rules: background, gridding, z-scores and severity (pure, no I/O).

From OCO-2 soundings (column-averaged CO2, XCO2, in ppm) to anomalies:

1. **Background**: for each day, the median XCO2 of the soundings *outside* the large urban
   areas below, taken from that day or, when it has fewer than `BACKGROUND_MIN_SOUNDINGS` of
   them, from the nearest days around it (a window of +/- k days, k growing one day at a time up
   to `BACKGROUND_MAX_WINDOW_DAYS`). Not the day's median of all soundings: on Los Angeles
   target-mode days (2015-01-02, 2016-09-01) nearly every sounding is over the city, so that
   median is the city and its enhancement vanishes. Not a low percentile either: it sits below
   the regional level by a multiple of the sounding noise and would inflate every deviation.
2. **Deviation** of each sounding from its day's background.
3. **Grid**: deviations are pooled per day into `CELL_DEG` cells; a cell's deviation is the
   median of its soundings', its position their mean position.
4. **z-score**: a cell's deviation over the robust spread (1.4826 x the median absolute
   deviation) of all cells' deviations, a standard deviation that outliers cannot inflate.
   Most cells hold one sounding, so this is the single-sounding spread; a cell of many soundings
   is less noisy than that, so its z-score errs on the low side.
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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import fmean, median
from typing import Literal

from carbontrack.domain.geo import Wind

Severity = Literal["low", "medium", "high"]

SOURCE_OCO2PEAK = "oco2peak"
SOURCE_CARBONTRACK = "carbontrack"

BACKGROUND_MIN_SOUNDINGS = 20  # the median of 20 soundings of ~0.9 ppm noise is good to ~0.25 ppm
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

    def contains(self, lat: float, lon: float) -> bool:
        """Tell whether the point lies in the box (edges included)."""
        return self.south <= lat <= self.north and self.west <= lon <= self.east


# The California metropolitan areas over 2 million people (US Census 2020 MSAs): Los Angeles
# with Riverside-San Bernardino, the Bay Area with San Jose, San Diego and Sacramento. Their
# soundings never count towards the background.
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


@dataclass(frozen=True, slots=True)
class Background:
    """A day's regional background and what it was taken from."""

    day: dt.date
    xco2_ppm: float
    window_days: int  # 0: the day itself; k: the days from day - k to day + k
    soundings: int


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


def is_urban(lat: float, lon: float) -> bool:
    """Tell whether a point lies in one of the `URBAN_AREAS`."""
    return any(area.contains(lat, lon) for area in URBAN_AREAS)


def regional_backgrounds(
    soundings: Iterable[Sounding],
    *,
    days: Iterable[dt.date] | None = None,
    min_soundings: int = BACKGROUND_MIN_SOUNDINGS,
    max_window_days: int = BACKGROUND_MAX_WINDOW_DAYS,
) -> dict[dt.date, Background]:
    """Return each day's background from the non-urban soundings (days without one are absent).

    `days` defaults to the days of the soundings themselves.
    """
    pool = list(soundings)
    rural: dict[dt.date, list[float]] = defaultdict(list)
    for s in pool:
        if not is_urban(s.lat, s.lon):
            rural[s.day].append(s.xco2_ppm)
    wanted = sorted(set(days) if days is not None else {s.day for s in pool})
    found: dict[dt.date, Background] = {}
    for day in wanted:
        values = list(rural.get(day, ()))
        for k in range(max_window_days + 1):
            if k:
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


def zscore(deviation_ppm: float, spread_ppm: float) -> float:
    """Return the deviation in units of the spread, rounded to 0.01."""
    return round(deviation_ppm / spread_ppm, 2)


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
    spread_ppm: float,
    citation: str,
    min_zscore: float = MIN_ZSCORE,
    min_soundings: int = MIN_CELL_SOUNDINGS,
) -> list[Anomaly]:
    """Return an anomaly for each cell of enough soundings whose z-score reaches `min_zscore`."""
    found = []
    for cell in cells:
        deviation = round(cell.deviation_ppm, 2)
        z = zscore(deviation, spread_ppm)
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
            )
        )
    return found


def peak_anomaly(peak: Peak, *, spread_ppm: float, citation: str) -> Anomaly:
    """Return the anomaly of an oco2peak detection, its height scored on the same spread."""
    deviation = round(peak.delta_ppm, 2)
    z = zscore(deviation, spread_ppm)
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
    )
