"""NOAA GML CO2 records: the global daily trend (2010-2020) and Mauna Loa monthly and daily means.

Public domain (US Government). Cite: Lan, X., Tans, P. and Thoning, K.W., Trends in globally
averaged CO2 determined from NOAA Global Monitoring Laboratory measurements; Keeling et al.
(Scripps Institution of Oceanography) for Mauna Loa before May 1974.

- co2/noaa_gml_co2_trend_gl_2010_2020.txt: `year month day cycle trend`, the estimated global
  surface CO2 per day (cycle = smoothed value with its seasonal cycle; trend = deseasonalised),
  2010-01-01 to 2020-05-07.
- co2/noaa_gml_co2_mm_mlo.txt: `year month decimal average deseasonalized ndays sdev unc`,
  Mauna Loa monthly means 1958-03 to 2026-01 (missing months interpolated by NOAA).
- co2/noaa_gml_co2_daily_mlo.txt: `year month day decimal value`, Mauna Loa daily means
  1974-05 to 2024-05; days without a measurement are absent.

All are surface (in situ) mole fractions: an OCO-2 column average (XCO2) is typically a few ppm
lower and has a smaller seasonal cycle, so these give the date's level, not a value to subtract.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from types import MappingProxyType

from carbontrack.explorer.data.manifest import (
    NOAA_GLOBAL_TREND_FILE,
    NOAA_MLO_DAILY_FILE,
    NOAA_MLO_MONTHLY_FILE,
    read_verified,
)
from carbontrack.explorer.domain.facts import GLOBAL_TREND_SERIES, MAUNA_LOA_MONTHLY_SERIES

GLOBAL_TREND = GLOBAL_TREND_SERIES
MAUNA_LOA_MONTHLY = MAUNA_LOA_MONTHLY_SERIES
SOURCE_NAMES = {
    GLOBAL_TREND: "NOAA GML global daily CO2 trend (Lan, Tans and Thoning)",
    MAUNA_LOA_MONTHLY: "NOAA GML Mauna Loa monthly mean CO2 (Lan, Tans and Thoning; Keeling, SIO)",
}


@dataclass(frozen=True, slots=True)
class Background:
    """The background surface CO2 for a date: the seasonal value, the trend, and which series."""

    day: date
    ppm: float
    trend_ppm: float
    series: str
    period: str  # the day ("2018-01-19") or month ("2021-06") the value stands for

    @property
    def source(self) -> str:
        """The series' citation."""
        return SOURCE_NAMES[self.series]


def _rows(path: str) -> Iterator[list[str]]:
    for line in read_verified(path).decode("utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            yield line.split()


@cache
def load_global_trend() -> Mapping[date, tuple[float, float]]:
    """Day -> (cycle ppm, trend ppm) of NOAA's global estimate (cached; checksum verified)."""
    series = {
        date(int(y), int(m), int(d)): (float(cycle), float(trend))
        for y, m, d, cycle, trend in _rows(NOAA_GLOBAL_TREND_FILE)
    }
    return MappingProxyType(series)


@cache
def load_mauna_loa_monthly() -> Mapping[tuple[int, int], tuple[float, float]]:
    """(year, month) -> (monthly mean ppm, deseasonalised ppm) at Mauna Loa (cached)."""
    series = {
        (int(row[0]), int(row[1])): (float(row[3]), float(row[4]))
        for row in _rows(NOAA_MLO_MONTHLY_FILE)
    }
    return MappingProxyType(series)


@cache
def load_mauna_loa_daily() -> Mapping[date, float]:
    """Day -> Mauna Loa daily mean ppm, for the days that have one (cached; checksum verified)."""
    series = {
        date(int(row[0]), int(row[1]), int(row[2])): float(row[4])
        for row in _rows(NOAA_MLO_DAILY_FILE)
    }
    return MappingProxyType(series)


def mauna_loa_daily(day: date) -> float | None:
    """Return the Mauna Loa daily mean for a day, or None when none was measured."""
    return load_mauna_loa_daily().get(day)


def background_for(day: date) -> Background | None:
    """Return the background CO2 for a date: the global trend when it covers the date, else the
    Mauna Loa monthly mean; None outside both records.
    """
    global_value = load_global_trend().get(day)
    if global_value is not None:
        cycle, trend = global_value
        return Background(day, cycle, trend, GLOBAL_TREND, day.isoformat())
    monthly = load_mauna_loa_monthly().get((day.year, day.month))
    if monthly is not None:
        average, deseasonalised = monthly
        period = f"{day.year:04d}-{day.month:02d}"
        return Background(day, average, deseasonalised, MAUNA_LOA_MONTHLY, period)
    return None
