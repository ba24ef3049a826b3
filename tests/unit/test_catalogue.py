"""The packaged factor catalogue: golden values from the published sources, structure, integrity."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re

import pytest

from carbontrack.datasets import Catalogue, build_catalogue, load_catalogue, manifest
from carbontrack.datasets.catalogue import PACKAGED_INPUTS
from carbontrack.domain.categories import CATEGORIES
from carbontrack.domain.models import Factor
from carbontrack.domain.units import canonical_unit, convert, unit_type

DEFRA = "defra:ghg-cf-2020:"
EPA = "epa:ghg-hub-2025:"
PETROL_CAR_ID = DEFRA + "passenger-vehicles.cars-by-size.average-car.petrol"


def factor(factor_id: str) -> Factor:
    found = load_catalogue().get(factor_id)
    assert found is not None, factor_id
    return found


# Golden rows: values as published in the DEFRA 2020 flat file, exact to its 5 decimals.
@pytest.mark.parametrize(
    ("factor_id", "unit", "value"),
    [
        (PETROL_CAR_ID, "km", 0.1743),
        (DEFRA + "uk-electricity.electricity-generated.electricity-uk", "kWh", 0.23314),
        (DEFRA + "fuels.gaseous-fuels.natural-gas.energy-gross-cv", "kWh", 0.18387),
        (
            DEFRA + "business-travel-air.flights.long-haul-to-from-uk.economy-class.with-rf",
            "km",
            0.14615,
        ),
        (
            DEFRA + "business-travel-air.flights.long-haul-to-from-uk.economy-class.without-rf",
            "km",
            0.07727,
        ),
        (DEFRA + "hotel-stay.hotel-stay.uk", "room_night", 15.7),
        (DEFRA + "business-travel-land.rail.national-rail", "km", 0.03694),
        (DEFRA + "water-supply.water-supply.water-supply", "m3", 0.344),
    ],
)
def test_defra_golden_values(factor_id: str, unit: str, value: float) -> None:
    found = factor(factor_id)
    assert (found.unit, found.co2e_kg_per_unit, found.year) == (unit, value, 2020)


def test_100_miles_in_an_average_petrol_car() -> None:
    car = factor(PETROL_CAR_ID)
    km = convert(100, from_unit="miles", to_unit=car.unit)
    assert km * car.co2e_kg_per_unit == pytest.approx(160.9344 * 0.1743, rel=1e-12)


def test_hotel_region_comes_from_the_country_name() -> None:
    assert factor(DEFRA + "hotel-stay.hotel-stay.france").region == "FR"
    assert factor(DEFRA + "hotel-stay.hotel-stay.china-hong-kong").region == "HK"
    assert factor(DEFRA + "hotel-stay.hotel-stay.uk-london").region == "GB"


def test_epa_natural_gas_is_per_scf_not_per_short_ton() -> None:
    gas = factor(EPA + "stationary-combustion.natural-gas.scf")
    assert (gas.unit, gas.unit_type) == ("scf", "volume")
    # EPA: 53.06 kg CO2/mmBtu x 0.001026 mmBtu/scf = 0.0544 kg CO2/scf, plus CH4 1.0 and
    # N2O 0.1 g/mmBtu at AR5 GWPs 28 and 265.
    expected = 53.06 * 0.001026 + (1.0 * 28 + 0.1 * 265) / 1000 * 0.001026
    assert gas.co2e_kg_per_unit == pytest.approx(expected, rel=2e-3)
    per_mmbtu = factor(EPA + "stationary-combustion.natural-gas.mmbtu")
    assert per_mmbtu.co2e_kg_per_unit == pytest.approx(53.06 + (28 + 0.1 * 265) / 1000)


def test_epa_per_unit_and_per_mmbtu_agree_through_heat_content() -> None:
    data = json.loads(manifest.read_verified(manifest.EPA_FILE))
    checked = 0
    for fuel in load_catalogue().factors_of("epa-ghg-hub-2025"):
        match = re.fullmatch(re.escape(EPA) + r"stationary-combustion\.(.+)\.mmbtu", fuel.factor_id)
        if match is None:
            continue
        per_unit = [
            f
            for f in load_catalogue().factors_of("epa-ghg-hub-2025")
            if f.factor_id.startswith(f"{EPA}stationary-combustion.{match[1]}.") and f != fuel
        ]
        assert len(per_unit) == 1
        heat = next(
            row["heat_content"]
            for name, row in data["stationary_combustion"].items()
            if fuel.source.endswith(f", {name}")
        )
        ratio = per_unit[0].co2e_kg_per_unit / fuel.co2e_kg_per_unit
        assert ratio == pytest.approx(heat, rel=5e-3), fuel.factor_id
        checked += 1
    assert checked >= 40


def test_epa_steam_fixes_the_shifted_columns() -> None:
    steam = factor(EPA + "steam-and-heat.mmbtu")
    assert steam.co2e_kg_per_unit == pytest.approx(66.33 + (1.25 * 28 + 0.125 * 265) / 1000)


def test_epa_transport_rows_left_out_repeat_business_travel_rows() -> None:
    data = json.loads(manifest.read_verified(manifest.EPA_FILE))
    business = {(r["vehicle_type"], r["unit"]): r for r in data["business_travel"]}
    repeated = [r for r in data["transportation"] if (r["vehicle_type"], r["unit"]) in business]
    assert len(repeated) == 2
    assert all(r == business[(r["vehicle_type"], r["unit"])] for r in repeated)


def test_epa_egrid_us_average_in_kg_per_kwh() -> None:
    average = factor(EPA + "egrid2023.us-average")
    lb_per_mwh = 771.523 + 0.057 * 28 + 0.008 * 265
    assert average.co2e_kg_per_unit == pytest.approx(lb_per_mwh * 0.45359237 / 1000)
    assert (average.region, average.year) == ("US", 2023)
    assert factor(EPA + "egrid2023.camx").region == "US-CAMX"


def test_epa_waste_is_metric_tons_per_short_ton() -> None:
    # Spot-check of the unit reading: EPA landfilled corrugated containers (1.00 t CO2e per
    # short ton) and DEFRA landfilled board (1,041.8 kg per tonne) must agree in magnitude.
    epa = factor(EPA + "waste.corrugated-containers.landfilled")
    defra = factor(DEFRA + "waste-disposal.paper.paper-and-board-board.landfill")
    epa_per_tonne = epa.co2e_kg_per_unit / convert(1, from_unit=epa.unit, to_unit="tonne")
    assert epa.co2e_kg_per_unit == 1000
    assert 0.5 < epa_per_tonne / defra.co2e_kg_per_unit < 2


def test_ember_values_are_kg_per_kwh() -> None:
    germany = factor("ember:grid-intensity:DEU")
    assert (germany.co2e_kg_per_unit, germany.year, germany.region) == (0.34206, 2024, "DEU")


def test_every_factor_is_well_formed() -> None:
    catalogue = load_catalogue()
    licences = {d.dataset_id: d.licence for d in catalogue.datasets}
    for f in catalogue.factors:
        provider, dataset, item = f.factor_id.split(":")
        assert f"{provider}-{dataset}" == f.dataset, f.factor_id
        assert re.fullmatch(r"[a-z0-9.-]+|[A-Z]{3}", item), f.factor_id
        assert f.category in CATEGORIES
        assert unit_type(f.unit) == f.unit_type, f.factor_id
        assert canonical_unit(f.unit) == f.unit, f.factor_id
        assert math.isfinite(f.co2e_kg_per_unit)
        assert f.co2e_kg_per_unit >= 0  # Ember's Central African Republic is 0 (hydro)
        assert f.activity
        assert f.region
        assert f.source
        # Poore & Nemecek's data describe 2010 (their median reference year); the rest 2020-2025.
        assert 2020 <= f.year <= 2025 or (f.dataset, f.year) == ("owid-poore-nemecek-2018", 2010)
        assert f.licence == licences[f.dataset]


def test_every_category_has_factors() -> None:
    categories = {f.category for f in load_catalogue().factors}
    assert categories == set(CATEGORIES)


def test_dataset_checksums_cover_the_shipped_files() -> None:
    for dataset in load_catalogue().datasets:
        inputs = PACKAGED_INPUTS[dataset.dataset_id]
        assert dataset.file in inputs
        listing = "".join(
            f"{hashlib.sha256(manifest.read_verified(path)).hexdigest()}  {path}\n"
            for path in sorted(inputs)
        )
        assert dataset.sha256 == hashlib.sha256(listing.encode()).hexdigest()


def test_altered_file_is_refused_with_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(manifest.SHA256, manifest.DEFRA_FILE, "0" * 64)
    with pytest.raises(RuntimeError, match=re.escape(manifest.DEFRA_FILE)):
        build_catalogue()


def test_load_catalogue_is_cached() -> None:
    assert load_catalogue() is load_catalogue()


def test_lookups() -> None:
    catalogue = load_catalogue()
    assert catalogue.get("defra:ghg-cf-2020:no-such-item") is None
    assert catalogue.factors_of("no-such-dataset") == []
    mine = catalogue.factors_of("defra-ghg-cf-2020")
    mine.clear()
    assert catalogue.factors_of("defra-ghg-cf-2020")


def test_duplicate_ids_are_rejected() -> None:
    catalogue = load_catalogue()
    with pytest.raises(ValueError, match="duplicate"):
        Catalogue(datasets=catalogue.datasets, factors=catalogue.factors[:1] * 2)


def defra_rows() -> list[dict[str, str]]:
    text = manifest.read_verified(manifest.DEFRA_FILE).decode()
    return list(csv.DictReader(io.StringIO(text)))


TWIN_COLUMNS = ("scope", "level_1", "level_2", "level_3", "level_4", "column_text")


def twin_key(row: dict[str, str]) -> tuple[str, ...]:
    return tuple(row[k] for k in TWIN_COLUMNS)


def test_dropped_miles_rows_equal_km_rows_times_1_609344() -> None:
    rows = defra_rows()
    km = {twin_key(r): r["factor_2020"] for r in rows if r["uom"] == "km"}
    miles = [r for r in rows if r["uom"] == "miles" and r["factor_2020"]]
    assert len(miles) > 200
    for row in miles:
        # Each value is rounded on its own at 5 decimals; the largest gap seen is 2.4e-5 kg.
        assert float(row["factor_2020"]) == pytest.approx(
            float(km[twin_key(row)]) * 1.609344, abs=4e-5
        ), twin_key(row)
    assert not [f for f in load_catalogue().factors_of("defra-ghg-cf-2020") if f.unit == "mile"]


def test_dropped_rows_duplicate_kept_ones() -> None:
    rows = defra_rows()
    gross = {twin_key(r)[:-1]: r["factor_2020"] for r in rows if r["uom"] == "kWh (Gross CV)"}
    cubic = {twin_key(r): r["factor_2020"] for r in rows if r["uom"] == "cubic metres"}
    net_rows = [r for r in rows if r["uom"] == "kWh (Net CV)" and r["factor_2020"]]
    assert len(net_rows) > 50
    for row in net_rows:
        # A kWh of net calorific value is a larger share of the fuel, so it emits more.
        assert float(row["factor_2020"]) > float(gross[twin_key(row)[:-1]]), twin_key(row)
    for row in (r for r in rows if r["uom"] == "million litres"):
        assert float(row["factor_2020"]) == pytest.approx(float(cubic[twin_key(row)]) * 1000)


def test_no_well_to_tank_or_transmission_rows() -> None:
    for f in load_catalogue().factors_of("defra-ghg-cf-2020"):
        assert "WTT" not in f.source
        assert "Transmission and distribution" not in f.source
        assert "Net CV" not in f.source
