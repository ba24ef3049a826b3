"""Load the packaged country -> Ember region map (reference/country_regions.csv)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from carbontrack.datasets.manifest import COUNTRY_REGIONS_FILE, read_verified
from carbontrack.domain.electricity import CountryRegions


@cache
def load_country_regions() -> Mapping[str, CountryRegions]:
    """Return ISO alpha-2 -> CountryRegions for every ISO 3166 country and Kosovo (cached)."""
    text = read_verified(COUNTRY_REGIONS_FILE).decode("utf-8")
    lines = (line for line in io.StringIO(text) if not line.startswith("#"))
    countries = {
        row["alpha2"]: CountryRegions(
            alpha2=row["alpha2"],
            alpha3=row["alpha3"],
            name=row["name"],
            regions=tuple(r for r in row["regions"].split("|") if r),
        )
        for row in csv.DictReader(lines)
    }
    return MappingProxyType(countries)
