"""The explorer's plant look-up: the k-d tree against a linear scan over all 8,602 plants.

For each point (half anywhere on Earth, half within about 150 km of a plant, where the look-up
has work to do) the same question, "which plants lie within 100 km, nearest first", is asked
of `FactFinder.plants_within` (scipy cKDTree on unit vectors), of `plants_within_linear` (a
Python loop over every plant, the reference the tests compare against) and of a numpy
brute-force haversine over all plants (a stronger linear baseline), interleaved point by
point so they share the machine's state. The three must agree. Issue 5's target: the index
beats the linear scan by 20x or more. `facts_for` (every fact, index path) is timed too.
"""

from __future__ import annotations

import math
import random
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any, TypedDict

import numpy as np

from bench.report import machine, table, verdict
from carbontrack.explorer.domain.geo import EARTH_RADIUS_KM, Wind
from carbontrack.explorer.services.facts import (
    PLANT_RADIUS_KM,
    FactFinder,
    get_fact_finder,
    plants_within_linear,
)

MIN_RATIO = 20.0
SEED = 2018
DAY = date(2018, 7, 1)
WIND = Wind(3.0, -2.0)


def _points(finder: FactFinder, n_points: int) -> list[tuple[float, float]]:
    rng = random.Random(SEED)
    points = []
    for i in range(n_points):
        if i % 2:
            plant = rng.choice(finder.plants)
            lat = max(-90.0, min(90.0, plant.lat + rng.uniform(-1.0, 1.0)))
            lon = max(-180.0, min(180.0, plant.lon + rng.uniform(-1.0, 1.0)))
        else:  # uniform on the sphere
            lat = math.degrees(math.asin(rng.uniform(-1.0, 1.0)))
            lon = rng.uniform(-180.0, 180.0)
        points.append((lat, lon))
    return points


def _numpy_scan(finder: FactFinder) -> Callable[[float, float], list[int]]:
    """Brute force over all plants with numpy: indexes within the radius, nearest first."""
    lats = np.radians([p.lat for p in finder.plants])
    lons = np.radians([p.lon for p in finder.plants])
    cos_lats = np.cos(lats)

    def scan(lat: float, lon: float) -> list[int]:
        phi, lam = math.radians(lat), math.radians(lon)
        h = np.sin((lats - phi) / 2) ** 2 + math.cos(phi) * cos_lats * np.sin((lons - lam) / 2) ** 2
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        inside = np.flatnonzero(km <= PLANT_RADIUS_KM)
        return [int(i) for i in inside[np.argsort(km[inside], kind="stable")]]

    return scan


class Timing(TypedDict):
    p50_us: float
    p99_us: float
    total_s: float


class LookupMeasurement(TypedDict):
    points: int
    plants: int
    plants_found: int
    build_s: float
    index: Timing
    linear: Timing
    numpy: Timing
    facts_for: Timing
    ratio_linear_over_index_p50: float
    ratio_linear_over_index_total: float
    ratio_numpy_over_index_p50: float


def _timed_us(call: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    started = time.perf_counter_ns()
    result = call(*args, **kwargs)
    return (time.perf_counter_ns() - started) / 1000, result


def _summary(samples_us: list[float]) -> Timing:
    return Timing(
        p50_us=statistics.median(samples_us),
        p99_us=statistics.quantiles(samples_us, n=100)[98],
        total_s=sum(samples_us) / 1e6,
    )


def measure_plant_lookup(n_points: int = 2000) -> LookupMeasurement:
    """Time the index, the linear scan and numpy brute force on the same points, interleaved."""
    started = time.perf_counter()
    finder = get_fact_finder()
    build_s = time.perf_counter() - started
    numpy_scan = _numpy_scan(finder)
    index_us, linear_us, numpy_us, facts_us = [], [], [], []
    hits = 0
    for lat, lon in _points(finder, n_points):
        t_index, by_index = _timed_us(finder.plants_within, lat, lon)
        t_linear, by_scan = _timed_us(plants_within_linear, finder.plants, lat, lon)
        t_numpy, by_numpy = _timed_us(numpy_scan, lat, lon)
        if by_index != by_scan or [hit.index for hit in by_scan] != by_numpy:
            raise RuntimeError(f"the index and the scans disagree at ({lat}, {lon})")
        t_facts, _ = _timed_us(finder.facts_for, lat, lon, DAY, wind=WIND)
        index_us.append(t_index)
        linear_us.append(t_linear)
        numpy_us.append(t_numpy)
        facts_us.append(t_facts)
        hits += len(by_index)
    index, linear, numpy_ = _summary(index_us), _summary(linear_us), _summary(numpy_us)
    return LookupMeasurement(
        points=n_points,
        plants=len(finder.plants),
        plants_found=hits,
        build_s=build_s,
        index=index,
        linear=linear,
        numpy=numpy_,
        facts_for=_summary(facts_us),
        ratio_linear_over_index_p50=linear["p50_us"] / index["p50_us"],
        ratio_linear_over_index_total=linear["total_s"] / index["total_s"],
        ratio_numpy_over_index_p50=numpy_["p50_us"] / index["p50_us"],
    )


def run(*, n_points: int = 2000) -> bool:
    """Measure, print the table; True if the index beat the linear scan by MIN_RATIO."""
    print(f"\nExplorer plant look-up within {PLANT_RADIUS_KM:g} km, {n_points} points ...")
    result = measure_plant_lookup(n_points)
    timings = {
        "index (cKDTree)": result["index"],
        "linear scan (Python)": result["linear"],
        "linear scan (numpy)": result["numpy"],
        "facts_for (all facts)": result["facts_for"],
    }
    rows = [
        [name, f"{t['p50_us']:.1f}", f"{t['p99_us']:.1f}", f"{t['total_s']:.3f}"]
        for name, t in timings.items()
    ]
    print(f"{machine()}; {result['plants']} plants; index built in {result['build_s']:.2f} s")
    print(table(["look-up", "p50 us", "p99 us", "total s"], rows))
    ratio = result["ratio_linear_over_index_p50"]
    passed = ratio >= MIN_RATIO
    print(
        f"linear / index: p50 {ratio:.0f}x, total {result['ratio_linear_over_index_total']:.0f}x "
        f"(target >= {MIN_RATIO:g}x: {verdict(passed)}); numpy brute force / index: p50 "
        f"{result['ratio_numpy_over_index_p50']:.1f}x; {result['plants_found']} plants found"
    )
    return passed
