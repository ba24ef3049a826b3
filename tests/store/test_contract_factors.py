"""Contract: factor datasets load, reload, and look-ups by id and category."""

from __future__ import annotations

import pytest

from carbontrack.domain.errors import AlreadyExists, InvalidInput
from carbontrack.store.base import Store
from tests.store.factories import make_dataset, make_factor


def test_nothing_loaded(store: Store) -> None:
    assert store.factors.datasets() == []
    assert store.factors.get("defra:defra-2020:anything") is None
    assert store.factors.list_by_category("transport") == []


def test_replace_dataset_then_get_and_datasets(store: Store) -> None:
    dataset = make_dataset()
    car = make_factor(co2e_kg_per_unit=0.1 + 0.2)
    store.factors.replace_dataset(dataset, [car, make_factor()])
    assert store.factors.datasets() == [dataset]
    assert store.factors.get(car.factor_id) == car


def test_list_by_category_is_ordered_by_activity(store: Store) -> None:
    bus = make_factor(activity="bus")
    train = make_factor(activity="train")
    car = make_factor(activity="car")
    power = make_factor(category="home", activity="electricity", unit="kWh", unit_type="energy")
    store.factors.replace_dataset(make_dataset(), [train, power, bus, car])
    assert store.factors.list_by_category("transport") == [bus, car, train]
    assert store.factors.list_by_category("home") == [power]
    assert store.factors.list_by_category("food") == []


def test_reload_replaces_the_datasets_factors(store: Store) -> None:
    kept, dropped = make_factor(activity="car"), make_factor(activity="bus")
    store.factors.replace_dataset(make_dataset(sha256="1" * 64), [kept, dropped])
    changed = make_factor(factor_id=kept.factor_id, activity="car", co2e_kg_per_unit=0.2)
    added = make_factor(activity="tram")
    reloaded = make_dataset(sha256="2" * 64)

    store.factors.replace_dataset(reloaded, [changed, added])

    assert store.factors.datasets() == [reloaded]
    assert store.factors.get(dropped.factor_id) is None
    assert store.factors.get(kept.factor_id) == changed
    assert store.factors.list_by_category("transport") == [changed, added]


def test_reload_leaves_other_datasets_alone(store: Store) -> None:
    old_ds, new_ds = make_dataset(dataset_id="defra-2019"), make_dataset(dataset_id="defra-2020")
    old = make_factor(dataset="defra-2019", activity="car")
    store.factors.replace_dataset(old_ds, [old])
    store.factors.replace_dataset(new_ds, [make_factor(dataset="defra-2020", activity="bus")])
    store.factors.replace_dataset(new_ds, [])
    assert store.factors.datasets() == [old_ds, new_ds]
    assert store.factors.list_by_category("transport") == [old]


def test_factor_of_another_dataset_is_rejected(store: Store) -> None:
    with pytest.raises(InvalidInput):
        store.factors.replace_dataset(make_dataset(), [make_factor(dataset="ember-2023")])
    assert store.factors.datasets() == []


def test_failed_reload_keeps_the_previous_load(store: Store) -> None:
    dataset = make_dataset()
    loaded = [make_factor(), make_factor()]
    store.factors.replace_dataset(dataset, loaded)
    repeated = make_factor()
    with pytest.raises(AlreadyExists):
        store.factors.replace_dataset(make_dataset(sha256="f" * 64), [repeated, repeated])
    assert store.factors.datasets() == [dataset]
    assert [store.factors.get(f.factor_id) for f in loaded] == loaded
    assert store.factors.get(repeated.factor_id) is None


def test_checksums_name_only_the_loaded_datasets_asked_for(store: Store) -> None:
    first = make_dataset(dataset_id="defra-2020", sha256="a" * 64)
    second = make_dataset(dataset_id="epa-2025", sha256="b" * 64)
    store.factors.replace_dataset(first, [make_factor(dataset="defra-2020")])
    store.factors.replace_dataset(second, [])
    assert store.factors.checksums([]) == {}
    assert store.factors.checksums(["defra-2020", "ember-2024"]) == {"defra-2020": "a" * 64}
    assert store.factors.checksums(["epa-2025", "defra-2020"]) == {
        "defra-2020": "a" * 64,
        "epa-2025": "b" * 64,
    }
    store.factors.replace_dataset(make_dataset(dataset_id="epa-2025", sha256="c" * 64), [])
    assert store.factors.checksums(["epa-2025"]) == {"epa-2025": "c" * 64}
