"""The anomaly pipeline: the Los Angeles enhancement it measures, its rules, and its product."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from statistics import mean, median

import pytest

from carbontrack.datasets import oco2
from carbontrack.datasets.manifest import OCO2_ANOMALIES_FILE, read_verified
from carbontrack.domain import anomalies as pipeline
from carbontrack.domain.anomalies import LOS_ANGELES_BASIN, Cell, Peak, Sounding
from carbontrack.domain.geo import Wind
from carbontrack.services.anomalies import Product, build_product, decode

# Kort, Frankenberg, Miller and Oda (2012), Space-based observations of megacity carbon dioxide,
# GRL 39, L17806: XCO2 over the Los Angeles basin exceeds the nearby background by 3.2 +/- 1.5 ppm.
KORT_2012_LA_PPM, KORT_2012_UNCERTAINTY_PPM = 3.2, 1.5
# OCO-2 targets the Caltech TCCON site in Pasadena on target-mode days: dozens of soundings a
# day in the basin, against a handful when a regular track crosses it.
TARGET_MODE_MIN_SOUNDINGS = 30
LA_TARGET_DAYS = (date(2015, 1, 2), date(2016, 9, 1))


@pytest.fixture(scope="module")
def soundings() -> list[Sounding]:
    return oco2.load_california_soundings()


@pytest.fixture(scope="module")
def product() -> Product:
    return build_product()


def _in_la(s: Sounding) -> bool:
    return LOS_ANGELES_BASIN.contains(s.lat, s.lon)


def test_los_angeles_enhancement_matches_kort_2012(soundings: list[Sounding]) -> None:
    backgrounds = pipeline.regional_backgrounds(soundings)
    per_day: dict[date, list[float]] = defaultdict(list)
    for s, deviation in pipeline.deviations(soundings, backgrounds):
        if _in_la(s):
            per_day[s.day].append(deviation)
    target_days = {d: v for d, v in per_day.items() if len(v) >= TARGET_MODE_MIN_SOUNDINGS}
    assert len(target_days) >= 25  # 2014-2020: a sample, not one lucky day
    assert set(LA_TARGET_DAYS) <= set(target_days)
    enhancement = mean(median(v) for v in target_days.values())
    assert abs(enhancement - KORT_2012_LA_PPM) <= KORT_2012_UNCERTAINTY_PPM, enhancement


def test_a_daily_median_background_hides_los_angeles_on_target_mode_days(
    soundings: list[Sounding],
) -> None:
    dense = oco2.load_california_dense_sample()
    ours = pipeline.regional_backgrounds(soundings, days=LA_TARGET_DAYS)
    for day in LA_TARGET_DAYS:
        today = [s for s in dense if s.day == day]
        city = median(s.xco2_ppm for s in today if _in_la(s))
        naive = city - median(s.xco2_ppm for s in today)
        assert abs(naive) < 0.5, (day, naive)  # the city is its own background
        enhancement = city - ours[day].xco2_ppm
        assert abs(enhancement - KORT_2012_LA_PPM) <= KORT_2012_UNCERTAINTY_PPM, (day, enhancement)


def _sounding(day: date, xco2_ppm: float, *, lat: float = 36.0, lon: float = -120.0) -> Sounding:
    return Sounding(day=day, lat=lat, lon=lon, xco2_ppm=xco2_ppm)


def test_the_background_ignores_urban_soundings_and_widens_to_nearby_days() -> None:
    day = date(2016, 9, 1)
    city = [_sounding(day, 420.0, lat=34.1, lon=-118.1) for _ in range(50)]
    before = [_sounding(day - timedelta(days=3), 400.0) for _ in range(2)]
    after = [_sounding(day + timedelta(days=3), 402.0) for _ in range(2)]
    found = pipeline.regional_backgrounds(city + before + after, days=[day], min_soundings=4)
    assert found[day] == pipeline.Background(day, 401.0, window_days=3, soundings=4)
    too_few = pipeline.regional_backgrounds(city + before, days=[day], min_soundings=4)
    assert day not in too_few


def test_grid_pools_a_day_per_cell_with_medians() -> None:
    day = date(2018, 6, 3)
    deviated = [
        (_sounding(day, 410.0, lat=34.2, lon=-118.1), 3.0),  # 34.2 opens the cell 34.2-34.4
        (_sounding(day, 411.0, lat=34.39, lon=-118.19), 4.0),
        (_sounding(day, 400.0, lat=34.19, lon=-118.1), -1.0),
        (_sounding(day + timedelta(days=1), 409.0, lat=34.3, lon=-118.1), 2.0),
    ]
    cells = pipeline.grid(deviated, cell_deg=0.2)
    assert [(c.day, c.centre_lat, c.centre_lon, c.soundings) for c in cells] == [
        (day, 34.1, -118.1, 1),
        (day, 34.3, -118.1, 2),
        (day + timedelta(days=1), 34.3, -118.1, 1),
    ]
    pooled = cells[1]
    assert (pooled.lat, pooled.lon) == (34.295, -118.145)
    assert (pooled.xco2_ppm, pooled.deviation_ppm) == (410.5, 3.5)
    assert (cells[0].xco2_ppm, cells[0].deviation_ppm) == (400.0, -1.0)


def _cell(day: date, soundings: int, deviation_ppm: float) -> Cell:
    return Cell(
        day=day,
        centre_lat=34.1,
        centre_lon=-118.1,
        lat=34.12,
        lon=-118.08,
        soundings=soundings,
        xco2_ppm=400 + deviation_ppm,
        deviation_ppm=deviation_ppm,
    )


def test_robust_spread_is_the_scaled_mad_and_ignores_an_outlier() -> None:
    assert pipeline.robust_spread([-1.0, 0.0, 1.0]) == pytest.approx(1.4826)
    assert pipeline.robust_spread([-1.0, 0.0, 1.0, 0.0, 50.0]) == pytest.approx(1.4826)
    with pytest.raises(ValueError, match="no values"):
        pipeline.robust_spread([])


@pytest.mark.parametrize(
    ("z", "level"),
    [(-1.0, "low"), (2.99, "low"), (3.0, "medium"), (3.99, "medium"), (4.0, "high")],
)
def test_severity_thresholds(z: float, level: str) -> None:
    assert pipeline.severity(z) == level


def test_cells_become_anomalies_from_z_2_with_two_soundings() -> None:
    day = date(2019, 7, 31)
    cells = [_cell(day, 12, 5.556), _cell(day, 2, 1.99), _cell(day, 1, 6.0)]
    found = pipeline.cell_anomalies(cells, spread_ppm=1.0, citation="c")
    assert [(a.id, a.deviation_ppm, a.zscore, a.severity) for a in found] == [
        ("ct-20190731-34.10N-118.10W", 5.56, 5.56, "high")
    ]
    assert (found[0].lat, found[0].lon, found[0].xco2) == (34.12, -118.08, 405.56)
    assert (found[0].wind, found[0].source) == (None, "carbontrack")


def test_a_peak_keeps_its_wind_and_is_scored_on_the_same_spread() -> None:
    peak = Peak(
        "2018010106102532", date(2018, 1, 1), -26.46438, 113.45923, 2.6712, Wind(1.8117, 11.6759)
    )
    found = pipeline.peak_anomaly(peak, spread_ppm=0.89, citation="c")
    assert (found.id, found.lat, found.lon, found.xco2) == (
        "oco2peak-2018010106102532",
        -26.4644,
        113.4592,
        None,
    )
    assert (found.deviation_ppm, found.zscore, found.severity) == (2.67, 3.0, "medium")
    assert found.wind == Wind(1.81, 11.68)


def test_the_committed_product_is_exactly_what_the_build_makes(product: Product) -> None:
    # read_verified also holds the file to the manifest's checksum.
    assert product.data == read_verified(OCO2_ANOMALIES_FILE)
    assert build_product().data == product.data


def test_the_product_reads_back_as_built(product: Product) -> None:
    assert decode(product.data) == product.anomalies


def test_the_product_holds_every_2018_peak_and_our_california_anomalies(product: Product) -> None:
    by_source: dict[str, list[pipeline.Anomaly]] = defaultdict(list)
    for a in product.anomalies:
        by_source[a.source].append(a)
    assert len(by_source["oco2peak"]) == 1388
    assert {a.date.year for a in by_source["oco2peak"]} == {2018}
    ours = by_source["carbontrack"]
    assert ours
    assert all(32 <= a.lat <= 42 and -125.4 <= a.lon <= -118 for a in ours)
    assert all(date(2014, 9, 1) <= a.date <= date(2020, 12, 31) for a in ours)
    assert all(a.zscore >= pipeline.MIN_ZSCORE for a in ours)
    assert len({a.id for a in product.anomalies}) == len(product.anomalies)
    # The measured single-sounding spread is the ~1 ppm noise reported for OCO-2 over land.
    assert 0.6 <= product.spread_ppm <= 1.2
