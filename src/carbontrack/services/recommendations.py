"""Recommend reduction actions on the user's own numbers; commit to and complete them.

Listing reads the user's entries of the last 365 days (Query pages of 500), their baseline
(1 read) and their commitments (1 Query); factors come through the store's factor cache.
Which number each category's savings rest on is `domain.yearly_usage`'s rule. It is a read
path of its own, never part of an entry write.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from carbontrack.datasets.countries import load_country_regions
from carbontrack.domain import recommendations, yearly_usage
from carbontrack.domain.electricity import resolve_grid_factor
from carbontrack.domain.errors import NotFound
from carbontrack.domain.models import ActionCommitment, Entry, User
from carbontrack.domain.recommendations import FactorLookup, Recommendation
from carbontrack.domain.reduction_actions import BY_ID, CATALOGUE, with_ev
from carbontrack.services import achievements
from carbontrack.services import baseline as baselines
from carbontrack.store.base import Store

Status = Literal["committed", "completed"]
PAGE = 500
TYPICAL = (
    "Typical advice, not yet computed for you: without the questionnaire, and with less than "
    f"{yearly_usage.LITTLE_LOGGED_DAYS} days logged or nothing in the last "
    f"{recommendations.WINDOW_DAYS} days, there are no numbers of your own to compute a "
    "saving from. Answer the questionnaire at /start (about three minutes) to see what each "
    "action would save you."
)
NO_FACTORS = (
    "Not computed: CarbonTrack has no sourced way to put a number on this action yet, so it "
    "does not."
)
NOT_NOW = (
    "Not computed: nothing in your logs or your estimate is something this action changes, "
    "or its saving is under 1% of your yearly footprint."
)


@dataclass(frozen=True, slots=True)
class RecommendationItem:
    """One recommended action as the user sees it."""

    action_id: str
    title: str
    category: str
    effort: str
    estimated_savings_kg_per_year: float | None
    rationale: str
    general: bool
    typical: bool  # no numbers of the user's own: no baseline, little or nothing logged lately
    status: Status | None


def list_recommendations(
    *, store: Store, user: User, now: datetime, limit: int
) -> list[RecommendationItem]:
    """The user's best actions first, on their own numbers; labelled advice where none.

    Actions with a saving come first (kg a year, savings under 1% of the footprint hidden),
    then advice in catalogue order: actions with no sourced number, and those the user
    committed to that no longer apply. Without a baseline, and with under a month of logs or
    none lately, every action is typical advice inviting the questionnaire. Completed actions
    go to the end.
    """
    lookup = _lookup(store, user)
    entries = _entries_since(store, user, now - timedelta(days=yearly_usage.YEAR_DAYS))
    baseline = baselines.get_baseline(store=store, user=user)
    year = yearly_usage.year_of_usage(entries, baseline, lookup, now=now)
    commitments = {c.action_id: c for c in store.actions.list_for_user(user.user_id)}
    typical = year.little_logged or (baseline is None and not year.usages)
    if typical:
        found = [recommendations.general_advice(action, TYPICAL) for action in CATALOGUE]
    else:
        found = recommendations.recommend(
            CATALOGUE, year.usages, lookup, footprint_kg_per_year=year.footprint_kg_per_year
        )
        shown = {item.action.action_id for item in found}
        found += [
            recommendations.general_advice(a, NO_FACTORS if a.estimate is None else NOT_NOW)
            for a in CATALOGUE
            if a.action_id not in shown and (a.estimate is None or a.action_id in commitments)
        ]
    items = [_item(each, commitments.get(each.action.action_id), typical) for each in found]
    items.sort(key=lambda item: item.status == "completed")  # stable: keeps the ranking
    return items[:limit]


def commit(*, store: Store, user: User, action_id: str, now: datetime) -> ActionCommitment:
    """Commit to an action; committing again changes nothing. `NotFound` for an unknown id."""
    _check_action(action_id)
    existing = store.actions.get(user.user_id, action_id)
    if existing is not None:
        return existing
    commitment = ActionCommitment(user_id=user.user_id, action_id=action_id, committed_at=now)
    store.actions.put(commitment)
    return commitment


def complete(*, store: Store, user: User, action_id: str, now: datetime) -> ActionCommitment:
    """Mark an action done (committing to it first if need be); the first completion stays."""
    _check_action(action_id)
    existing = store.actions.get(user.user_id, action_id)
    if existing is not None and existing.completed_at is not None:
        return existing
    if existing is None:
        done = ActionCommitment(
            user_id=user.user_id, action_id=action_id, committed_at=now, completed_at=now
        )
    else:
        done = replace(existing, completed_at=now)
    store.actions.put(done)
    achievements.on_action_completed(store=store, user=user, now=now)
    return done


def status_of(commitment: ActionCommitment | None) -> Status | None:
    """completed, committed, or None when the user has not committed to the action."""
    if commitment is None:
        return None
    return "completed" if commitment.completed_at is not None else "committed"


def _check_action(action_id: str) -> None:
    if action_id not in BY_ID:
        raise NotFound(f"unknown action {action_id!r}", field="actionId")


def _lookup(store: Store, user: User) -> FactorLookup:
    """The store's factors, and an electric car on the user's own grid (their country's Ember
    intensity, resolved as grid-electricity entries are)."""
    grid, _ = resolve_grid_factor(user.country, store.factors.get, countries=load_country_regions())
    return with_ev(store.factors.get, grid)


def _entries_since(store: Store, user: User, since: datetime) -> list[Entry]:
    entries: list[Entry] = []
    cursor: str | None = None
    while True:
        page = store.entries.list_for_user(user.user_id, since=since, limit=PAGE, cursor=cursor)
        entries += page.items
        if page.next_cursor is None:
            return entries
        cursor = page.next_cursor


def _item(
    found: Recommendation, commitment: ActionCommitment | None, typical: bool
) -> RecommendationItem:
    action = found.action
    return RecommendationItem(
        action_id=action.action_id,
        title=action.title,
        category=action.category,
        effort=action.effort,
        estimated_savings_kg_per_year=found.savings_kg_per_year,
        rationale=found.rationale,
        general=found.general,
        typical=typical,
        status=status_of(commitment),
    )
