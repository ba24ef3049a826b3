"""Our World in Data electricity per person and its carbon intensity, per country.

The packaged file (reference/owid_global_energy_mix__codecarbon.json, CodeCarbon's copy of the
OWID energy dataset) is keyed by ISO alpha-3; users' countries are alpha-2, mapped through the
packaged country table. Its `per_capita_Wh` field holds kWh per person per year (OWID's
`per_capita_electricity`), whatever its name says: the United Kingdom's 4,332.8 is kWh, not Wh.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from carbontrack.datasets.countries import load_country_regions
from carbontrack.datasets.manifest import OWID_ENERGY_FILE, read_verified
from carbontrack.domain.comparisons import CountryElectricity


@cache
def load_country_electricity() -> Mapping[str, CountryElectricity]:
    """ISO alpha-2 -> the country's electricity per person (cached; checksum verified).

    Countries whose record lacks either figure (zero in the file) are left out.
    """
    records = json.loads(read_verified(OWID_ENERGY_FILE))
    alpha2_of = {country.alpha3: code for code, country in load_country_regions().items()}
    found: dict[str, CountryElectricity] = {}
    for alpha3, record in records.items():
        alpha2 = alpha2_of.get(alpha3)
        kwh, intensity = float(record["per_capita_Wh"]), float(record["carbon_intensity"])
        if alpha2 is None or kwh <= 0 or intensity <= 0:
            continue
        found[alpha2] = CountryElectricity(
            alpha2=alpha2,
            name=str(record["country_name"]),
            year=int(record["year"]),
            kwh_per_person=kwh,
            gco2_per_kwh=intensity,
        )
    return MappingProxyType(found)
