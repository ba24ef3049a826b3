"""The anomaly pipeline: the Los Angeles enhancement it measures, its rules, and its product."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date, timedelta
from statistics import mean, median

import pytest
from pyproj import Geod

from carbontrack.explorer.data import oco2
from carbontrack.explorer.data.manifest import (
    OCO2_ANOMALIES_FILE,
    OCO2_CALIFORNIA_FILE,
    read_verified,
)
from carbontrack.explorer.domain import anomalies as pipeline
from carbontrack.explorer.domain.anomalies import (
    LOS_ANGELES_BASIN,
    SOUNDING_NOISE_PPM,
    URBAN_AREAS,
    Background,
    Cell,
    Peak,
    Sounding,
)
from carbontrack.explorer.domain.geo import Wind
from carbontrack.explorer.services.anomalies import Product, build_product, decode

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


def _target_mode_days(
    soundings: list[Sounding], backgrounds: dict[date, Background]
) -> dict[date, float]:
    """Each target-mode day's median deviation of the basin's soundings from its background."""
    per_day: dict[date, list[float]] = defaultdict(list)
    for s, deviation in pipeline.deviations(soundings, backgrounds):
        if _in_la(s):
            per_day[s.day].append(deviation)
    return {d: median(v) for d, v in per_day.items() if len(v) >= TARGET_MODE_MIN_SOUNDINGS}


def _within_kort(enhancement_ppm: float) -> bool:
    return abs(enhancement_ppm - KORT_2012_LA_PPM) <= KORT_2012_UNCERTAINTY_PPM


def test_los_angeles_enhancement_with_the_same_day_background_matches_kort_2012(
    soundings: list[Sounding],
) -> None:
    backgrounds = pipeline.regional_backgrounds(soundings)
    per_day = _target_mode_days(soundings, backgrounds)
    assert len(per_day) >= 25  # 2014-2020: a sample, not one lucky day
    assert set(LA_TARGET_DAYS) <= set(per_day)
    same_day = [d for d in per_day if backgrounds[d].method == "same_day"]
    assert len(same_day) >= 10  # the days whose orbit has soundings outside the dome
    enhancement = mean(per_day.values())
    assert _within_kort(enhancement), enhancement
    assert _within_kort(mean(per_day[d] for d in same_day)), same_day


def test_los_angeles_enhancement_with_borrowed_backgrounds_for_comparison(
    soundings: list[Sounding],
) -> None:
    # The rule before issue 16: the day's own soundings only when there are 20 of them.
    borrowed = pipeline.regional_backgrounds(
        soundings, min_same_day=pipeline.BACKGROUND_MIN_SOUNDINGS
    )
    per_day = _target_mode_days(soundings, borrowed)
    assert len(per_day) >= 25
    assert {borrowed[d].method for d in per_day} == {"nearby_days"}  # every one borrows
    assert min(borrowed[d].window_days for d in per_day) >= 2
    assert _within_kort(mean(per_day.values()))
    ours = pipeline.regional_backgrounds(soundings)
    assert _target_mode_days(soundings, ours).keys() == per_day.keys()  # both figures, same days


def _raw_rows() -> list[tuple[date, float, float, float]]:
    text = read_verified(OCO2_CALIFORNIA_FILE).decode("utf-8")
    return [
        (
            date(int(row["Year"]), int(row["Month"]), int(row["Day"])),
            float(row["Latitude"]),
            float(row["Longitude"]),
            float(row["Xco2"]),
        )
        for row in csv.DictReader(io.StringIO(text))
    ]


def test_each_target_mode_day_uses_the_same_days_soundings_outside_the_dome(
    soundings: list[Sounding],
) -> None:
    # From the raw CSV: a sounding is outside the dome when it lies outside every urban box
    # grown by the buffer; a day with enough of them has their median as its background.
    buffer = pipeline.URBAN_BUFFER_DEG
    by_day: dict[date, list[tuple[float, float, float]]] = defaultdict(list)
    for day, lat, lon, xco2 in _raw_rows():
        by_day[day].append((lat, lon, xco2))
    backgrounds = pipeline.regional_backgrounds(soundings)
    la = LOS_ANGELES_BASIN
    centre = ((la.west + la.east) / 2, (la.south + la.north) / 2)
    geod = Geod(ellps="WGS84")
    same_day = 0
    for day, rows in by_day.items():
        in_basin = [r for r in rows if la.south <= r[0] <= la.north and la.west <= r[1] <= la.east]
        if len(in_basin) < TARGET_MODE_MIN_SOUNDINGS:
            continue
        outside = [
            (lat, lon, xco2)
            for lat, lon, xco2 in rows
            if not any(
                a.south - buffer <= lat <= a.north + buffer
                and a.west - buffer <= lon <= a.east + buffer
                for a in URBAN_AREAS
            )
        ]
        if len(outside) < pipeline.BACKGROUND_MIN_SAME_DAY_SOUNDINGS:
            assert backgrounds[day].method == "nearby_days", day
            continue
        same_day += 1
        expected = Background(day, median(x for _, _, x in outside), 0, len(outside))
        assert backgrounds[day] == expected
        # The same orbit north of the basin: farther than the buffer, within 1,000 km.
        _, _, metres = geod.inv(
            [centre[0]] * len(outside), [centre[1]] * len(outside),
            [lon for _, lon, _ in outside], [lat for lat, _, _ in outside],
        )  # fmt: skip
        assert all(100_000 <= m <= 1_000_000 for m in metres), (day, min(metres), max(metres))
    assert same_day >= 10


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


def test_a_day_with_enough_soundings_outside_the_cities_is_its_own_background() -> None:
    day = date(2018, 6, 26)
    city = [_sounding(day, 420.0, lat=34.1, lon=-118.1) for _ in range(50)]
    near_city = [_sounding(day, 415.0, lat=34.6, lon=-118.1) for _ in range(5)]  # in the buffer
    north = [_sounding(day, 400.0 + i, lat=40.0) for i in range(5)]
    other_days = [_sounding(day + timedelta(days=1), 390.0) for _ in range(30)]
    found = pipeline.regional_backgrounds(city + near_city + north + other_days, days=[day])
    assert found[day] == pipeline.Background(day, 402.0, window_days=0, soundings=5)
    assert found[day].method == "same_day"
    fewer = pipeline.regional_backgrounds(city + near_city + north[:4] + other_days, days=[day])
    assert (fewer[day].method, fewer[day].window_days) == ("nearby_days", 1)


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
    backgrounds = {day: Background(day, 400.0, window_days=3, soundings=25)}
    found = pipeline.cell_anomalies(cells, backgrounds=backgrounds, noise_ppm=1.0, citation="c")
    assert [(a.id, a.deviation_ppm, a.zscore, a.severity) for a in found] == [
        ("ct-20190731-34.10N-118.10W", 5.56, 5.56, "high")
    ]
    assert (found[0].lat, found[0].lon, found[0].xco2) == (34.12, -118.08, 405.56)
    assert (found[0].wind, found[0].source, found[0].background) == (
        None,
        "carbontrack",
        "nearby_days",
    )


def test_a_peak_keeps_its_wind_and_is_scored_on_the_same_spread() -> None:
    peak = Peak(
        "2018010106102532", date(2018, 1, 1), -26.46438, 113.45923, 2.6712, Wind(1.8117, 11.6759)
    )
    found = pipeline.peak_anomaly(peak, noise_ppm=0.89, citation="c")
    assert (found.id, found.lat, found.lon, found.xco2) == (
        "oco2peak-2018010106102532",
        -26.4644,
        113.4592,
        None,
    )
    assert (found.deviation_ppm, found.zscore, found.severity) == (2.67, 3.0, "medium")
    assert (found.wind, found.background) == (Wind(1.81, 11.68), "along_track_fit")


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


def test_the_noise_of_record_is_the_spread_the_build_measures(product: Product) -> None:
    # One noise figure: the robust spread of all cells' deviations, re-measured on every build.
    assert round(product.spread_ppm, 2) == SOUNDING_NOISE_PPM
    assert pipeline.zscore(SOUNDING_NOISE_PPM) == 1.0


def test_every_zscore_is_the_deviation_over_the_noise_of_record(product: Product) -> None:
    for a in product.anomalies:
        assert a.zscore == round(a.deviation_ppm / SOUNDING_NOISE_PPM, 2), a.id
    assert {a.background for a in product.anomalies if a.source == "oco2peak"} == {
        "along_track_fit"
    }
    assert {a.background for a in product.anomalies if a.source == "carbontrack"} == {
        "same_day",
        "nearby_days",
    }
