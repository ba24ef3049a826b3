"""The packaged activity catalogue maps every activity to a real factor, in a unit it accepts."""

from __future__ import annotations

from carbontrack.datasets import load_catalogue
from carbontrack.datasets.activities import activities_version, load_activities
from carbontrack.domain import units
from carbontrack.domain.activities import ROUTE_INPUT, rank, word_similarity
from carbontrack.domain.categories import CATEGORIES


def test_ids_are_unique_and_the_catalogue_is_versioned() -> None:
    ids = [a.activity_id for a in load_activities()]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 40
    assert activities_version() == "1"


def test_every_activity_logs_with_a_catalogue_factor_of_its_category() -> None:
    catalogue = load_catalogue()
    for activity in load_activities():
        assert activity.category in CATEGORIES
        if activity.input == ROUTE_INPUT:
            assert activity.factor_id is None
            continue
        assert activity.factor_id is not None
        assert activity.unit is not None
        factor = catalogue.get(activity.factor_id)
        assert factor is not None, activity.activity_id
        assert factor.category == activity.category, activity.activity_id
        # The default unit converts to the factor's (a mass for a mass, and so on).
        assert units.convert(1.0, from_unit=activity.unit, to_unit=factor.unit) > 0


def test_flights_are_logged_by_route() -> None:
    flight = next(a for a in load_activities() if a.activity_id == "flight")
    assert flight.input == ROUTE_INPUT
    assert {"plane", "flight", "fly", "airplane"} <= set(flight.synonyms)


def test_word_similarity_allows_typos_but_not_other_words() -> None:
    assert word_similarity("train", "train") == 1.0
    assert word_similarity("elec", "electricity") == 0.9  # a word being typed
    assert word_similarity("trian", "train") == 0.8  # difflib: 2 x 4 matching / 10 letters
    assert word_similarity("tram", "train") == 0.0  # 2 x 3 / 9 = 0.67: another word
    assert word_similarity("cycling", "recycling") == 0.0  # another first letter


def test_an_empty_query_lists_a_category_in_catalogue_order() -> None:
    heating = rank("", load_activities(), category="heating")
    assert heating[0].activity_id == "gas-heating"
    assert {a.category for a in heating} == {"heating"}
    assert rank("   ", load_activities()) == list(load_activities())
