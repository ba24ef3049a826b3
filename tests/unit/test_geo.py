"""Spherical geometry: distances and bearings against known values and WGS84, wind, upwind."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod

from carbontrack.explorer.domain.geo import (
    EARTH_RADIUS_KM,
    UPWIND_TOLERANCE_DEG,
    Wind,
    angle_between_deg,
    chord_for_km,
    compass_point,
    great_circle_km,
    initial_bearing_deg,
    is_upwind,
    unit_vector,
    wind_from_deg,
)

WGS84 = Geod(ellps="WGS84")
LONDON = (51.5074, -0.1278)
PARIS = (48.8566, 2.3522)
# A sphere misses the ellipsoid by at most ~0.56 % in distance (flattening 1/298).
SPHERE_DISTANCE_TOLERANCE = 0.006

lats = st.floats(min_value=-89.0, max_value=89.0)
lons = st.floats(min_value=-180.0, max_value=180.0)


def wgs84(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float]:
    """Distance (km) and forward azimuth (deg, [0, 360)) on the WGS84 ellipsoid."""
    azimuth, _, metres = WGS84.inv(lon1, lat1, lon2, lat2)
    return metres / 1000, azimuth % 360


def test_london_paris_distance_is_the_textbook_343_5_km() -> None:
    assert great_circle_km(*LONDON, *PARIS) == pytest.approx(343.5, abs=0.1)
    ellipsoid_km, _ = wgs84(*LONDON, *PARIS)
    assert great_circle_km(*LONDON, *PARIS) == pytest.approx(ellipsoid_km, rel=0.002)


def test_london_paris_bearing_is_south_east() -> None:
    _, azimuth = wgs84(*LONDON, *PARIS)
    assert initial_bearing_deg(*LONDON, *PARIS) == pytest.approx(148.1, abs=0.1)
    assert initial_bearing_deg(*LONDON, *PARIS) == pytest.approx(azimuth, abs=0.2)


def test_quarter_of_the_equator_and_pole_to_pole() -> None:
    assert great_circle_km(0, 0, 0, 90) == pytest.approx(math.pi / 2 * EARTH_RADIUS_KM)
    assert great_circle_km(90, 0, -90, 0) == pytest.approx(math.pi * EARTH_RADIUS_KM)
    assert great_circle_km(0, 179.5, 0, -179.5) == pytest.approx(111.2, abs=0.1)


@pytest.mark.parametrize(
    ("start", "to", "expected"),
    [
        ((0, 0), (0, 10), 90.0),
        ((0, 0), (10, 0), 0.0),
        ((0, 0), (0, -10), 270.0),
        ((0, 0), (-10, 0), 180.0),
        ((0, 179), (0, -179), 90.0),  # eastwards across the antimeridian
    ],
)
def test_bearings_along_axes(
    start: tuple[float, float], to: tuple[float, float], expected: float
) -> None:
    assert initial_bearing_deg(*start, *to) == pytest.approx(expected, abs=1e-9)


@settings(deadline=None)
@given(lats, lons, lats, lons)
def test_distance_and_bearing_agree_with_wgs84(
    lat1: float, lon1: float, lat2: float, lon2: float
) -> None:
    ellipsoid_km, azimuth = wgs84(lat1, lon1, lat2, lon2)
    distance = great_circle_km(lat1, lon1, lat2, lon2)
    assert distance == pytest.approx(ellipsoid_km, rel=SPHERE_DISTANCE_TOLERANCE, abs=1e-6)
    assert great_circle_km(lat2, lon2, lat1, lon1) == pytest.approx(distance)
    # Bearings are compared where they are well defined: short of the antipode, away from poles.
    if 1.0 < distance < 15_000 and abs(lat1) < 80 and abs(lat2) < 80:
        assert angle_between_deg(initial_bearing_deg(lat1, lon1, lat2, lon2), azimuth) < 1.0


@settings(deadline=None)
@given(lats, lons, lats, lons)
def test_chord_of_the_arc_is_the_chord_between_unit_vectors(
    lat1: float, lon1: float, lat2: float, lon2: float
) -> None:
    a, b = unit_vector(lat1, lon1), unit_vector(lat2, lon2)
    assert math.dist(a, b) == pytest.approx(
        chord_for_km(great_circle_km(lat1, lon1, lat2, lon2)), abs=1e-9
    )


@pytest.mark.parametrize(
    ("u", "v", "from_deg"),
    [
        (0.0, -5.0, 0.0),  # blowing towards the south: a north wind
        (5.0, 0.0, 270.0),  # blowing towards the east: a west wind
        (-3.0, -3.0, 45.0),  # towards the south-west: from the north-east
        (0.0, 5.0, 180.0),
    ],
)
def test_wind_direction_is_where_it_comes_from(u: float, v: float, from_deg: float) -> None:
    assert wind_from_deg(u, v) == pytest.approx(from_deg)
    assert Wind(u, v).from_deg == pytest.approx(from_deg)
    assert Wind(u, v).speed_mps == pytest.approx(math.hypot(u, v))


def test_calm_wind_has_no_direction() -> None:
    assert wind_from_deg(0.0, 0.0) is None
    assert Wind(0.3, -0.3).from_deg is None


@pytest.mark.parametrize(
    ("bearing_to_plant", "wind_from", "upwind"),
    [
        (10.0, 350.0, True),  # plant to the north, north wind: its plume comes our way
        (190.0, 350.0, False),  # plant to the south, north wind: downwind of us
        (100.0, 350.0, False),  # off to the side
        (350.0 + UPWIND_TOLERANCE_DEG, 350.0, True),
        (350.0 + UPWIND_TOLERANCE_DEG + 0.5, 350.0, False),
        (10.0, None, None),
    ],
)
def test_upwind_rule(bearing_to_plant: float, wind_from: float | None, upwind: bool | None) -> None:
    assert is_upwind(bearing_to_plant, wind_from) is upwind


@pytest.mark.parametrize(
    ("direction", "name"), [(0, "N"), (11, "N"), (12, "NNE"), (45, "NE"), (314, "NW"), (359, "N")]
)
def test_compass_points(direction: float, name: str) -> None:
    assert compass_point(direction) == name
