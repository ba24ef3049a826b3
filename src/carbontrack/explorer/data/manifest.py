"""Checksums of the explorer's data files (in this folder, co2/), verified on every read.

A file whose bytes differ from its checksum here is refused: the explorer cites exactly the
published data it ships. Update a checksum only together with LICENSES.md (beside this file)
and docs/data-sources.md.
"""

from __future__ import annotations

from carbontrack import verified

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
    OCO2_ANOMALIES_FILE: "c19a7cddd2faf98344b0f865583efb56854b7fb07d15b83b9757c386e9c64969",
}


def read_verified(path: str) -> bytes:
    """Return the bytes of one of the explorer's data files after checking them against SHA256."""
    return verified.read_verified("carbontrack.explorer.data", path, SHA256)
