"""Query parameters and GeoJSON bodies of the anomaly API (camelCase properties)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from carbontrack.api.schemas import Body
from carbontrack.explorer.domain.anomalies import Anomaly, AnomalyBackground, Severity

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: object) -> object:
    # pydantic alone would also take "1514764800" or "2018-01-01T00:00" for a date.
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        raise ValueError("must be an ISO 8601 calendar date, YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a day of the calendar") from None


IsoDay = Annotated[date, BeforeValidator(_iso_day)]
AnomalyId = Annotated[str, Field(min_length=1, max_length=80)]


class DateCountOut(Body):
    date: date
    count: int


class AnomalyDatesOut(Body):
    start: date = Field(serialization_alias="from")
    end: date = Field(serialization_alias="to")
    data_from: date
    data_to: date
    busiest_recent_day: date  # where the map opens: services.anomalies.RECENT_WINDOW_DAYS
    dates: list[DateCountOut]


class WindOut(Body):
    u: float  # m/s towards the east
    v: float  # m/s towards the north
    speed_ms: float
    from_deg: float | None  # where the wind blows from, clockwise from north; None when calm


class AnomalyPropertiesOut(Body):
    date: date
    xco2: float | None
    deviation_ppm: float
    zscore: float
    severity: Severity
    wind: WindOut | None
    source: str
    citation: str
    # What deviationPpm is measured against, an OCO-2 column (XCO2) background: `same_day` or
    # `nearby_days` (median XCO2 of soundings outside the cities), `along_track_fit` (oco2peak).
    background: AnomalyBackground


class PointOut(Body):
    type: Literal["Point"] = "Point"
    coordinates: tuple[float, float]  # [lon, lat], as GeoJSON orders them


class AnomalyFeatureOut(Body):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: PointOut
    properties: AnomalyPropertiesOut


class AnomalyCollectionOut(Body):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[AnomalyFeatureOut]


def feature_of(anomaly: Anomaly) -> AnomalyFeatureOut:
    """Return the GeoJSON Feature of one anomaly."""
    wind = anomaly.wind
    return AnomalyFeatureOut(
        id=anomaly.id,
        geometry=PointOut(coordinates=(anomaly.lon, anomaly.lat)),
        properties=AnomalyPropertiesOut(
            date=anomaly.date,
            xco2=anomaly.xco2,
            deviation_ppm=anomaly.deviation_ppm,
            zscore=anomaly.zscore,
            severity=anomaly.severity,
            wind=None
            if wind is None
            else WindOut(
                u=wind.u_mps,
                v=wind.v_mps,
                speed_ms=round(wind.speed_mps, 2),
                from_deg=None if wind.from_deg is None else round(wind.from_deg, 1),
            ),
            source=anomaly.source,
            citation=anomaly.citation,
            background=anomaly.background,
        ),
    )
