"""Derive reference/country_regions.csv: ISO 3166 country -> Ember regions for the grid fallback.

Run by hand when a source changes (the product only reads the CSV this prints):

    python -m carbontrack.datasets.derive_country_regions \\
        naturalearth_ne_110m_admin_0_countries.geojson > reference/country_regions.csv

Codes and names come from pycountry (ISO 3166-1). Regions come from Natural Earth's CONTINENT
and SUBREGION (UN M49) fields, mapped onto Ember's region names; territories missing from the
1:110m map that Ember does not cover get their UN M49 region by hand; EU members get "EU" first.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pycountry

# Member states since 1 February 2020, as listed at
# https://european-union.europa.eu/principles-countries-history/eu-countries_en
_EU_CODES = (
    "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT ROU "
    "SVK SVN ESP SWE"
)
EU_MEMBERS = frozenset(_EU_CODES.split())

# UN M49 regions (https://unstats.un.org/unsd/methodology/m49/) of inhabited territories that
# neither Natural Earth 1:110m nor Ember covers; uninhabited ones (ATA, ATF, BVT, HMD, SGS) fall
# straight back to World.
UN_M49_SUPPLEMENT = {
    "Europe": "ALA AND GGY GIB IMN JEY LIE MCO SJM SMR VAT",
    "Africa": "IOT MYT SHN",
    "Latin America and Caribbean": "AIA BES BLM CUW MAF SXM",
    "North America": "BMU",
    "Oceania": "CCK CXR FSM MHL MNP NFK NIU PCN PLW TKL TUV UMI WLF",
}

HEADER = """\
# ISO 3166-1 country -> Ember regions tried (in order) when Ember has no value for the country.
# Derived by carbontrack.datasets.derive_country_regions from: pycountry {pycountry} (ISO 3166-1
# codes and names, iso-codes data, LGPL-2.1-or-later); Natural Earth 1:110m admin-0 countries
# (public domain; CONTINENT and SUBREGION fields); EU membership from european-union.europa.eu;
# UN M49 regions for the territories in UN_M49_SUPPLEMENT. Kosovo is XK / XKX, as in Ember.
"""


def ember_region(continent: str, subregion: str) -> str | None:
    """Map Natural Earth CONTINENT / SUBREGION onto an Ember region name."""
    if continent in {"Africa", "Europe", "Oceania"}:
        return continent
    if continent == "South America":
        return "Latin America and Caribbean"
    if continent == "North America":
        return "North America" if subregion == "Northern America" else "Latin America and Caribbean"
    if continent == "Asia":
        # UN M49 Western Asia is the nearest match to Ember's "Middle East".
        return "Middle East" if subregion == "Western Asia" else "Asia"
    return None  # Antarctica, "Seven seas (open ocean)"


def natural_earth_regions(geojson: dict[str, Any]) -> dict[str, str]:
    """Return ISO alpha-3 -> Ember region for every Natural Earth feature."""
    regions: dict[str, str] = {}
    for feature in geojson["features"]:
        props = feature["properties"]
        # ISO_A3 is -99 for France, Norway and Kosovo; ADM0_A3 carries their code.
        alpha3 = props["ISO_A3"] if props["ISO_A3"] != "-99" else props["ADM0_A3"]
        alpha3 = "XKX" if alpha3 == "KOS" else alpha3
        region = ember_region(props["CONTINENT"], props["SUBREGION"])
        if region is not None:
            regions[alpha3] = region
    return regions


def rows(ne_regions: dict[str, str]) -> list[tuple[str, str, str, str, str]]:
    """Return (alpha2, alpha3, name, regions, continental source) per ISO country and Kosovo."""
    supplement = {code: r for r, codes in UN_M49_SUPPLEMENT.items() for code in codes.split()}
    countries = [
        (c.alpha_2, c.alpha_3, getattr(c, "common_name", c.name)) for c in pycountry.countries
    ]
    countries.append(("XK", "XKX", "Kosovo"))
    out = []
    for alpha2, alpha3, name in sorted(countries):
        region, source = ne_regions.get(alpha3), "natural-earth"
        if region is None:
            region, source = supplement.get(alpha3), "un-m49"
        regions = [r for r in ("EU" if alpha3 in EU_MEMBERS else None, region) if r]
        out.append((alpha2, alpha3, name, "|".join(regions), source if region else ""))
    return out


def render(geojson_path: Path) -> str:
    """Return the CSV text for the Natural Earth file at `geojson_path`."""
    geojson = json.loads(geojson_path.read_text(encoding="utf-8-sig"))
    buffer = io.StringIO()
    buffer.write(HEADER.format(pycountry=version("pycountry")))
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(("alpha2", "alpha3", "name", "regions", "continental_region_source"))
    writer.writerows(rows(natural_earth_regions(geojson)))
    return buffer.getvalue()


if __name__ == "__main__":
    sys.stdout.write(render(Path(sys.argv[1])))
