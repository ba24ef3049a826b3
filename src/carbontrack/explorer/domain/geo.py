"""Geometry on a spherical Earth: distances, bearings, wind direction and the upwind rule.

Everything here is pure maths on degrees. The Earth is a sphere of the IUGG mean radius; against
the WGS84 ellipsoid that errs by at most about 0.5 % in distance and a few tenths of a degree in
bearing, far below what a 1.3 km x 2.3 km OCO-2 footprint can resolve.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius R1 (Moritz 2000, Geodetic Reference System 1980)

# A plant counts as upwind when the bearing from the point to the plant lies within this many
# degrees of the direction the wind comes from: a quarter of the compass, wide enough for the
# spread of a plume and for the error of a reanalysis wind at one sounding, narrow enough that a
# plant off to the side of the flow does not count.
UPWIND_TOLERANCE_DEG = 45.0

# Below this speed the wind has no meaningful direction (calm): the upwind flag is then unknown.
CALM_WIND_MPS = 0.5

_COMPASS = (
    "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
    "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Wind:
    """A horizontal wind vector: u towards the east, v towards the north, in m/s."""

    u_mps: float
    v_mps: float

    @property
    def speed_mps(self) -> float:
        """The wind speed in m/s."""
        return math.hypot(self.u_mps, self.v_mps)

    @property
    def from_deg(self) -> float | None:
        """The direction the wind blows from, or None when the wind is calm."""
        return wind_from_deg(self.u_mps, self.v_mps)


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance in km between two points (haversine formula)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def initial_bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the initial bearing from point 1 to point 2, clockwise from north in [0, 360)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dlambda = math.radians(lon2 - lon1)
    x = math.sin(dlambda) * math.cos(phi2)
    y = math.cos(phi1) * math.sin(phi2) - math.sin(phi1) * math.cos(phi2) * math.cos(dlambda)
    return math.degrees(math.atan2(x, y)) % 360.0


def wind_from_deg(u_mps: float, v_mps: float) -> float | None:
    """Return the meteorological wind direction (where it blows from), None when calm.

    A wind blowing towards the south (v < 0) comes from the north: 0 deg. The direction the wind
    comes from is the opposite of the vector (u, v), measured clockwise from north.
    """
    if math.hypot(u_mps, v_mps) < CALM_WIND_MPS:
        return None
    return math.degrees(math.atan2(-u_mps, -v_mps)) % 360.0


def angle_between_deg(a_deg: float, b_deg: float) -> float:
    """Return the smallest angle between two compass directions, in [0, 180]."""
    diff = abs(a_deg - b_deg) % 360.0
    return min(diff, 360.0 - diff)


def is_upwind(
    bearing_to_source_deg: float,
    wind_from: float | None,
    *,
    tolerance_deg: float = UPWIND_TOLERANCE_DEG,
) -> bool | None:
    """Tell whether the wind blows from the source towards the point; None when wind unknown.

    `bearing_to_source_deg` is the bearing from the point to the source. The wind carries the
    source's plume to the point when it comes from the source's side: that bearing lies within
    `tolerance_deg` of the direction the wind comes from.
    """
    if wind_from is None:
        return None
    return angle_between_deg(bearing_to_source_deg, wind_from) <= tolerance_deg


def compass_point(direction_deg: float) -> str:
    """Return the 16-point compass name (N, NNE, ..., NNW) nearest to a direction."""
    return _COMPASS[round((direction_deg % 360.0) / 22.5) % 16]


def unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    """Return the point as (x, y, z) on the unit sphere (for chord-distance spatial indexes)."""
    phi, lam = math.radians(lat), math.radians(lon)
    return (math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi))


def chord_for_km(distance_km: float) -> float:
    """Return the unit-sphere chord length that spans a great-circle distance in km.

    The chord grows monotonically with the arc up to half the circumference, so a radius query on
    unit vectors with this chord finds exactly the points within `distance_km`.
    """
    half_angle = min(distance_km / EARTH_RADIUS_KM, math.pi) / 2
    return 2 * math.sin(half_angle)
