"""Loaders for the shipped NASA OCO-2 data: the 2018 peaks and the California soundings.

- co2/oco2peak_2018/peaks_and_invent_18MM.csv: 1,388 XCO2 enhancements found in 2018 by the
  Data For Good OCO2 peak project (Apache-2.0) with a Gaussian fit along each orbit track. We use
  `sounding_id`, `latitude`, `longitude`, `date` (UTC), `delta` (the fitted peak height, ppm:
  amplitude / (sigma sqrt(2 pi))) and `windspeed_u`/`windspeed_v` (m/s towards east/north). The
  file has no XCO2 of the sounding itself, only the fit.
- co2/oco2_california_2014_2020_qf0.csv: every 10th good-quality (quality_flag 0) OCO-2 Lite
  V10r sounding over California, 2014-09 to 2020-10. Its `DateTime` column is mangled (minutes and
  seconds only), so the day comes from `Year`/`Month`/`Day` (UTC).
- co2/oco2_california_2014_2017_sample.csv: a dense sample of 21 days (no quality flag column),
  including Los Angeles target-mode days.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date

from carbontrack.explorer.data.manifest import (
    OCO2_CALIFORNIA_DENSE_FILE,
    OCO2_CALIFORNIA_FILE,
    OCO2_PEAKS_2018_FILES,
    read_verified,
)
from carbontrack.explorer.domain.anomalies import Peak, Sounding
from carbontrack.explorer.domain.geo import Wind

PEAKS_CITATION = (
    "Data For Good, OCO2 peak detection 2018 (github.com/dataforgood-fr/batch7_satellite_ges, "
    "Apache-2.0), from NASA OCO-2 Lite XCO2 soundings (OCO-2 Science Team, GES DISC)"
)
CALIFORNIA_CITATION = (
    "CarbonTrack anomaly pipeline on NASA OCO-2 Lite V10r XCO2 soundings, quality flag 0: "
    "OCO-2 Science Team/Michael Gunson, Annmarie Eldering (2020), GES DISC"
)


def _rows(path: str) -> Iterator[dict[str, str]]:
    yield from csv.DictReader(io.StringIO(read_verified(path).decode("utf-8")))


def load_peaks() -> list[Peak]:
    """Return the 1,388 oco2peak detections of 2018, month by month."""
    return [
        Peak(
            sounding_id=row["sounding_id"],
            day=date.fromisoformat(row["date"][:10]),
            lat=float(row["latitude"]),
            lon=float(row["longitude"]),
            delta_ppm=float(row["delta"]),
            wind=Wind(float(row["windspeed_u"]), float(row["windspeed_v"])),
        )
        for path in OCO2_PEAKS_2018_FILES
        for row in _rows(path)
    ]


def _sounding(row: dict[str, str]) -> Sounding:
    return Sounding(
        day=date(int(row["Year"]), int(row["Month"]), int(row["Day"])),
        lat=float(row["Latitude"]),
        lon=float(row["Longitude"]),
        xco2_ppm=float(row["Xco2"]),
    )


def load_california_soundings() -> list[Sounding]:
    """Return the good-quality California soundings of 2014-2020 (the pipeline's input)."""
    soundings = []
    for row in _rows(OCO2_CALIFORNIA_FILE):
        if row["quality_flag"] != "0":
            raise ValueError(f"{OCO2_CALIFORNIA_FILE} row {row['Index']} is not quality flag 0")
        soundings.append(_sounding(row))
    return soundings


def load_california_dense_sample() -> list[Sounding]:
    """Return the dense 21-day California sample of 2014-2017 (Los Angeles target-mode days)."""
    return [_sounding(row) for row in _rows(OCO2_CALIFORNIA_DENSE_FILE)]
