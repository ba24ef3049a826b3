"""The sources near a point, scored by the attribution model (domain/attribution.py).

`likely_sources` turns the fossil plants and large cities the `FactFinder` found within the
radius into the model's sources (distance and bearing from the point, the city's rough CO2)
and its ranking into the `likely-sources` fact.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from carbontrack.explorer.data.geography import PowerPlant
from carbontrack.explorer.domain import attribution as a
from carbontrack.explorer.domain import facts as f
from carbontrack.explorer.domain.geo import Wind, initial_bearing_deg

if TYPE_CHECKING:
    from carbontrack.explorer.services.facts import CityHit, PlantHit


def likely_sources(
    lat: float,
    lon: float,
    plants: Sequence[PlantHit],
    cities: Sequence[CityHit],
    wind: Wind | None,
    *,
    radius_km: float,
) -> f.LikelySourcesFact:
    """Score the fossil plants and large cities found within `radius_km` of the point."""
    sources = [
        a.Source(
            id=f.plant_fact_id(hit.plant.plant_id),
            co2_t_per_yr=hit.plant.co2_t_per_yr,
            distance_km=hit.distance_km,
            bearing_deg=initial_bearing_deg(lat, lon, hit.plant.lat, hit.plant.lon),
        )
        for hit in plants
        if hit.plant.co2_t_per_yr is not None
    ]
    sources += [
        a.Source(
            id=f.city_fact_id(hit.city.name),
            co2_t_per_yr=a.city_co2_t_per_yr(hit.city.population),
            distance_km=hit.distance_km,
            bearing_deg=initial_bearing_deg(lat, lon, hit.city.lat, hit.city.lon),
            spread_km=a.CITY_SPREAD_KM,
        )
        for hit in cities
    ]
    found = a.attribute(
        sources, wind_from_deg=None if wind is None else wind.from_deg, wind_known=wind is not None
    )
    unranked = sum(hit.plant.co2_t_per_yr is None for hit in plants)
    return a.likely_sources_fact(found, radius_km=radius_km, unranked=unranked)


def largest_emitter(hits: Sequence[PlantHit]) -> PowerPlant | None:
    """The plant with the largest (unrounded, bounded) CO2 estimate; ties to the nearest."""
    known = [hit for hit in hits if hit.plant.co2_t_per_yr is not None]
    if not known:
        return None
    return min(known, key=lambda hit: (-(hit.plant.co2_t_per_yr or 0.0), hit.distance_km)).plant


def significant(value: float, digits: int = 3) -> float:
    """Round to `digits` significant figures: 19.894 -> 19.9, 0.0008486 -> 0.000849."""
    if value == 0.0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))
