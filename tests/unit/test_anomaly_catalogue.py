"""AnomalyCatalogue over a small product: dates, days, ids, the nearest anomaly, lazy loading."""

from __future__ import annotations

from datetime import date

import pytest

from carbontrack.domain.errors import InvalidInput, NotFound
from carbontrack.explorer.domain.anomalies import Anomaly
from carbontrack.explorer.domain.geo import Wind
from carbontrack.explorer.services.anomalies import (
    MAX_RANGE_DAYS,
    SOURCES,
    AnomalyCatalogue,
    anomalies_on_date,
    default_catalogue,
    encode,
)


def anomaly(*, id: str, day: date, lat: float, lon: float, wind: Wind | None = None) -> Anomaly:
    source = "oco2peak" if wind else "carbontrack"
    return Anomaly(
        id=id,
        date=day,
        lat=lat,
        lon=lon,
        xco2=None if wind else 405.1,
        deviation_ppm=2.5,
        zscore=2.81,
        severity="low",
        wind=wind,
        source=source,
        citation=SOURCES[source]["citation"],
        background="along_track_fit" if wind else "same_day",
    )


JAN_1, JAN_3, FEB_1 = date(2018, 1, 1), date(2018, 1, 3), date(2018, 2, 1)
ANOMALIES = (
    anomaly(id="a", day=JAN_1, lat=34.0, lon=-118.0),
    anomaly(id="b", day=JAN_1, lat=34.5, lon=-118.0, wind=Wind(1.5, -2.0)),
    anomaly(id="c", day=JAN_3, lat=-26.46, lon=113.46, wind=Wind(0.0, 0.1)),
    anomaly(id="d", day=FEB_1, lat=0.0, lon=0.0),
)


class CountingLoader:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> bytes:
        self.calls += 1
        return encode(ANOMALIES, method={})


@pytest.fixture
def loader() -> CountingLoader:
    return CountingLoader()


@pytest.fixture
def catalogue(loader: CountingLoader) -> AnomalyCatalogue:
    return AnomalyCatalogue(loader)


def test_reads_the_product_once_and_only_when_asked(
    catalogue: AnomalyCatalogue, loader: CountingLoader
) -> None:
    assert loader.calls == 0
    assert catalogue.get("b") == ANOMALIES[1]
    assert catalogue.on_date(JAN_1) == ANOMALIES[:2]
    assert loader.calls == 1


def test_dates_counts_each_day_in_an_inclusive_range(catalogue: AnomalyCatalogue) -> None:
    assert catalogue.dates(JAN_1, FEB_1) == [(JAN_1, 2), (JAN_3, 1), (FEB_1, 1)]
    assert catalogue.dates(date(2018, 1, 2), JAN_3) == [(JAN_3, 1)]
    assert catalogue.dates(date(2019, 1, 1), date(2019, 1, 31)) == []
    assert catalogue.extent == (JAN_1, FEB_1)


def test_the_busiest_recent_day_has_most_anomalies_in_the_window_ties_the_later(
    catalogue: AnomalyCatalogue,
) -> None:
    assert catalogue.busiest_recent_day() == JAN_1  # 2 anomalies; the window reaches it
    assert catalogue.busiest_recent_day(32) == JAN_1  # 1 January to 1 February, inclusive
    assert catalogue.busiest_recent_day(31) == FEB_1  # 3 January and 1 February: 1 each
    assert catalogue.busiest_recent_day(1) == FEB_1


def test_dates_refuses_a_reversed_or_too_long_range(catalogue: AnomalyCatalogue) -> None:
    with pytest.raises(InvalidInput, match="after") as reversed_range:
        catalogue.dates(FEB_1, JAN_1)
    assert reversed_range.value.field == "from"
    start = date(2017, 1, 1)
    assert catalogue.dates(start, date.fromordinal(start.toordinal() + MAX_RANGE_DAYS - 1))
    with pytest.raises(InvalidInput, match="at most 400 days"):
        catalogue.dates(start, date.fromordinal(start.toordinal() + MAX_RANGE_DAYS))


def test_unknown_ids_and_empty_days(catalogue: AnomalyCatalogue) -> None:
    with pytest.raises(NotFound, match="no anomaly 'zz'"):
        catalogue.get("zz")
    assert catalogue.on_date(date(2018, 1, 2)) == ()
    with pytest.raises(NotFound, match="no anomalies on 2018-01-02; data runs from 2018-01-01"):
        anomalies_on_date(catalogue=catalogue, date=date(2018, 1, 2))
    assert anomalies_on_date(catalogue=catalogue, date=JAN_3) == (ANOMALIES[2],)


def test_find_near_takes_the_nearest_anomaly_of_the_day_within_reach(
    catalogue: AnomalyCatalogue,
) -> None:
    # 34.3 N is 33 km from "a" (34.0 N) and 22 km from "b" (34.5 N), one degree being 111.2 km.
    assert catalogue.find_near(34.3, -118.0, JAN_1, 50) == ANOMALIES[1]
    assert catalogue.find_near(34.3, -118.0, JAN_1, 20) is None
    assert catalogue.find_near(34.05, -118.0, JAN_1, 10) == ANOMALIES[0]
    assert catalogue.find_near(34.0, -118.0, JAN_3, 100) is None
    assert catalogue.find_near(34.0, -118.0, date(2018, 1, 2), 1000) is None
    near = catalogue.find_near(-26.4, 113.5, JAN_3, 20)
    assert near is not None
    assert near.wind == Wind(0.0, 0.1)


def test_the_data_version_is_the_product_checksum(catalogue: AnomalyCatalogue) -> None:
    other = AnomalyCatalogue(lambda: encode(ANOMALIES[:1], method={}))
    assert len(catalogue.data_version) == 64
    assert catalogue.data_version != other.data_version


def test_the_packaged_catalogue_has_the_2018_peaks_and_los_angeles() -> None:
    packaged = default_catalogue()
    assert packaged is default_catalogue()
    peak = packaged.get("oco2peak-2018010106102532")
    assert (peak.date, peak.source, peak.deviation_ppm) == (JAN_1, "oco2peak", 1.72)
    assert peak.wind == Wind(1.81, 11.68)
    assert sum(n for _, n in packaged.dates(date(2018, 1, 1), date(2018, 12, 31))) >= 1388
    la = packaged.find_near(34.05, -118.25, date(2015, 1, 2), 30)
    assert la is not None
    assert la.source == "carbontrack"
    assert la.deviation_ppm > 1.7
