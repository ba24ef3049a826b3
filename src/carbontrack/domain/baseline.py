"""The baseline footprint: a questionnaire's answers -> kg CO2e a year by category. Pure.

Each line names the catalogue factor (and dataset) it used and its assumption in plain words;
an "I don't know" is answered by a cited typical value (domain/baseline_typical.py). The
method and every source are in docs/data-sources.md ("Baseline questionnaire").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from carbontrack.domain import baseline_typical as typ
from carbontrack.domain.baseline_model import UNKNOWN, BaselineLine
from carbontrack.domain.baseline_questions import distance_km, number
from carbontrack.domain.electricity import CountryRegions, resolve_grid_factor
from carbontrack.domain.flights import Haul, factor_id_for
from carbontrack.domain.models import Factor

GetFactor = Callable[[str], Factor | None]

NOTES: tuple[str, ...] = (
    "The 1.5 °C budget of 2.5 t a year covers a person's whole consumption footprint; this "
    "estimate counts home energy, car, bus, train, flights and diet only, not purchases, "
    "services or public services.",
    "Home energy is shared equally by the people who live in the home.",
    'Typical values stand in where you answered "I don\'t know"; each line says which.',
)
_DEFRA = "defra:ghg-cf-2020:"
_HEATING_FACTORS: dict[str, str] = {
    "gas": _DEFRA + "fuels.gaseous-fuels.natural-gas.energy-gross-cv",
    "oil": _DEFRA + "fuels.liquid-fuels.burning-oil.energy-gross-cv",
    "lpg": _DEFRA + "fuels.gaseous-fuels.lpg.energy-gross-cv",
    "district": _DEFRA + "heat-and-steam.heat-and-steam.district-heat-and-steam",
    "wood": _DEFRA + "bioenergy.biomass.wood-logs.kwh",
}
_ELECTRIC_HEATING = ("electric", "heat_pump")
_BUS = _DEFRA + "business-travel-land.bus.average-local-bus"
_RAIL = _DEFRA + "business-travel-land.rail.national-rail"
_FLIGHT_HAULS: dict[str, Haul] = {
    "flights_domestic": "domestic",
    "flights_short_haul": "short-haul",
    "flights_long_haul": "long-haul",
}
WEEKS_PER_YEAR = 52


def estimate(
    answers: Mapping[str, str],
    *,
    country: str | None,
    get_factor: GetFactor,
    countries: Mapping[str, CountryRegions],
) -> tuple[BaselineLine, ...]:
    """Return the yearly lines for validated answers (baseline_questions.validate)."""
    people = int(number(answers["household_size"], question_id="household_size"))
    grid, _ = resolve_grid_factor(country, get_factor, countries=countries)
    lines = [
        *_heating(answers, people=people, grid=grid, get_factor=get_factor),
        _electricity(answers, people=people, grid=grid, country=country),
        *_car(answers, country=country, get_factor=get_factor),
        *_public_transport(answers, get_factor=get_factor),
        *_flights(answers, get_factor=get_factor),
        _diet(answers["diet"]),
    ]
    return tuple(line for line in lines if line.co2e_kg_per_year > 0.0)


def _factor(get_factor: GetFactor, factor_id: str) -> Factor:
    """Return a shipped factor; a missing one is a packaging bug, not user input."""
    factor = get_factor(factor_id)
    if factor is None:
        raise LookupError(f"the catalogue lacks {factor_id}")
    return factor


def _line(
    category: str, kg: float, assumption: str, factor: Factor | None, *, typical: bool
) -> BaselineLine:
    """Build a line, naming its factor and dataset."""
    return BaselineLine(
        category=category,
        co2e_kg_per_year=kg,
        assumption=assumption,
        factor_id=factor.factor_id if factor else None,
        dataset=factor.dataset if factor else None,
        typical=typical,
    )


def _share(people: int) -> str:
    """Say how a home's energy is shared, e.g. '2 people: half'."""
    return "1 person: all of it" if people == 1 else f"{people} people: 1/{people} each"


def _typical_heat_kwh(answers: Mapping[str, str]) -> tuple[float, str]:
    """A typical home's gas use for its size (Ofgem TDCV), and the words saying so."""
    size = answers["home_size"]
    gas = typ.GAS_KWH_BY_HOME_SIZE[size]
    return gas.value, f"a typical {size} UK home's gas use ({gas.source}, {gas.table})"


def _heating(
    answers: Mapping[str, str], *, people: int, grid: Factor, get_factor: GetFactor
) -> list[BaselineLine]:
    """Home heating: kWh of fuel x its factor, shared by the household."""
    fuel = answers["heating_fuel"]
    if fuel == "none":
        return []
    typical = answers["heating_kwh"] == UNKNOWN
    if typical:
        kwh, basis = _typical_heat_kwh(answers)
        kwh, basis = _as_fuel(fuel, kwh, basis)
    else:
        kwh = number(answers["heating_kwh"], question_id="heating_kwh")
        basis = "your answer"
    factor = grid if fuel in _ELECTRIC_HEATING else _factor(get_factor, _HEATING_FACTORS[fuel])
    kg = kwh / people * factor.co2e_kg_per_unit
    assumption = (
        f"{fuel.replace('_', ' ')} heating, {kwh:,.0f} kWh a year ({basis}); {_share(people)}: "
        f"{kwh / people:,.0f} kWh at {factor.co2e_kg_per_unit:g} kg/kWh"
    )
    return [_line("heating", kg, assumption, factor, typical=typical)]


def _as_fuel(fuel: str, gas_kwh: float, basis: str) -> tuple[float, str]:
    """Turn a typical gas use into the same heat from another fuel (stated assumptions)."""
    if fuel not in _ELECTRIC_HEATING:
        return gas_kwh, basis + ", the same kWh of fuel"
    heat = gas_kwh * typ.BOILER_EFFICIENCY.value
    basis += f" x {typ.BOILER_EFFICIENCY.value:g} boiler efficiency = {heat:,.0f} kWh of heat"
    if fuel == "electric":
        return heat, basis + ", direct electric heating"
    spf = typ.HEAT_PUMP_SPF.value
    return heat / spf, basis + f", / heat pump SPF {spf:g}"


def _electricity(
    answers: Mapping[str, str], *, people: int, grid: Factor, country: str | None
) -> BaselineLine:
    """Household electricity (not heating) at the country's grid intensity, shared."""
    typical = answers["electricity_kwh"] == UNKNOWN
    if typical:
        kwh, basis = _typical_electricity(answers["home_size"], country)
    else:
        kwh, basis = number(answers["electricity_kwh"], question_id="electricity_kwh"), "yours"
    kg = kwh / people * grid.co2e_kg_per_unit
    assumption = (
        f"electricity {kwh:,.0f} kWh a year ({basis}); {_share(people)}: {kwh / people:,.0f} kWh "
        f"at {grid.co2e_kg_per_unit:g} kg/kWh ({grid.activity})"
    )
    return _line("electricity", kg, assumption, grid, typical=typical)


def _typical_electricity(home_size: str, country: str | None) -> tuple[float, str]:
    """A typical household's electricity: EIA for the US, Ofgem otherwise (stated)."""
    code = (country or "").upper()
    if code == "US":
        value = typ.US_ELECTRICITY_KWH
        return value.value, f"typical US household, {value.source}"
    value = typ.ELECTRICITY_KWH_BY_HOME_SIZE[home_size]
    where = "UK" if code == "GB" else f"UK figure used for {code or 'no country'}: no cited figure"
    return value.value, f"typical {home_size} home, {where}, {value.source}"


def _car(
    answers: Mapping[str, str], *, country: str | None, get_factor: GetFactor
) -> list[BaselineLine]:
    """The car: km a year x DEFRA's per-vehicle-km factor for its fuel and size."""
    fuel = answers["car_fuel"]
    if fuel == "none":
        return []
    size = answers["car_size"]
    factor = _factor(get_factor, _car_factor_id(fuel, size))
    km_typical = answers["car_distance"] == UNKNOWN
    if km_typical:
        cited = typ.CAR_KM_US if (country or "").upper() == "US" else typ.CAR_KM_GB
        km, basis = cited.value, f"typical: {cited.table} ({cited.source})"
    else:
        km, basis = distance_km(answers["car_distance"], question_id="car_distance"), "yours"
    assumption = (
        f"{factor.activity}: {km:,.0f} km a year ({basis}) at {factor.co2e_kg_per_unit:g} kg/km, "
        "counted whole as if you drive alone"
    )
    typical = km_typical or UNKNOWN in (fuel, size)
    return [_line("transport", km * factor.co2e_kg_per_unit, assumption, factor, typical=typical)]


def _car_factor_id(fuel: str, size: str) -> str:
    """DEFRA's cars-by-size row; 'unknown' fuel and size are DEFRA's own averages."""
    size_slug = "average-car" if size == UNKNOWN else f"{size}-car"
    if fuel == "electric":  # DEFRA 2020 publishes battery-electric rows for average and large
        size_slug = "large-car" if size == "large" else "average-car"
        return f"{_DEFRA}uk-electricity-for-evs.cars-by-size.{size_slug}.battery-electric-vehicle"
    return f"{_DEFRA}passenger-vehicles.cars-by-size.{size_slug}.{fuel}"


def _public_transport(answers: Mapping[str, str], *, get_factor: GetFactor) -> list[BaselineLine]:
    """Bus and train: km a week x 52 x DEFRA's per-passenger-km factor."""
    lines = []
    for qid, factor_id, mode in (("bus_km_week", _BUS, "bus"), ("rail_km_week", _RAIL, "train")):
        typical = answers[qid] == UNKNOWN  # offered for the bus only (rail has no cited figure)
        if typical:
            week, basis = typ.BUS_KM_PER_WEEK.value, f"typical: {typ.BUS_KM_PER_WEEK.table}"
        else:
            week, basis = number(answers[qid], question_id=qid), "yours"
        factor = _factor(get_factor, factor_id)
        km = week * WEEKS_PER_YEAR
        assumption = (
            f"{mode}: {week:,.1f} km a week ({basis}) x {WEEKS_PER_YEAR} = {km:,.0f} km at "
            f"{factor.co2e_kg_per_unit:g} kg/passenger-km"
        )
        lines.append(
            _line("transport", km * factor.co2e_kg_per_unit, assumption, factor, typical=typical)
        )
    return lines


def _flights(answers: Mapping[str, str], *, get_factor: GetFactor) -> list[BaselineLine]:
    """Return flights by haul: trips x 2 x a representative route's km x DEFRA's factor (RF)."""
    lines = []
    for qid, haul in _FLIGHT_HAULS.items():
        trips = int(number(answers[qid], question_id=qid))
        factor = _factor(get_factor, factor_id_for(haul, "average", radiative_forcing=True))
        route = typ.FLIGHT_KM_ONE_WAY[haul]
        km = trips * 2 * route.value
        assumption = (
            f"{trips} {haul} return flight(s) x 2 x {route.value:,.1f} km ({route.table}) = "
            f"{km:,.0f} km at {factor.co2e_kg_per_unit:g} kg/passenger-km, average passenger, "
            "with radiative forcing"
        )
        lines.append(
            _line("flights", km * factor.co2e_kg_per_unit, assumption, factor, typical=False)
        )
    return lines


def _diet(diet: str) -> BaselineLine:
    """Diet: a cited study's daily footprint for the diet type x 365."""
    cited = typ.DIET_KG_PER_DAY[diet]
    kg = cited.value * typ.DAYS_PER_YEAR
    assumption = (
        f"{cited.table}: {cited.value:g} kg CO2e a day x {typ.DAYS_PER_YEAR} ({cited.source})"
    )
    return BaselineLine("food", kg, assumption, None, cited.source_id, typical=False)
