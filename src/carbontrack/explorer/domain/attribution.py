"""Which sources most likely raised the CO2 column at a point: model "plume-1". Pure: no I/O.

Each source (a fossil plant, or a large city as an area source) is scored by its emission rate
times a Gaussian-plume kernel: the column enhancement a steady source of 1 t/yr adds at the point
per unit wind speed, Q / (u sqrt(2 pi) sigma_y(x)) exp(-y^2 / (2 sigma_y^2)), with x the distance
along the wind from the source and y the crosswind offset (Nassar et al. 2017, GRL 44, fitted this
column form to OCO-2 XCO2 over single power plants). The wind speed u is one number for every
source, so it cancels out of the shares. sigma_y widens with distance as in Briggs (1973) for open
country, neutral stability (class D). One wind reading is not the wind that carried a plume for
hours, so the kernel is averaged over wind directions within +/- `DIRECTION_SPREAD_DEG`. Without a
wind (unknown or calm) the kernel is the plume averaged over every direction, 1 / (2 pi d).
docs/co2-explorer.md, "How a likely source is chosen", gives the reasoning, the figures and the
limits.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from carbontrack.explorer.domain.facts import LikelySourcesFact, SourceShare

MODEL_VERSION = "plume-1"

# Briggs (1973, "Diffusion estimation for small emissions", ATDL contribution 79, NOAA) open
# country, stability class D (neutral), x in metres: sigma_y = 0.08 x (1 + 0.0001 x)^-0.5. Fitted
# for 0.1 to 10 km and used here out to the 100 km radius.
BRIGGS_D_A = 0.08
BRIGGS_D_B = 0.0001
# The wind that carried a plume over the hours before a sounding can differ from the one
# reanalysis reading at it by tens of degrees, a main error of plume estimates (Lin et al.
# 2023, ACP 23, 6599, compare wind products for OCO-2 plumes): the kernel is averaged over
# directions within this many degrees either side of the reading, in steps of
# DIRECTION_STEP_DEG. A judgement, not a fitted value.
DIRECTION_SPREAD_DEG = 30
DIRECTION_STEP_DEG = 1
# Nearer than an OCO-2 footprint (about 1.3 x 2.3 km) distance means nothing: clamp to 1 km.
MIN_DISTANCE_KM = 1.0
# A city is an area source: its plume starts this wide (crosswind sigma, a rough radius of a
# metropolis of a few million people), added in quadrature to the Briggs sigma_y.
CITY_SPREAD_KM = 10.0
# Rough: fossil CO2 per person, world mean for 2018, 36.6 Gt CO2 (Friedlingstein et al. 2019,
# Global Carbon Budget 2019, ESSD 11, 1783) over 7.6 billion people (UN World Population
# Prospects 2019). Real cities range from under 1 to over 15 t per person.
CITY_T_CO2_PER_PERSON = 4.8
TOP_CONTRIBUTORS = 3  # how many the facts name, at most
MIN_SHARE = 0.005  # and only those whose share rounds to 1 % or more
_M_PER_KM = 1000.0


class WindBasis(StrEnum):
    """What the ranking knows of the wind."""

    ONE_READING = "one_reading"  # one reanalysis reading at the sounding
    UNKNOWN = "unknown"  # no wind given: distance and emissions alone
    CALM = "calm"  # below geo.CALM_WIND_MPS: no direction


@dataclass(frozen=True, slots=True)
class Source:
    """A source seen from the point: its emissions, distance and bearing (point to source)."""

    id: str
    co2_t_per_yr: float
    distance_km: float
    bearing_deg: float
    spread_km: float = 0.0  # crosswind size at the source: 0 for a stack


@dataclass(frozen=True, slots=True)
class Contribution:
    """A source's score (t/yr per metre, per unit wind speed) and its share of all scores."""

    source: Source
    score: float
    share: float


@dataclass(frozen=True, slots=True)
class Attribution:
    """Sources with a score above zero, most likely first, and the wind the ranking used."""

    contributions: tuple[Contribution, ...]
    basis: WindBasis
    considered: int  # how many sources were scored, including those scoring zero


def city_co2_t_per_yr(population: int) -> float:
    """A city's rough fossil CO2: its population times the world mean per person."""
    return population * CITY_T_CO2_PER_PERSON


def briggs_sigma_y_m(x_m: float) -> float:
    """Crosswind spread (m) of a plume `x_m` metres downwind: Briggs 1973, open country, D."""
    return BRIGGS_D_A * x_m / math.sqrt(1.0 + BRIGGS_D_B * x_m)


def plume_kernel(distance_km: float, off_wind_deg: float, spread_km: float = 0.0) -> float:
    """Column per unit emission and wind speed at the point, for one wind direction (1/m).

    `off_wind_deg` is the angle between the bearing to the source and the direction the wind
    comes from: 0 when the source is straight upwind. A source at or past 90 degrees is
    downwind of the point and adds nothing.
    """
    d_m = max(distance_km, MIN_DISTANCE_KM) * _M_PER_KM
    angle = math.radians(off_wind_deg)
    x_m, y_m = d_m * math.cos(angle), d_m * math.sin(angle)
    if x_m <= 0.0:
        return 0.0
    sigma = math.hypot(briggs_sigma_y_m(x_m), spread_km * _M_PER_KM)
    return math.exp(-(y_m**2) / (2.0 * sigma**2)) / (math.sqrt(2.0 * math.pi) * sigma)


def spread_kernel(distance_km: float, off_wind_deg: float, spread_km: float = 0.0) -> float:
    """The plume kernel averaged over wind directions within +/- DIRECTION_SPREAD_DEG."""
    steps = range(-DIRECTION_SPREAD_DEG, DIRECTION_SPREAD_DEG + 1, DIRECTION_STEP_DEG)
    values = [plume_kernel(distance_km, off_wind_deg + step, spread_km) for step in steps]
    return math.fsum(values) / len(values)


def isotropic_kernel(distance_km: float) -> float:
    """The plume kernel averaged over every direction: 1 / (2 pi d), d in metres."""
    return 1.0 / (2.0 * math.pi * max(distance_km, MIN_DISTANCE_KM) * _M_PER_KM)


def off_wind_deg(bearing_deg: float, wind_from_deg: float) -> float:
    """Signed angle from the direction the wind comes from to the bearing, in (-180, 180]."""
    diff = (bearing_deg - wind_from_deg) % 360.0
    return diff - 360.0 if diff > 180.0 else diff


def attribute(
    sources: Iterable[Source], *, wind_from_deg: float | None, wind_known: bool
) -> Attribution:
    """Rank the sources by score; shares sum to 1 over those scoring above zero."""
    if not wind_known:
        basis = WindBasis.UNKNOWN
    elif wind_from_deg is None:
        basis = WindBasis.CALM
    else:
        basis = WindBasis.ONE_READING
    scored = [(source, _score(source, wind_from_deg, basis)) for source in sources]
    total = math.fsum(score for _, score in scored)
    ranked = sorted(
        (pair for pair in scored if pair[1] > 0.0), key=lambda pair: (-pair[1], pair[0].id)
    )
    contributions = tuple(Contribution(source, score, score / total) for source, score in ranked)
    return Attribution(contributions=contributions, basis=basis, considered=len(scored))


def _score(source: Source, wind_from_deg: float | None, basis: WindBasis) -> float:
    if source.co2_t_per_yr <= 0.0:
        return 0.0
    if basis is not WindBasis.ONE_READING or wind_from_deg is None:
        return source.co2_t_per_yr * isotropic_kernel(source.distance_km)
    off = off_wind_deg(source.bearing_deg, wind_from_deg)
    return source.co2_t_per_yr * spread_kernel(source.distance_km, off, source.spread_km)


def top(attribution: Attribution, count: int = TOP_CONTRIBUTORS) -> Sequence[Contribution]:
    """The `count` likeliest contributors with a share that rounds to at least 1 %."""
    return [c for c in attribution.contributions[:count] if c.share >= MIN_SHARE]


_NOTES = {
    WindBasis.ONE_READING: (
        "Ranked on one wind reading at the sounding, spread over +/- {spread} degrees; the wind "
        "that carried a plume over the hours before can differ."
    ),
    WindBasis.UNKNOWN: "Wind unknown: ranked by emissions and distance alone.",
    WindBasis.CALM: "Calm wind, no direction: ranked by emissions and distance alone.",
}


def likely_sources_fact(
    attribution: Attribution, *, radius_km: float, unranked: int
) -> LikelySourcesFact:
    """The fact naming the likeliest contributors, their shares rounded to 0.01."""
    return LikelySourcesFact(
        model=MODEL_VERSION,
        wind_basis=attribution.basis.value,
        direction_spread_deg=DIRECTION_SPREAD_DEG,
        radius_km=radius_km,
        contributors=tuple(
            SourceShare(id=c.source.id, share=round(c.share, 2), percent=round(100 * c.share))
            for c in top(attribution)
        ),
        considered=attribution.considered,
        unranked=unranked,
        city_co2_t_per_person=CITY_T_CO2_PER_PERSON,
        note=_NOTES[attribution.basis].format(spread=DIRECTION_SPREAD_DEG),
    )
