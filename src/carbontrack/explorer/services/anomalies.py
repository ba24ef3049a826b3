"""The CO2 anomaly product: built from the shipped OCO-2 data, served from the built file.

`build_product()` runs the pipeline of `domain.anomalies` over the California soundings of
2014-2020 and adds the 2018 oco2peak detections; `carbontrack anomalies build` writes the result
to `explorer/data/co2/derived/anomalies.json`, a committed file whose checksum is in the
manifest, so
the API never recomputes it and a test catches any drift. `AnomalyCatalogue` reads that file
once, on first use, and answers the API's and the reasoning's questions from memory.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from carbontrack.domain.errors import InvalidInput, NotFound
from carbontrack.explorer.data import oco2
from carbontrack.explorer.data.manifest import (
    OCO2_ANOMALIES_FILE,
    OCO2_CALIFORNIA_FILE,
    OCO2_PEAKS_2018_FILES,
    SHA256,
    read_verified,
)
from carbontrack.explorer.domain import anomalies as pipeline
from carbontrack.explorer.domain.anomalies import Anomaly
from carbontrack.explorer.domain.geo import Wind, great_circle_km

MAX_RANGE_DAYS = 400  # a calendar year and a bit: enough for any calendar view
# The map opens on the busiest day of the data's last 90 days (about a season): recent, yet
# a day with several points rather than whichever lone point happens to be the latest.
RECENT_WINDOW_DAYS = 90
PRODUCT_VERSION = 2  # 2: each anomaly names its background
COLUMNS = (
    "id",
    "date",
    "lat",
    "lon",
    "xco2",
    "deviationPpm",
    "zscore",
    "severity",
    "wind",
    "source",
    "background",
)

SOURCES = {
    pipeline.SOURCE_OCO2PEAK: {
        "citation": oco2.PEAKS_CITATION,
        "licence": "Apache-2.0 (Data For Good); NASA OCO-2 open data",
    },
    pipeline.SOURCE_CARBONTRACK: {
        "citation": oco2.CALIFORNIA_CITATION,
        "licence": "Apache-2.0 (CarbonTrack); NASA OCO-2 open data",
    },
}


@dataclass(frozen=True, slots=True)
class Product:
    """The built anomaly file and what it holds."""

    data: bytes
    anomalies: tuple[Anomaly, ...]
    spread_ppm: float

    @property
    def sha256(self) -> str:
        """The file's SHA-256, as the manifest records it."""
        return hashlib.sha256(self.data).hexdigest()


def product_path() -> Path:
    """Where `carbontrack anomalies build` writes the product inside the package."""
    return Path(str(files("carbontrack.explorer.data").joinpath(*OCO2_ANOMALIES_FILE.split("/"))))


def build_product() -> Product:
    """Run the pipeline over the shipped data and encode the product (byte-for-byte repeatable)."""
    soundings = oco2.load_california_soundings()
    backgrounds = pipeline.regional_backgrounds(soundings)
    cells = pipeline.grid(pipeline.deviations(soundings, backgrounds))
    # The scatter measured on this run; the z-scores use the noise of record, which a test holds
    # to this measurement.
    spread = round(pipeline.robust_spread([c.deviation_ppm for c in cells]), 4)
    found = pipeline.cell_anomalies(
        cells, backgrounds=backgrounds, citation=oco2.CALIFORNIA_CITATION
    )
    found += [pipeline.peak_anomaly(p, citation=oco2.PEAKS_CITATION) for p in oco2.load_peaks()]
    ordered = tuple(sorted(found, key=lambda a: (a.date, a.id)))
    method = _method(
        spread_ppm=spread,
        soundings=len(soundings),
        cells=len(cells),
        same_day=sum(b.method == "same_day" for b in backgrounds.values()),
        days=len(backgrounds),
    )
    return Product(data=encode(ordered, method=method), anomalies=ordered, spread_ppm=spread)


def _method(
    *, spread_ppm: float, soundings: int, cells: int, same_day: int, days: int
) -> dict[str, object]:
    return {
        "background": (
            "column (XCO2) background: median XCO2 of the soundings outside the urban areas "
            f"and {pipeline.URBAN_BUFFER_DEG} deg around them, from the same day when it has "
            f"{pipeline.BACKGROUND_MIN_SAME_DAY_SOUNDINGS}, else from the nearest days "
            f"(+/- up to {pipeline.BACKGROUND_MAX_WINDOW_DAYS}) until there are "
            f"{pipeline.BACKGROUND_MIN_SOUNDINGS}"
        ),
        "backgroundDays": {"sameDay": same_day, "nearbyDays": days - same_day},
        "urbanAreas": [a.name for a in pipeline.URBAN_AREAS],
        "cellDeg": pipeline.CELL_DEG,
        "noisePpm": pipeline.SOUNDING_NOISE_PPM,
        "measuredSpreadPpm": spread_ppm,
        "zscore": (
            "deviationPpm / noisePpm (noise of record: 1.4826 x MAD of all cells' deviations)"
        ),
        "minZscore": pipeline.MIN_ZSCORE,
        "minCellSoundings": pipeline.MIN_CELL_SOUNDINGS,
        "severity": {"medium": pipeline.MEDIUM_ZSCORE, "high": pipeline.HIGH_ZSCORE},
        "soundings": soundings,
        "cells": cells,
        "inputs": {path: SHA256[path] for path in (OCO2_CALIFORNIA_FILE, *OCO2_PEAKS_2018_FILES)},
    }


def encode(anomalies: Sequence[Anomaly], *, method: dict[str, object]) -> bytes:
    """Encode the product as JSON with one anomaly per line (readable diffs)."""
    head = {"version": PRODUCT_VERSION, "method": method, "sources": SOURCES, "columns": COLUMNS}
    lines = ",\n".join(json.dumps(_record(a)) for a in anomalies)
    # The head's closing brace gives way to the anomaly rows, which come last.
    return f'{json.dumps(head, sort_keys=True)[:-1]}, "anomalies": [\n{lines}\n]}}\n'.encode()


def _record(a: Anomaly) -> list[Any]:
    wind = [a.wind.u_mps, a.wind.v_mps] if a.wind is not None else None
    return [
        a.id, a.date.isoformat(), a.lat, a.lon, a.xco2, a.deviation_ppm, a.zscore, a.severity,
        wind, a.source, a.background,
    ]  # fmt: skip


def decode(data: bytes) -> tuple[Anomaly, ...]:
    """Read the anomalies back from the product's bytes."""
    product = json.loads(data)
    if tuple(product["columns"]) != COLUMNS:
        raise ValueError(f"anomaly columns {product['columns']} are not {list(COLUMNS)}")
    citations = {name: source["citation"] for name, source in product["sources"].items()}
    return tuple(
        Anomaly(
            id=anomaly_id,
            date=dt.date.fromisoformat(day),
            lat=lat,
            lon=lon,
            xco2=xco2,
            deviation_ppm=deviation,
            zscore=z,
            severity=level,
            wind=Wind(wind[0], wind[1]) if wind is not None else None,
            source=source,
            citation=citations[source],
            background=background,
        )
        for anomaly_id, day, lat, lon, xco2, deviation, z, level, wind, source, background in (
            product["anomalies"]
        )
    )


class AnomalyCatalogue:
    """The built anomalies, indexed by id and by day; read on first use, then kept."""

    def __init__(self, load: Callable[[], bytes] | None = None) -> None:
        self._load = load or (lambda: read_verified(OCO2_ANOMALIES_FILE))
        self._lock = threading.Lock()
        self._index: _Index | None = None

    def _get_index(self) -> _Index:
        if self._index is None:
            with self._lock:  # several request threads may ask first at once: read once
                if self._index is None:
                    self._index = _Index.of(self._load())
        return self._index

    @property
    def data_version(self) -> str:
        """The SHA-256 of the product file: changes whenever any anomaly does."""
        return self._get_index().sha256

    @property
    def extent(self) -> tuple[dt.date, dt.date]:
        """The first and last day with anomalies."""
        days = self._get_index().days
        return days[0], days[-1]

    def busiest_recent_day(self, window_days: int = RECENT_WINDOW_DAYS) -> dt.date:
        """Return the day with most anomalies in the last `window_days` days; ties: the later."""
        index = self._get_index()
        since = index.days[-1] - dt.timedelta(days=window_days - 1)
        recent = index.days[bisect.bisect_left(index.days, since) :]
        return max(recent, key=lambda day: (len(index.by_day[day]), day))

    def dates(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, int]]:
        """Return each day from `start` to `end` (inclusive) with anomalies, and their count."""
        if start > end:
            raise InvalidInput(f"from ({start}) is after to ({end})", field="from")
        if (end - start).days + 1 > MAX_RANGE_DAYS:
            raise InvalidInput(f"ask for at most {MAX_RANGE_DAYS} days at a time", field="to")
        index = self._get_index()
        first = bisect.bisect_left(index.days, start)
        last = bisect.bisect_right(index.days, end)
        return [(day, len(index.by_day[day])) for day in index.days[first:last]]

    def on_date(self, date: dt.date) -> tuple[Anomaly, ...]:
        """Return the anomalies of one day (none when the day has no data)."""
        return self._get_index().by_day.get(date, ())

    def get(self, anomaly_id: str) -> Anomaly:
        """Return one anomaly by its id."""
        found = self._get_index().by_id.get(anomaly_id)
        if found is None:
            raise NotFound(f"no anomaly {anomaly_id!r}")
        return found

    def find_near(self, lat: float, lon: float, date: dt.date, max_km: float) -> Anomaly | None:
        """Return the anomaly of that day nearest to the point within `max_km`, if any."""
        distance, nearest = min(
            ((great_circle_km(lat, lon, a.lat, a.lon), a) for a in self.on_date(date)),
            key=lambda pair: pair[0],
            default=(float("inf"), None),
        )
        return nearest if distance <= max_km else None


@dataclass(frozen=True, slots=True)
class _Index:
    sha256: str
    days: list[dt.date]
    by_day: dict[dt.date, tuple[Anomaly, ...]]
    by_id: dict[str, Anomaly]

    @classmethod
    def of(cls, data: bytes) -> _Index:
        anomalies = decode(data)
        by_day: dict[dt.date, list[Anomaly]] = {}
        for a in anomalies:
            by_day.setdefault(a.date, []).append(a)
        return cls(
            sha256=hashlib.sha256(data).hexdigest(),
            days=sorted(by_day),
            by_day={day: tuple(found) for day, found in by_day.items()},
            by_id={a.id: a for a in anomalies},
        )


@cache
def default_catalogue() -> AnomalyCatalogue:
    """The process-wide catalogue over the packaged product (read on its first question)."""
    return AnomalyCatalogue()


def anomalies_on_date(*, catalogue: AnomalyCatalogue, date: dt.date) -> tuple[Anomaly, ...]:
    """Return one day's anomalies; a day without any is NotFound, with where the data is."""
    found = catalogue.on_date(date)
    if not found:
        first, last = catalogue.extent
        raise NotFound(
            f"no anomalies on {date}; data runs from {first} to {last} on some days only: "
            "GET /api/anomalies/dates lists them",
            field="date",
        )
    return found
