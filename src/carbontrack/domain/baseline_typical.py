"""The typical values that answer the questionnaire's "I don't know", each with its citation.

Every figure the baseline uses that is not a catalogue factor lives here, so docs/data-sources.md
can list them from one place. Pure data, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

MILE_KM = 1.609344  # the international mile, exactly


@dataclass(frozen=True, slots=True)
class Typical:
    """One cited typical value: what it is, how much, and where it comes from."""

    source_id: str  # short id stored as a line's `dataset` when this value stood in
    value: float
    unit: str
    source: str  # publisher and publication
    table: str  # the table or passage the number is read from
    year: int
    url: str


_OFGEM_URL = "https://www.ofgem.gov.uk/average-gas-and-electricity-usage"
_OFGEM = "Ofgem, Typical Domestic Consumption Values (TDCV), from 1 April 2023"

# Ofgem's TDCV bands are described as: low = flat or 1-bedroom house, medium = 2-3 bedrooms,
# high = 4 or more bedrooms; the questionnaire's home sizes map to them one to one.
GAS_KWH_BY_HOME_SIZE: dict[str, Typical] = {
    size: Typical("ofgem-tdcv-2023", kwh, "kWh/year", _OFGEM, f"gas, {band}", 2023, _OFGEM_URL)
    for size, band, kwh in (
        ("small", "low", 7_500.0),
        ("medium", "medium", 11_500.0),
        ("large", "high", 17_000.0),
    )
}
ELECTRICITY_KWH_BY_HOME_SIZE: dict[str, Typical] = {
    size: Typical(
        "ofgem-tdcv-2023",
        kwh,
        "kWh/year",
        _OFGEM,
        f"electricity profile class 1, {band}",
        2023,
        _OFGEM_URL,
    )
    for size, band, kwh in (
        ("small", "low", 1_800.0),
        ("medium", "medium", 2_700.0),
        ("large", "high", 4_100.0),
    )
}
US_ELECTRICITY_KWH = Typical(
    "eia-faq-97",
    10_715.0,
    "kWh/year",
    "US Energy Information Administration, FAQ 'How much electricity does an American home use?'",
    "average annual consumption of a U.S. residential utility customer, 2020",
    2020,
    "https://www.eia.gov/tools/faqs/faq.php?id=97&t=3",
)

# Heat delivered per kWh of gas in a typical boiler: a stated assumption (a condensing boiler's
# seasonal efficiency is commonly put near 85 %), used only to turn a typical gas use into the
# electricity an electric or heat-pump home would need for the same heat.
BOILER_EFFICIENCY = Typical(
    "assumption-boiler-85",
    0.85,
    "kWh heat per kWh gas",
    "CarbonTrack assumption (stated, not measured)",
    "seasonal efficiency of a typical gas boiler",
    2026,
    "docs/data-sources.md#baseline-questionnaire",
)
# Heat per kWh of electricity for a heat pump over a year: a stated assumption of 3 (a seasonal
# performance factor in the range UK and EU field trials report for air-source heat pumps).
HEAT_PUMP_SPF = Typical(
    "assumption-heat-pump-spf-3",
    3.0,
    "kWh heat per kWh electricity",
    "CarbonTrack assumption (stated, not measured)",
    "seasonal performance factor of an air-source heat pump",
    2026,
    "docs/data-sources.md#baseline-questionnaire",
)

CAR_KM_GB = Typical(
    "dft-nts-2013",
    7_900.0 * MILE_KM,
    "km/year",
    "UK Department for Transport, National Travel Survey 2013 (as reported by BBC News, 2014)",
    "average annual mileage of four-wheeled cars, England: 7,900 miles",
    2013,
    "https://www.bbc.co.uk/news/uk-england-28546589",
)
CAR_KM_US = Typical(
    "epa-typical-vehicle",
    11_500.0 * MILE_KM,
    "km/year",
    "US EPA, Greenhouse Gas Emissions from a Typical Passenger Vehicle",
    "a typical passenger vehicle drives about 11,500 miles a year",
    2023,
    "https://www.epa.gov/greenvehicles/greenhouse-gas-emissions-typical-passenger-vehicle",
)
BUS_KM_PER_WEEK = Typical(
    "dft-nts-2013",
    288.0 * MILE_KM / 52.0,
    "km/week",
    "UK Department for Transport, National Travel Survey 2013 (as reported by BBC News, 2014)",
    "distance travelled by bus per person: 288 miles a year",
    2013,
    "https://www.bbc.co.uk/news/uk-england-28546589",
)

# Representative one-way flight distances per DEFRA haul: a real route's WGS84 geodesic between
# the airports (airportsdata coordinates, domain.flights.great_circle_km) plus DEFRA's 8 % uplift.
_ROUTE_SOURCE = "great circle (airportsdata) + 8 % uplift (BEIS/DEFRA 2020 methodology)"
FLIGHT_KM_ONE_WAY: dict[str, Typical] = {
    haul: Typical(
        "carbontrack-representative-route",
        km,
        "km one way",
        _ROUTE_SOURCE,
        route,
        2020,
        "docs/data-sources.md#flights-by-route",
    )
    for haul, route, km in (
        ("domestic", "London Heathrow-Edinburgh, 534.2 km + 8 %", 576.9),
        ("short-haul", "London Heathrow-Madrid, 1,243.3 km + 8 %", 1_342.8),
        ("long-haul", "London Heathrow-New York JFK, 5,554.5 km + 8 %", 5_998.9),
    )
}

_SCARBOROUGH = (
    "Scarborough et al. (2014), Dietary greenhouse gas emissions of meat-eaters, fish-eaters, "
    "vegetarians and vegans in the UK, Climatic Change 125:179-192"
)
_SCARBOROUGH_URL = "https://doi.org/10.1007/s10584-014-1169-1"
# Age-and-sex-adjusted means for a 2,000 kcal diet, kg CO2e a day (the paper's abstract).
DIET_KG_PER_DAY: dict[str, Typical] = {
    diet: Typical(
        "scarborough-2014", kg, "kg CO2e/day", _SCARBOROUGH, group, 2014, _SCARBOROUGH_URL
    )
    for diet, group, kg in (
        ("vegan", "vegans", 2.89),
        ("vegetarian", "vegetarians", 3.81),
        ("pescatarian", "fish-eaters", 3.91),
        ("low_meat", "low meat-eaters (< 50 g meat a day)", 4.67),
        ("medium_meat", "medium meat-eaters (50-99 g a day)", 5.63),
        ("high_meat", "high meat-eaters (>= 100 g a day)", 7.19),
    )
}
DAYS_PER_YEAR = 365
