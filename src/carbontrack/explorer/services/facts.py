"""Look up the facts about a point on a date: plants, cities, surface, season, signal, background.

`get_fact_finder()` builds one `FactFinder` per process, on first use: a k-d tree over the plants'
and cities' unit vectors (scipy `cKDTree`; chord distance on the unit sphere is monotonic in
great-circle distance, so a radius query is exact and has no trouble at the antimeridian or the
poles) and an R-tree over the country polygons (shapely `STRtree`). `plants_within_linear` and
`nearest_cities_linear` answer the same questions by scanning every record: the reference the
tests compare the indexes with, and the baseline of `python -m bench explorer-index`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from carbontrack.domain.errors import InvalidInput
from carbontrack.explorer.data import geography, noaa
from carbontrack.explorer.data.geography import City, Country, PowerPlant
from carbontrack.explorer.data.manifest import (
    NE_COUNTRIES_FILE,
    NE_PLACES_FILE,
    NOAA_GLOBAL_TREND_FILE,
    NOAA_MLO_DAILY_FILE,
    NOAA_MLO_MONTHLY_FILE,
    SHA256,
    WRI_PLANTS_FILE,
)
from carbontrack.explorer.domain import facts as f
from carbontrack.explorer.domain.anomalies import AnomalyBackground
from carbontrack.explorer.domain.geo import (
    Wind,
    chord_for_km,
    compass_point,
    great_circle_km,
    initial_bearing_deg,
    is_upwind,
    unit_vector,
)
from carbontrack.explorer.services import sources

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray
    from scipy.spatial import cKDTree

# numpy, scipy and shapely are imported where the indexes are built and queried, not with the
# module: the app imports this module through the reasoning routes, and a cold start that
# serves /api/entries should not pay the 0.5 s these libraries take to import.

PLANT_RADIUS_KM = 100.0  # plants and cities within it are scored as likely sources
MAX_LISTED_PLANTS = 10  # the nearest ones (and the likeliest sources); the counts cover all
NEAREST_CITIES = 3
# Natural Earth 1:110m coastlines are generalised by tens of km (New York's shore is "sea"):
# a point outside every country but this close to one is reported as "coast", not "ocean".
COAST_KM = 30.0
_KM_PER_DEGREE = 111.32
# Widen the k-d tree's chord radius by a hair so that rounding in the chord can never drop a
# plant that the exact great-circle test below keeps; that test alone decides membership.
_CHORD_SLACK = 1e-9
_CANDIDATES = 8  # nearest-neighbour candidates re-ranked by exact distance
_FACT_FILES = (
    WRI_PLANTS_FILE,
    NE_COUNTRIES_FILE,
    NE_PLACES_FILE,
    NOAA_GLOBAL_TREND_FILE,
    NOAA_MLO_MONTHLY_FILE,
    NOAA_MLO_DAILY_FILE,
)
_SURFACE_CO2_NOTE = (
    "A surface in situ value for the date, not the background the deviation is measured "
    "against: a satellite column average (XCO2) usually reads somewhat lower and has a smaller "
    "seasonal cycle."
)


@dataclass(frozen=True, slots=True)
class PlantHit:
    """A plant found near a point: its position in the plant list and its distance."""

    index: int
    plant: PowerPlant
    distance_km: float


@dataclass(frozen=True, slots=True)
class CityHit:
    """A city found near a point: its position in the city list and its distance."""

    index: int
    city: City
    distance_km: float


def facts_data_version() -> str:
    """A short hash of the facts' version and of every file they read (for cache keys)."""
    files = (f"{path}={SHA256[path]}" for path in _FACT_FILES)
    joined = "\n".join([f"facts-version={f.FACTS_VERSION}", *files])
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def plants_within_linear(
    plants: Sequence[PowerPlant], lat: float, lon: float, radius_km: float = PLANT_RADIUS_KM
) -> list[PlantHit]:
    """Return the plants within `radius_km` by scanning all of them, nearest first."""
    hits = []
    for index, plant in enumerate(plants):
        distance = great_circle_km(lat, lon, plant.lat, plant.lon)
        if distance <= radius_km:
            hits.append(PlantHit(index, plant, distance))
    return sorted(hits, key=lambda hit: (hit.distance_km, hit.index))


def nearest_plant_linear(plants: Sequence[PowerPlant], lat: float, lon: float) -> PlantHit | None:
    """Return the nearest plant of all, by scanning them; None when there are none."""
    hits = (
        PlantHit(index, plant, great_circle_km(lat, lon, plant.lat, plant.lon))
        for index, plant in enumerate(plants)
    )
    return min(hits, key=lambda hit: (hit.distance_km, hit.index), default=None)


def nearest_cities_linear(
    cities: Sequence[City], lat: float, lon: float, count: int = NEAREST_CITIES
) -> list[CityHit]:
    """Return the `count` nearest cities by scanning all of them, nearest first."""
    hits = [
        CityHit(index, city, great_circle_km(lat, lon, city.lat, city.lon))
        for index, city in enumerate(cities)
    ]
    return sorted(hits, key=lambda hit: (hit.distance_km, hit.index))[:count]


def _unit_vectors(points: Sequence[PowerPlant] | Sequence[City]) -> NDArray[np.float64]:
    import numpy as np

    return np.array([unit_vector(p.lat, p.lon) for p in points], dtype=np.float64).reshape(-1, 3)


def _check_point(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise InvalidInput("latitude and longitude must be finite numbers", field="lat")
    if not -90.0 <= lat <= 90.0:
        raise InvalidInput("latitude must be between -90 and 90", field="lat")
    if not -180.0 <= lon <= 180.0:
        raise InvalidInput("longitude must be between -180 and 180", field="lon")


def _check_finite(**values: float | None) -> None:
    for name, value in values.items():
        if value is not None and not math.isfinite(value):
            raise InvalidInput(f"{name} must be a finite number", field=name)


class FactFinder:
    """Deterministic facts about a point, over spatial indexes built once."""

    def __init__(
        self,
        *,
        plants: Sequence[PowerPlant],
        cities: Sequence[City],
        countries: Sequence[Country],
    ) -> None:
        import shapely
        from scipy.spatial import cKDTree

        # Landfill gas, biogas and waste plants are not fossil sources: kept apart, only counted.
        self.plants = tuple(plant for plant in plants if plant.fossil)
        self.non_fossil_plants = tuple(plant for plant in plants if not plant.fossil)
        self.cities = tuple(cities)
        self.countries = tuple(countries)
        self._plant_tree = cKDTree(_unit_vectors(self.plants))
        self._non_fossil_tree = cKDTree(_unit_vectors(self.non_fossil_plants))
        self._city_tree = cKDTree(_unit_vectors(self.cities))
        self._country_shapes = [shapely.geometry.shape(c.geometry) for c in self.countries]
        self._country_tree = shapely.STRtree(self._country_shapes)

    def plants_within(
        self, lat: float, lon: float, radius_km: float = PLANT_RADIUS_KM
    ) -> list[PlantHit]:
        """Return the plants within `radius_km` of the point, nearest first (k-d tree)."""
        chord = chord_for_km(radius_km) * (1 + _CHORD_SLACK)
        candidates = self._plant_tree.query_ball_point(unit_vector(lat, lon), chord)
        hits = [self._plant_hit(index, lat, lon) for index in candidates]
        return sorted(
            (hit for hit in hits if hit.distance_km <= radius_km),
            key=lambda hit: (hit.distance_km, hit.index),
        )

    def cities_within(
        self, lat: float, lon: float, radius_km: float = PLANT_RADIUS_KM
    ) -> list[CityHit]:
        """Return the large cities within `radius_km` of the point, nearest first (k-d tree)."""
        chord = chord_for_km(radius_km) * (1 + _CHORD_SLACK)
        candidates = self._city_tree.query_ball_point(unit_vector(lat, lon), chord)
        hits = [self._city_hit(index, lat, lon) for index in candidates]
        return sorted(
            (hit for hit in hits if hit.distance_km <= radius_km),
            key=lambda hit: (hit.distance_km, hit.index),
        )

    def non_fossil_count(self, lat: float, lon: float, radius_km: float = PLANT_RADIUS_KM) -> int:
        """Count the landfill gas, biogas and waste plants within `radius_km` of the point."""
        chord = chord_for_km(radius_km) * (1 + _CHORD_SLACK)
        candidates = self._non_fossil_tree.query_ball_point(unit_vector(lat, lon), chord)
        plants = (self.non_fossil_plants[index] for index in candidates)
        return sum(great_circle_km(lat, lon, p.lat, p.lon) <= radius_km for p in plants)

    def nearest_plant(self, lat: float, lon: float) -> PlantHit | None:
        """Return the nearest plant however far (k-d tree), None when there are none."""
        indexes = self._nearest_indexes(self._plant_tree, len(self.plants), lat, lon)
        hits = [self._plant_hit(index, lat, lon) for index in indexes]
        return min(hits, key=lambda hit: (hit.distance_km, hit.index), default=None)

    def nearest_cities(self, lat: float, lon: float, count: int = NEAREST_CITIES) -> list[CityHit]:
        """Return the `count` nearest large cities, nearest first (k-d tree)."""
        indexes = self._nearest_indexes(self._city_tree, len(self.cities), lat, lon, count)
        hits = [self._city_hit(index, lat, lon) for index in indexes]
        return sorted(hits, key=lambda hit: (hit.distance_km, hit.index))[:count]

    def _plant_hit(self, index: int, lat: float, lon: float) -> PlantHit:
        plant = self.plants[index]
        return PlantHit(index, plant, great_circle_km(lat, lon, plant.lat, plant.lon))

    def _city_hit(self, index: int, lat: float, lon: float) -> CityHit:
        city = self.cities[index]
        return CityHit(index, city, great_circle_km(lat, lon, city.lat, city.lon))

    @staticmethod
    def _nearest_indexes(
        tree: cKDTree, size: int, lat: float, lon: float, count: int = 1
    ) -> list[int]:
        # Take a few more candidates than asked and let the exact distance rank them, so that
        # chord rounding can never reorder near-ties differently from the linear scan.
        import numpy as np

        k = min(size, count + _CANDIDATES)
        if k == 0:
            return []
        _, indexes = tree.query(unit_vector(lat, lon), k=k)
        return [int(i) for i in np.atleast_1d(indexes)]

    def country_at(self, lat: float, lon: float) -> Country | None:
        """Return the country whose polygon holds the point, None over the ocean."""
        import shapely

        found = self._country_tree.query(shapely.Point(lon, lat), predicate="intersects")
        return self.countries[int(min(found))] if len(found) else None

    def country_near(self, lat: float, lon: float, km: float = COAST_KM) -> Country | None:
        """Return the nearest country within about `km` of the point (planar degrees)."""
        import shapely

        point = shapely.Point(lon, lat)
        found = self._country_tree.query_nearest(point, max_distance=km / _KM_PER_DEGREE)
        return self.countries[int(min(found))] if len(found) else None

    def facts_for(
        self,
        lat: float,
        lon: float,
        date: dt.date,
        *,
        wind: Wind | None = None,
        deviation_ppm: float | None = None,
        xco2: float | None = None,
        background: AnomalyBackground | None = None,
    ) -> list[f.Fact]:
        """Return the facts about a point on a date, in the order an explanation reads them.

        `background` names what `deviation_ppm` is measured against (a known anomaly's).
        """
        _check_point(lat, lon)
        _check_finite(deviation_ppm=deviation_ppm, xco2=xco2)
        if wind is not None:
            _check_finite(wind_u=wind.u_mps, wind_v=wind.v_mps)
        plant_hits, city_hits = self.plants_within(lat, lon), self.cities_within(lat, lon)
        found = sources.likely_sources(
            lat, lon, plant_hits, city_hits, wind, radius_km=PLANT_RADIUS_KM
        )
        named = {share.id for share in found.contributors}
        facts: list[f.Fact] = [*self._source_facts(lat, lon, wind, plant_hits, found)]
        facts.append(f.wind_fact(wind))
        facts.append(self._surface_fact(lat, lon))
        facts.extend(self._city_facts(lat, lon, city_hits, named))
        facts.append(f.season_fact(lat, date))
        facts.append(f.signal_fact(deviation_ppm, xco2, background=background))
        facts.append(_surface_co2_fact(date))
        return facts

    def _source_facts(
        self,
        lat: float,
        lon: float,
        wind: Wind | None,
        hits: Sequence[PlantHit],
        likely: f.LikelySourcesFact,
    ) -> list[f.Fact]:
        likely_facts: list[f.Fact] = [likely] if likely.considered or likely.unranked else []
        if not hits:
            nearest = self.nearest_plant(lat, lon)
            none_near = f.NoKnownSourceFact(
                radius_km=PLANT_RADIUS_KM,
                nearest_plant_name=None if nearest is None else nearest.plant.name,
                nearest_plant_distance_km=(
                    None if nearest is None else round(nearest.distance_km, 1)
                ),
                source=geography.PLANTS_SOURCE,
            )
            return [none_near, *likely_facts]
        wind_from = None if wind is None else wind.from_deg
        plant_facts = [_plant_fact(lat, lon, hit, wind_from) for hit in hits]
        largest = sources.largest_emitter(hits)
        keep = {share.id for share in likely.contributors}
        if largest is not None:
            keep.add(f.plant_fact_id(largest.plant_id))
        listed = [
            fact
            for rank, fact in enumerate(plant_facts)
            if rank < MAX_LISTED_PLANTS or fact.id in keep
        ]
        fuels = [fact.fuel for fact in plant_facts]
        summary = f.PlantsNearbyFact(
            radius_km=PLANT_RADIUS_KM,
            count=len(plant_facts),
            listed=len(listed),
            coal=fuels.count("coal"),
            gas=fuels.count("gas"),
            oil=fuels.count("oil"),
            upwind_count=(
                None if wind_from is None else sum(fact.upwind is True for fact in plant_facts)
            ),
            non_fossil_excluded=self.non_fossil_count(lat, lon),
            largest_emitter_id=None if largest is None else f.plant_fact_id(largest.plant_id),
            source=geography.PLANTS_SOURCE,
        )
        return [summary, *likely_facts, *listed]

    def _surface_fact(self, lat: float, lon: float) -> f.SurfaceFact:
        country, surface = self.country_at(lat, lon), "land"
        if country is None:
            country = self.country_near(lat, lon)
            surface = "ocean" if country is None else "coast"
        return f.SurfaceFact(
            surface=surface,
            country=None if country is None else country.name,
            country_iso3=None if country is None else country.iso_a3,
            source=geography.NATURAL_EARTH_SOURCE,
        )

    def _city_facts(
        self, lat: float, lon: float, within: Sequence[CityHit], named: set[str]
    ) -> list[f.Fact]:
        nearest = self.nearest_cities(lat, lon)
        shown = {hit.index for hit in nearest}
        likely = [
            hit
            for hit in within
            if hit.index not in shown and f.city_fact_id(hit.city.name) in named
        ]
        hits = sorted([*nearest, *likely], key=lambda hit: (hit.distance_km, hit.index))
        return [_city_fact(lat, lon, hit) for hit in hits]


def _city_fact(lat: float, lon: float, hit: CityHit) -> f.CityFact:
    city = hit.city
    return f.CityFact(
        id=f.city_fact_id(city.name),
        name=city.name,
        country=city.country,
        population=city.population,
        lat=round(city.lat, 4),
        lon=round(city.lon, 4),
        distance_km=round(hit.distance_km, 1),
        bearing_deg=_rounded_bearing(lat, lon, city.lat, city.lon),
        direction=compass_point(initial_bearing_deg(lat, lon, city.lat, city.lon)),
        source=geography.NATURAL_EARTH_SOURCE,
    )


def _rounded_bearing(lat: float, lon: float, to_lat: float, to_lon: float) -> int:
    return round(initial_bearing_deg(lat, lon, to_lat, to_lon)) % 360


def _plant_fact(lat: float, lon: float, hit: PlantHit, wind_from: float | None) -> f.PlantFact:
    plant = hit.plant
    bearing = initial_bearing_deg(lat, lon, plant.lat, plant.lon)
    co2 = plant.co2_t_per_yr
    return f.PlantFact(
        id=f.plant_fact_id(plant.plant_id),
        name=plant.name,
        country=plant.country,
        fuel=plant.fuel,
        capacity_mw=round(plant.capacity_mw, 1),
        lat=round(plant.lat, 4),
        lon=round(plant.lon, 4),
        distance_km=round(hit.distance_km, 1),
        bearing_deg=round(bearing) % 360,
        direction=compass_point(bearing),
        upwind=is_upwind(bearing, wind_from),
        co2_mt_per_yr=None if co2 is None else sources.significant(co2 / 1e6),
        co2_capped=plant.co2_capped,
        source=geography.PLANTS_SOURCE,
    )


def _surface_co2_fact(day: dt.date) -> f.SurfaceCo2Fact:
    background = noaa.background_for(day)
    daily = noaa.mauna_loa_daily(day)
    if background is None:
        return f.SurfaceCo2Fact(
            known=False,
            date=day.isoformat(),
            ppm=None,
            trend_ppm=None,
            series=None,
            period=None,
            mauna_loa_daily_ppm=daily,
            source=None,
            note=_SURFACE_CO2_NOTE,
        )
    return f.SurfaceCo2Fact(
        known=True,
        date=day.isoformat(),
        ppm=background.ppm,
        trend_ppm=background.trend_ppm,
        series=background.series,
        period=background.period,
        mauna_loa_daily_ppm=daily,
        source=background.source,
        note=_SURFACE_CO2_NOTE,
    )


@cache
def get_fact_finder() -> FactFinder:
    """The process's FactFinder, built on first use from the packaged data (checksums verified)."""
    finder = FactFinder(
        plants=geography.load_power_plants(),
        cities=geography.load_large_cities(),
        countries=geography.load_countries(),
    )
    # Read the NOAA series now too, so that no request pays for parsing them.
    noaa.load_global_trend()
    noaa.load_mauna_loa_monthly()
    noaa.load_mauna_loa_daily()
    return finder
