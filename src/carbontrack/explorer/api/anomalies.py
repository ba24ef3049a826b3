"""CO2 anomalies for the map: the calendar's dates, one day's GeoJSON, one anomaly (public)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from carbontrack.explorer.api.schemas_anomalies import (
    AnomalyCollectionOut,
    AnomalyDatesOut,
    AnomalyFeatureOut,
    AnomalyId,
    DateCountOut,
    IsoDay,
    feature_of,
)
from carbontrack.explorer.services import anomalies
from carbontrack.explorer.services.anomalies import AnomalyCatalogue

router = APIRouter(prefix="/api/anomalies", tags=["anomalies"])


# async: handing out the process-wide catalogue needs no thread-pool hop.
async def get_catalogue() -> AnomalyCatalogue:
    """The catalogue over the packaged anomaly product."""
    return anomalies.default_catalogue()


CatalogueDep = Annotated[AnomalyCatalogue, Depends(get_catalogue)]


def _json(body: AnomalyDatesOut | AnomalyCollectionOut | AnomalyFeatureOut) -> Response:
    return Response(body.model_dump_json(by_alias=True), media_type="application/json")


@router.get("/dates", response_model=AnomalyDatesOut)
def list_dates(
    catalogue: CatalogueDep,
    from_: Annotated[IsoDay, Query(alias="from")],
    to: IsoDay,
) -> Response:
    """The days from `from` to `to` (ISO dates, inclusive, at most 400 days) that have anomalies.

    Each with its count, the first and last day of the whole data set (`dataFrom`, `dataTo`)
    so that a calendar knows where to go, and `busiestRecentDay`, the day with the most
    anomalies in the data's last 90 days, where the map opens.
    """
    found = catalogue.dates(from_, to)
    data_from, data_to = catalogue.extent
    return _json(
        AnomalyDatesOut(
            start=from_,
            end=to,
            data_from=data_from,
            data_to=data_to,
            busiest_recent_day=catalogue.busiest_recent_day(),
            dates=[DateCountOut(date=day, count=count) for day, count in found],
        )
    )


@router.get("", response_model=AnomalyCollectionOut)
def on_date(catalogue: CatalogueDep, date: IsoDay) -> Response:
    """One day's anomalies as a GeoJSON FeatureCollection; 404 for a day without any."""
    found = anomalies.anomalies_on_date(catalogue=catalogue, date=date)
    return _json(AnomalyCollectionOut(features=[feature_of(a) for a in found]))


@router.get("/{anomaly_id}", response_model=AnomalyFeatureOut)
def get_anomaly(catalogue: CatalogueDep, anomaly_id: Annotated[AnomalyId, Path()]) -> Response:
    """One anomaly as a GeoJSON Feature."""
    return _json(feature_of(catalogue.get(anomaly_id)))
