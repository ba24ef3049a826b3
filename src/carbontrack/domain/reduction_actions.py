"""The catalogue of reduction actions, each with its rule and its saving. Pure.

Every number comes from a catalogue factor through the footprint engine; the only other
numbers are the share of an activity an action changes (stated in each rationale) and the
thermostat's 10 %, a widely quoted rule of thumb that the rationale labels as an assumption.
The electric car runs on the user's own grid (`ev_on_grid`): DEFRA 2020's kWh/km times the
Ember intensity of their country. Effort (low, medium, high) is shown, not weighed.
Left out on purpose:
- a renewable electricity tariff: our data has grid averages only, no factor for a
  renewable or zero-rated supply, and we do not invent one;
- food: no food factors exist in our data, so the food action is general advice, no number.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from carbontrack.domain.models import Factor
from carbontrack.domain.recommendations import (
    Action,
    Estimate,
    FactorLookup,
    Usage,
    cited,
    cut,
    figure,
    swap,
)

DEFRA = "defra:ghg-cf-2020:"
EPA = "epa:ghg-hub-2025:"
CARS = (DEFRA + "passenger-vehicles.cars-by-", EPA + "business-travel.passenger-car.")
PLUG_IN = ".plug-in-hybrid-electric-vehicle"
RAIL = {
    DEFRA: DEFRA + "business-travel-land.rail.national-rail",
    EPA: EPA + "business-travel.intercity-rail-national-average.passenger-mile",
}
BUS = {
    DEFRA: DEFRA + "business-travel-land.bus.average-local-bus",
    EPA: EPA + "business-travel.bus.passenger-mile",
}
EV = {DEFRA: DEFRA + "uk-electricity-for-evs.cars-by-size.average-car.battery-electric-vehicle"}
UK_GRID_2020 = DEFRA + "uk-electricity.electricity-generated.electricity-uk"
# Not a catalogue id: the service's lookup answers it with `ev_on_grid` for the user's grid.
EV_ON_YOUR_GRID = "carbontrack:ev-on-your-grid"
SHORT_FLIGHTS = (
    DEFRA + "business-travel-air.flights.domestic-to-from-uk.",
    DEFRA + "business-travel-air.flights.short-haul-to-from-uk.",
    EPA + "business-travel.air-travel-short-haul-300-miles.",
)
PREMIUM_CABINS = (".business-class.", ".first-class.", ".premium-economy-class.")
NEW_MATERIAL = "primary-material-production"
NEW_CLOTHING = DEFRA + "material-use.other.clothing." + NEW_MATERIAL
THERMOSTAT_CUT = 0.10  # assumption: ~10 % less heating energy per 1 degC lower
CAR_TO_RAIL_SHARE = 0.40
CAR_TO_BUS_SHARE = 0.25
CAR_SHARE_SHARE = 0.25  # of car km driven with one more person, who then bears half
HALF = 0.50  # of landfilled waste recycled or composted, of new materials bought otherwise

Share = float | Callable[[Sequence[Usage]], float]


@dataclass(frozen=True, slots=True)
class Rule:
    """When an action applies (`matches`) and what it changes: a swap, or a cut if no targets.

    `did` and `change` are the rationale's two sentences; `{quantity}` is the total of the
    matching usages in `unit`, `{moved}` the part the action changes. A usage whose factor
    has an `unless` counterpart in the catalogue is left to another action.
    """

    matches: Callable[[str], bool]
    targets: Callable[[str], Sequence[str]] | None
    share: Share
    unit: str | None
    did: str
    change: str
    note: str = ""
    category: str | None = None
    unless: Callable[[str], Sequence[str]] | None = None

    def _applies(self, usage: Usage, lookup: FactorLookup) -> bool:
        if self.category is not None and usage.category != self.category:
            return False
        if not self.matches(usage.factor_id):
            return False
        return self.unless is None or not any(map(lookup, self.unless(usage.factor_id)))

    def __call__(self, usages: Sequence[Usage], lookup: FactorLookup) -> Estimate | None:
        """This rule's saving for `usages`, or None if it does not apply."""
        picked = [u for u in usages if self._applies(u, lookup)]
        share = self.share(picked) if callable(self.share) else self.share
        if self.targets is None:
            outcome = cut(picked, lookup, matches=self.matches, fraction=share, unit=self.unit)
        else:
            outcome = swap(
                picked,
                lookup,
                matches=self.matches,
                counterparts=self.targets,
                share=share,
                unit=self.unit,
            )
        if outcome is None or (self.unit is not None and outcome.quantity is None):
            return None
        saving = outcome.saving_kg
        quantity = outcome.quantity or 0.0
        sources = "; ".join(map(cited, outcome.factors))
        basis = picked[0].basis  # one category's usages share one basis
        text = (
            f"{self.did.format(quantity=figure(quantity))} {picked[0].period} "
            f"({figure(outcome.co2e_kg)} kg CO2e). "
            f"{self.change.format(moved=figure(share * quantity))} would save about "
            f"{figure(saving)} kg CO2e a year{f' ({sources})' if sources else ''}.{self.note}"
            f"{f' {basis}' if basis else ''}"
        )
        return Estimate(saving, text)


def _by_dataset(targets: dict[str, str]) -> Callable[[str], Sequence[str]]:
    return lambda factor_id: [t for p, t in targets.items() if factor_id.startswith(p)]


def _last_part(pairs: dict[str, tuple[str, ...]]) -> Callable[[str], Sequence[str]]:
    """Counterparts of a factor id: the same item with its last part replaced."""

    def counterparts(factor_id: str) -> Sequence[str]:
        stem, _, last = factor_id.rpartition(".")
        return [f"{stem}.{new}" for new in pairs.get(last, ())]

    return counterparts


def ev_on_grid(lookup: FactorLookup, grid: Factor) -> Factor | None:
    """An average battery-electric car charged from `grid`, per km.

    Its kWh/km is DEFRA 2020's: the average BEV's kg CO2e/km over the UK grid factor the
    same table used (0.05274 / 0.23314 = 0.2262 kWh/km); times the grid's kg CO2e/kWh.
    """
    ev, uk = lookup(EV[DEFRA]), lookup(UK_GRID_2020)
    if ev is None or uk is None or grid.unit != "kWh":
        return None
    kwh_per_km = ev.co2e_kg_per_unit / uk.co2e_kg_per_unit
    return Factor(
        factor_id=EV_ON_YOUR_GRID,
        category="transport",
        activity="Average battery-electric car on your grid, per km",
        unit="km",
        unit_type="distance",
        co2e_kg_per_unit=kwh_per_km * grid.co2e_kg_per_unit,
        region=grid.region,
        source=(
            f"{kwh_per_km:.4f} kWh/km (BEIS/DEFRA 2020 average battery-electric car) x "
            f"{grid.co2e_kg_per_unit:g} kg CO2e/kWh ({grid.source})"
        ),
        dataset=grid.dataset,
        year=grid.year,
        licence=grid.licence,
    )


def with_ev(lookup: FactorLookup, grid: Factor) -> FactorLookup:
    """`lookup`, answering `EV_ON_YOUR_GRID` with an electric car charged from `grid`."""
    ev = ev_on_grid(lookup, grid)
    return lambda factor_id: ev if factor_id == EV_ON_YOUR_GRID else lookup(factor_id)


def _ev(factor_id: str) -> Sequence[str]:
    # The user's own grid first; without one (a lookup that does not know it), the UK's.
    return [EV_ON_YOUR_GRID, *_by_dataset(EV)(factor_id)]


def _is_car(factor_id: str) -> bool:
    return factor_id.startswith(CARS) and not factor_id.endswith(PLUG_IN)


def _economy(factor_id: str) -> Sequence[str]:
    return [factor_id.replace(c, ".economy-class.") for c in PREMIUM_CABINS if c in factor_id]


def _one_return_a_year(flights: Sequence[Usage]) -> float:
    # Two of the user's average legs a year (an entry is taken to be one leg), never more
    # than all of their short-haul flying.
    legs_per_year = sum(u.entries * u.per_year for u in flights)
    return min(1.0, 2 / legs_per_year) if legs_per_year else 0.0


def _landfill(factor_id: str) -> bool:
    return factor_id.endswith((".landfill", ".landfilled"))


_RECYCLED = _last_part({"landfill": ("closed-loop", "open-loop"), "landfilled": ("recycled",)})
_COMPOSTED = _last_part(
    {"landfill": ("composting", "anaerobic-digestion"), "landfilled": ("composted",)}
)

_DROVE = "You drove {quantity} km by car"
_LANDFILLED = "You sent {quantity} kg of waste to landfill"
_BOUGHT = "You bought {quantity} kg of new materials"


CATALOGUE: tuple[Action, ...] = (
    Action(
        "car-to-rail", "Take the train for some car trips", "transport", "medium",
        "Moving longer car journeys to the train cuts their emissions by most of the way.",
        Rule(_is_car, _by_dataset(RAIL), CAR_TO_RAIL_SHARE, "km", _DROVE,
             "Moving 40% of it ({moved} km) to national rail"),
    ),
    Action(
        "car-to-bus", "Take the bus for some car trips", "transport", "medium",
        "A bus seat emits less per km than driving alone.",
        Rule(_is_car, _by_dataset(BUS), CAR_TO_BUS_SHARE, "km", _DROVE,
             "Moving 25% of it ({moved} km) to the bus"),
    ),
    Action(
        "car-share", "Share car journeys", "transport", "low",
        "Sharing a car journey with one more person halves each person's share of it.",
        Rule(_is_car, None, CAR_SHARE_SHARE / 2, "km", _DROVE,
             "Sharing 25% of those km with one passenger, who then bears half of them,"),
    ),
    Action(
        "car-to-ev", "Switch to an electric car", "transport", "high",
        "A battery-electric car on grid power emits less per km than a combustion car.",
        Rule(_is_car, _ev, 1.0, "km", _DROVE,
             "Driving the same km in an average battery-electric car",
             " The car's manufacture is not counted."),
    ),
    Action(
        "flight-to-rail", "Replace a short-haul return flight by rail", "flights", "medium",
        "For short-haul and domestic trips, rail emits a fraction of flying per passenger km.",
        Rule(lambda fid: fid.startswith(SHORT_FLIGHTS), _by_dataset(RAIL), _one_return_a_year,
             "km", "You flew {quantity} km on short-haul or domestic flights",
             "Taking the train for one return trip a year ({moved} km: two of your average "
             "flights)"),
    ),
    Action(
        "fly-economy", "Fly economy instead of premium cabins", "flights", "low",
        "A premium seat takes more of the plane, so it carries more of its emissions.",
        Rule(lambda fid: bool(_economy(fid)), _economy, 1.0, "km",
             "You flew {quantity} km in premium cabins", "Flying the same km in economy"),
    ),
    Action(
        "thermostat-1c", "Turn the thermostat down 1 °C", "home-energy", "low",
        "Heating to a slightly lower temperature uses less fuel.",
        Rule(lambda fid: True, None, THERMOSTAT_CUT, None, "You burned heating fuel",
             "Setting the thermostat 1 °C lower",
             " This assumes 1 °C lower cuts heating energy by 10%, a widely quoted rule of "
             "thumb, not a measured factor: the real cut depends on the home and the weather.",
             category="heating"),
    ),
    Action(
        "recycle-waste", "Recycle instead of landfill", "waste", "low",
        "Recycled materials emit far less than the same waste left in landfill.",
        Rule(_landfill, _RECYCLED, HALF, "kg", _LANDFILLED,
             "Recycling half of it ({moved} kg)"),
    ),
    Action(
        "compost-food-waste", "Compost food and garden waste", "waste", "low",
        "Food and garden waste in landfill gives off methane; composted, far less.",
        # Paper and wood can go either way; they are left to recycling.
        Rule(_landfill, _COMPOSTED, HALF, "kg", _LANDFILLED,
             "Composting half of it ({moved} kg)", unless=_RECYCLED),
    ),
    Action(
        "buy-recycled", "Buy recycled-content materials", "purchases", "medium",
        "Recycled-content materials take less energy to make than new ones.",
        Rule(lambda fid: fid.endswith(NEW_MATERIAL) and fid != NEW_CLOTHING,
             _last_part({NEW_MATERIAL: ("closed-loop-source",)}), HALF, "kg", _BOUGHT,
             "Buying half of it ({moved} kg) with recycled content"),
    ),
    Action(
        "buy-second-hand", "Buy clothes second-hand", "purchases", "low",
        "Re-used clothing avoids almost all the emissions of making new clothes.",
        Rule(lambda fid: fid == NEW_CLOTHING, _last_part({NEW_MATERIAL: ("re-used",)}), HALF,
             "kg", "You bought {quantity} kg of new clothing",
             "Buying half of it ({moved} kg) second-hand"),
    ),
    Action(
        "plant-based-meals", "Eat more plant-based meals", "food", "medium",
        "Plant-based meals generally have a lower footprint than meat-heavy ones.", None,
    ),
)  # fmt: skip
BY_ID: dict[str, Action] = {action.action_id: action for action in CATALOGUE}
