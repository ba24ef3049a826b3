"""The log page's shortcuts: recent activities and the most used ones, from entries newest first."""

from __future__ import annotations

from tests.store.factories import make_entry, make_factor_used

from carbontrack.domain.models import Entry
from carbontrack.services.shortcuts import SHOWN, rank

CAR = "defra:ghg-cf-2020:car"
BUS = "defra:ghg-cf-2020:bus"
GRID_LOCAL = "ember:grid-intensity:local"


def entry(factor_id: str, quantity: float = 1.0, *, requested: str | None = None) -> Entry:
    factor = make_factor_used(factor_id=factor_id, requested_factor_id=requested)
    return make_entry(factor=factor, activity=f"activity {factor_id}", quantity=quantity)


def test_recent_lists_each_activity_once_newest_first_with_its_latest_quantity() -> None:
    newest_first = [entry(BUS, 3), entry(CAR, 12), entry(BUS, 5)]
    shortcuts = rank(newest_first)
    assert [(s.factor_id, s.quantity, s.uses) for s in shortcuts.recent] == [
        (BUS, 3, 2),
        (CAR, 12, 1),
    ]


def test_most_used_needs_two_uses_and_ranks_by_count_then_recency() -> None:
    newest_first = [
        entry("a"),
        entry("b"),
        entry("c"),
        entry("b"),
        entry("c"),
        entry("a"),
        entry("c"),
    ]
    most_used = rank(newest_first).most_used
    assert [(s.factor_id, s.uses) for s in most_used] == [("c", 3), ("a", 2), ("b", 2)]


def test_a_single_use_is_not_most_used() -> None:
    assert rank([entry(CAR), entry(BUS)]).most_used == []


def test_lists_are_short() -> None:
    many = [entry(f"factor-{n}") for n in range(SHOWN + 3)] * 2
    shortcuts = rank(many)
    assert len(shortcuts.recent) == SHOWN
    assert len(shortcuts.most_used) == SHOWN


def test_the_factor_asked_for_is_kept_so_grid_electricity_follows_the_profile() -> None:
    resolved = entry("ember:grid-intensity:DEU", requested=GRID_LOCAL)
    assert rank([resolved]).recent[0].factor_id == GRID_LOCAL


def test_no_entries_no_shortcuts() -> None:
    shortcuts = rank([])
    assert shortcuts.recent == []
    assert shortcuts.most_used == []
