"""Facts about a point: real 2018 OCO-2 peaks, the spatial index against a linear scan,
land/ocean, seasons, signal vs noise, NOAA backgrounds, and the rules text built from them.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from carbontrack.domain.errors import InvalidInput
from carbontrack.explorer.data import noaa
from carbontrack.explorer.data.geography import bounded_co2_t_per_yr, load_power_plants
from carbontrack.explorer.data.manifest import OCO2_PEAKS_2018_FILES, read_verified
from carbontrack.explorer.domain.anomalies import SOUNDING_NOISE_PPM
from carbontrack.explorer.domain.facts import (
    Fact,
    NoKnownSourceFact,
    PlantFact,
    PlantsNearbyFact,
    SurfaceFact,
    fact_dict,
    fact_dicts,
    season_fact,
    signal_fact,
)
from carbontrack.explorer.domain.geo import Wind
from carbontrack.explorer.domain.rules_reasoning import explain
from carbontrack.explorer.services.facts import (
    PLANT_RADIUS_KM,
    FactFinder,
    facts_data_version,
    get_fact_finder,
    nearest_cities_linear,
    nearest_plant_linear,
    plants_within_linear,
)

WGS84 = Geod(ellps="WGS84")
# A number as a word of its own: "CO2" and "XCO2" are names, not the number 2.
NUMBER = re.compile(r"(?<![A-Za-z0-9.])-?\d+(?:\.\d+)?")


def peak(month: int, sounding_id: str) -> dict[str, str]:
    """One row of the shipped 2018 OCO-2 peaks (Data For Good), by sounding id."""
    text = read_verified(OCO2_PEAKS_2018_FILES[month - 1]).decode("utf-8")
    return next(
        row for row in csv.DictReader(io.StringIO(text)) if row["sounding_id"] == sounding_id
    )


def peak_facts(row: dict[str, str]) -> list[Fact]:
    return get_fact_finder().facts_for(
        float(row["latitude"]),
        float(row["longitude"]),
        date.fromisoformat(row["date"][:10]),
        wind=Wind(float(row["windspeed_u"]), float(row["windspeed_v"])),
        deviation_ppm=float(row["delta"]),
    )


def plant_named(facts: list[Fact], name: str) -> PlantFact:
    return next(f for f in facts if isinstance(f, PlantFact) and f.name == name)


@pytest.fixture(scope="module")
def finder() -> FactFinder:
    return get_fact_finder()


# The 2018-01-19 orbit over the Singrauli coalfield (India): peak 2018011907505103, 1.58 ppm,
# wind u=0.82, v=-3.30 m/s (from the NNW). Sasan UMPP (3,960 MW coal) lies to its north-west.
SASAN_PEAK = ("2018011907505103", 1)


def test_peak_next_to_sasan_names_the_plant_with_distance_bearing_and_upwind() -> None:
    row = peak(SASAN_PEAK[1], SASAN_PEAK[0])
    lat, lon = float(row["latitude"]), float(row["longitude"])
    u, v = float(row["windspeed_u"]), float(row["windspeed_v"])
    facts = peak_facts(row)
    sasan = plant_named(facts, "SASAN UMPP")
    assert (sasan.id, sasan.fuel, sasan.capacity_mw, sasan.country) == (
        "plant:3519",
        "coal",
        3960.0,
        "India",
    )
    # Independently, on the WGS84 ellipsoid (GeographicLib through pyproj), with the plant's
    # coordinates from the WRI file (23.9784 N, 82.6275 E).
    azimuth, back_azimuth, metres = WGS84.inv(lon, lat, 82.6275, 23.9784)
    assert sasan.distance_km == pytest.approx(metres / 1000, rel=0.006, abs=0.05)
    assert sasan.distance_km == pytest.approx(8.8, abs=0.05)
    assert sasan.bearing_deg == pytest.approx(azimuth % 360, abs=1.0)
    assert sasan.direction == "NW"
    # Upwind, independently: the air moves towards atan2(u, v); the plant-to-peak direction
    # is pyproj's back azimuth (the azimuth at the plant towards the peak). The plume heads
    # for the peak when the two are within the 45-degree tolerance.
    wind_towards = math.degrees(math.atan2(u, v)) % 360
    gap = abs((wind_towards - back_azimuth + 180) % 360 - 180)
    assert gap < 45
    assert sasan.upwind is True


def test_same_peak_flags_a_plant_off_the_wind_as_not_upwind() -> None:
    row = peak(SASAN_PEAK[1], SASAN_PEAK[0])
    lat, lon = float(row["latitude"]), float(row["longitude"])
    u, v = float(row["windspeed_u"]), float(row["windspeed_v"])
    rihand = plant_named(peak_facts(row), "RIHAND")  # 3,000 MW coal at 24.027 N, 82.7915 E
    azimuth, back_azimuth, metres = WGS84.inv(lon, lat, 82.7915, 24.027)
    assert rihand.distance_km == pytest.approx(metres / 1000, rel=0.006, abs=0.05)
    assert rihand.bearing_deg == pytest.approx(azimuth % 360, abs=1.0)
    wind_towards = math.degrees(math.atan2(u, v)) % 360
    gap = abs((wind_towards - back_azimuth + 180) % 360 - 180)
    assert gap > 45
    assert rihand.upwind is False


def test_the_same_peak_without_wind_leaves_upwind_unknown(finder: FactFinder) -> None:
    row = peak(SASAN_PEAK[1], SASAN_PEAK[0])
    facts = finder.facts_for(float(row["latitude"]), float(row["longitude"]), date(2018, 1, 19))
    assert plant_named(facts, "SASAN UMPP").upwind is None
    summary = next(f for f in facts if isinstance(f, PlantsNearbyFact))
    assert (summary.count, summary.coal, summary.upwind_count) == (9, 9, None)
    wind = fact_dict(next(f for f in facts if f.id == "wind"))
    assert wind["known"] is False
    text, cited = explain(facts)
    assert "wind here is unknown" in text
    assert "wind" not in cited


def test_rules_text_for_the_sasan_peak_cites_its_facts() -> None:
    facts = peak_facts(peak(SASAN_PEAK[1], SASAN_PEAK[0]))
    text, cited = explain(facts)
    assert "SASAN UMPP" in text
    assert "8.8 km" in text
    assert "upwind" in text
    assert {"plant:3519", "wind", "signal", "season", "surface-co2"} <= set(cited)
    assert set(cited) <= {f.id for f in facts}


def test_remote_ocean_peak_says_no_known_source() -> None:
    # 2018-08-27, South Pacific (37.6 S, 134.3 W), 1.08 ppm: over 4,000 km from any plant.
    row = peak(8, "2018082722473374")
    facts = peak_facts(row)
    assert not any(isinstance(f, PlantFact) for f in facts)
    none_near = next(f for f in facts if isinstance(f, NoKnownSourceFact))
    assert none_near.id == "no-known-source"
    assert none_near.radius_km == PLANT_RADIUS_KM
    assert none_near.nearest_plant_distance_km is not None
    assert none_near.nearest_plant_distance_km > 4000
    surface = next(f for f in facts if isinstance(f, SurfaceFact))
    assert (surface.surface, surface.country) == ("ocean", None)
    text, cited = explain(facts)
    assert text.startswith("No known fossil power plant lies within 100 km")
    assert cited[0] == "no-known-source"


@pytest.mark.parametrize(
    ("lat", "lon", "surface", "country", "iso3"),
    [
        (48.86, 2.35, "land", "France", "FRA"),  # ISO_A3 is -99 in Natural Earth: ADM0_A3 stands in
        (39.74, -104.99, "land", "United States of America", "USA"),
        (-33.8, 150.9, "land", "Australia", "AUS"),
        (66.0, -175.0, "land", "Russia", "RUS"),  # east of the antimeridian
        (0.0, -30.0, "ocean", None, None),  # mid-Atlantic
        # New York lies offshore on the 1:110m map: "coast", not "ocean".
        (40.7, -74.0, "coast", "United States of America", "USA"),
        (41.0, 29.0, "coast", "Turkey", "TUR"),  # Istanbul, on the Bosporus
    ],
)
def test_land_coast_ocean_and_country(
    finder: FactFinder, lat: float, lon: float, surface: str, country: str | None, iso3: str | None
) -> None:
    facts = finder.facts_for(lat, lon, date(2018, 6, 1))
    fact = next(f for f in facts if isinstance(f, SurfaceFact))
    assert (fact.surface, fact.country, fact.country_iso3) == (surface, country, iso3)
    if surface == "coast":
        assert finder.country_at(lat, lon) is None
        assert f"near the coast of {country}" in explain(facts)[0]


@pytest.mark.parametrize(
    ("lat", "month", "hemisphere", "season", "growing", "tropics"),
    [
        (45.0, 1, "northern", "winter", False, False),
        (45.0, 7, "northern", "summer", True, False),
        (45.0, 4, "northern", "spring", False, False),
        (-33.0, 1, "southern", "summer", True, False),
        (-33.0, 7, "southern", "winter", False, False),
        (-33.0, 10, "southern", "spring", False, False),
        (10.0, 10, "northern", "autumn", False, True),
    ],
)
def test_season_by_hemisphere(
    lat: float, month: int, hemisphere: str, season: str, growing: bool, tropics: bool
) -> None:
    fact = season_fact(lat, date(2018, month, 15))
    assert (fact.hemisphere, fact.season, fact.growing_season, fact.tropics) == (
        hemisphere,
        season,
        growing,
        tropics,
    )
    assert ("draws CO2 down" in fact.note) is growing


@pytest.mark.parametrize(
    ("deviation", "level", "direction"),
    [
        (0.5, "within_noise", "enhancement"),
        (1.58, "above_noise", "enhancement"),
        (3.5, "well_above_noise", "enhancement"),
        (-2.0, "above_noise", "deficit"),
        (None, "unknown", None),
    ],
)
def test_signal_is_scored_on_the_pipelines_noise_of_record(
    deviation: float | None, level: str, direction: str | None
) -> None:
    fact = signal_fact(deviation, 410.123, background="same_day")
    # The z-score is the deviation over the one noise figure, rounded as the pipeline rounds it.
    z = None if deviation is None else round(deviation / SOUNDING_NOISE_PPM, 2)
    assert (fact.level, fact.zscore, fact.direction) == (level, z, direction)
    assert (fact.noise_ppm, fact.xco2_ppm) == (SOUNDING_NOISE_PPM, 410.12)
    assert fact.background == "same_day"


def test_background_uses_the_global_trend_when_it_covers_the_date() -> None:
    background = noaa.background_for(date(2018, 1, 19))
    assert background is not None
    # noaa_gml_co2_trend_gl_2010_2020.txt: "2018 1 19 407.75 406.42"
    assert (background.ppm, background.trend_ppm) == (407.75, 406.42)
    assert (background.series, background.period) == (noaa.GLOBAL_TREND, "2018-01-19")
    last_day = noaa.background_for(date(2020, 5, 7))
    assert last_day is not None
    assert last_day.series == noaa.GLOBAL_TREND


def test_background_falls_back_to_mauna_loa_monthly() -> None:
    background = noaa.background_for(date(2021, 6, 15))
    assert background is not None
    # noaa_gml_co2_mm_mlo.txt: "2021 6 2021.4583 418.93 416.48 29 0.65 0.23"
    assert (background.ppm, background.trend_ppm) == (418.93, 416.48)
    assert (background.series, background.period) == (noaa.MAUNA_LOA_MONTHLY, "2021-06")
    after_global = noaa.background_for(date(2020, 5, 8))
    assert after_global is not None
    assert after_global.series == noaa.MAUNA_LOA_MONTHLY
    assert noaa.background_for(date(1950, 1, 1)) is None


def test_mauna_loa_daily_values() -> None:
    assert noaa.mauna_loa_daily(date(2018, 1, 19)) == 408.62
    assert noaa.mauna_loa_daily(date(2018, 1, 9)) is None  # no measurement that day


def test_surface_co2_fact_outside_every_record_is_unknown(finder: FactFinder) -> None:
    facts = finder.facts_for(10.0, 10.0, date(1950, 1, 1))
    surface_co2 = fact_dict(next(f for f in facts if f.id == "surface-co2"))
    assert (surface_co2["known"], surface_co2["ppm"], surface_co2["source"]) == (False, None, None)
    assert surface_co2["kind"] == "surface_co2"
    assert "not the background the deviation is measured against" in str(surface_co2["note"])


def test_impossible_co2_estimates_are_bounded_by_capacity() -> None:
    # The WRI/Data For Good file lists A.E.S. Corp. (454.3 MW, Puerto Rico) at 473 Mt/yr.
    aes = next(p for p in load_power_plants() if p.plant_id == "5578")
    assert aes.co2_capped is True
    assert aes.co2_t_per_yr == pytest.approx(454.3 * 8760)
    assert bounded_co2_t_per_yr(1000.0, 1.0) == (1000.0, False)
    assert bounded_co2_t_per_yr(None, 1.0) == (None, False)
    assert all(
        p.co2_t_per_yr is None or p.co2_t_per_yr <= p.capacity_mw * 8760
        for p in load_power_plants()
    )


def test_fact_dicts_are_json_with_id_and_kind_first(finder: FactFinder) -> None:
    facts = finder.facts_for(51.27, 19.33, date(2019, 3, 1), wind=Wind(2.0, 1.0))
    dicts = fact_dicts(facts)
    json.dumps(dicts)
    assert all(list(d)[:2] == ["id", "kind"] for d in dicts)
    ids = [d["id"] for d in dicts]
    assert len(ids) == len(set(ids))
    plant = next(d for d in dicts if d["kind"] == "power_plant")
    assert set(plant) == {
        "id", "kind", "name", "country", "fuel", "capacityMw", "lat", "lon", "distanceKm",
        "bearingDeg", "direction", "upwind", "co2MtPerYr", "co2Capped", "source",
    }  # fmt: skip
    assert {"surface", "season", "signal", "surface-co2", "wind", "plants-nearby"} <= set(ids)
    assert sum(d["kind"] == "city" for d in dicts) == 3


def test_co2_has_three_significant_figures_so_no_plant_reads_zero() -> None:
    # Near Jiaozuo (2018-10-10): Huaneng Qinbei is listed at 19,894,... t/yr in the WRI file.
    facts = peak_facts(peak(10, "2018101005263071"))
    plants = [f for f in facts if isinstance(f, PlantFact)]
    qinbei = plant_named(facts, "Huaneng Qinbei power station")
    raw = next(p for p in load_power_plants() if p.plant_id == qinbei.id.removeprefix("plant:"))
    assert raw.co2_t_per_yr is not None
    assert qinbei.co2_mt_per_yr == float(f"{raw.co2_t_per_yr / 1e6:.3g}") == 19.9
    assert all(p.co2_mt_per_yr for p in plants)  # none rounds to 0
    text, _ = explain(facts)
    assert not re.search(r"(?<![\d.])0 Mt", text)


@pytest.mark.parametrize(("lat", "lon"), [(91.0, 0.0), (0.0, 181.0), (math.nan, 0.0)])
def test_bad_points_are_refused(finder: FactFinder, lat: float, lon: float) -> None:
    with pytest.raises(InvalidInput):
        finder.facts_for(lat, lon, date(2018, 1, 1))


def test_non_finite_numbers_are_refused(finder: FactFinder) -> None:
    with pytest.raises(InvalidInput):
        finder.facts_for(0.0, 0.0, date(2018, 1, 1), deviation_ppm=math.nan)
    with pytest.raises(InvalidInput):
        finder.facts_for(0.0, 0.0, date(2018, 1, 1), wind=Wind(math.inf, 0.0))


def test_data_version_is_a_stable_short_hash() -> None:
    assert facts_data_version() == facts_data_version()
    assert re.fullmatch(r"[0-9a-f]{16}", facts_data_version())


# Points: anywhere on Earth, and near plants (where the index has work to do).
anywhere = st.tuples(
    st.floats(min_value=-90.0, max_value=90.0), st.floats(min_value=-180.0, max_value=180.0)
)
near_a_plant = st.builds(
    lambda plant, dlat, dlon: (
        max(-90.0, min(90.0, plant.lat + dlat)),
        max(-180.0, min(180.0, plant.lon + dlon)),
    ),
    st.sampled_from(load_power_plants()),
    st.floats(min_value=-1.5, max_value=1.5),
    st.floats(min_value=-1.5, max_value=1.5),
)
points = st.one_of(anywhere, near_a_plant)


@settings(max_examples=150, deadline=None)
@given(point=points, radius_km=st.sampled_from([PLANT_RADIUS_KM, 1.0, 25.0, 400.0]))
def test_index_answers_as_the_linear_scan(
    finder: FactFinder, point: tuple[float, float], radius_km: float
) -> None:
    lat, lon = point
    assert finder.plants_within(lat, lon, radius_km) == plants_within_linear(
        finder.plants, lat, lon, radius_km
    )
    assert finder.nearest_plant(lat, lon) == nearest_plant_linear(finder.plants, lat, lon)
    assert finder.nearest_cities(lat, lon) == nearest_cities_linear(finder.cities, lat, lon)


@settings(max_examples=60, deadline=None)
@given(
    point=points,
    day=st.dates(min_value=date(2010, 1, 1), max_value=date(2026, 1, 31)),
    wind=st.none() | st.builds(Wind, st.floats(-15, 15), st.floats(-15, 15)),
    deviation=st.none() | st.floats(-8, 8),
)
def test_every_number_and_id_in_the_rules_text_comes_from_the_facts(
    finder: FactFinder,
    point: tuple[float, float],
    day: date,
    wind: Wind | None,
    deviation: float | None,
) -> None:
    facts = finder.facts_for(*point, day, wind=wind, deviation_ppm=deviation)
    text, cited = explain(facts)
    known = {float(n) for n in NUMBER.findall(json.dumps(fact_dicts(facts)))}
    assert {float(n) for n in NUMBER.findall(text)} <= known
    assert cited
    assert set(cited) <= {f.id for f in facts}
