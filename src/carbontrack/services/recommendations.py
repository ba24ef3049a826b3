"""Recommend reduction actions from the user's last 90 days; commit to and complete them.

Listing reads the user's entries of the last 90 days (Query pages of 500) and their
commitments (1 Query); factors come through the store's factor cache. It is a read path
of its own, never part of an entry write.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

from carbontrack.domain import recommendations
from carbontrack.domain.errors import NotFound
from carbontrack.domain.models import ActionCommitment, Entry, User
from carbontrack.domain.recommendations import Recommendation
from carbontrack.domain.reduction_actions import BY_ID, CATALOGUE
from carbontrack.services import achievements
from carbontrack.store.base import Store

Status = Literal["committed", "completed"]
PAGE = 500
NO_DATA = (
    "General advice, not computed for you: you have logged nothing in the last "
    f"{recommendations.WINDOW_DAYS} days, so there is nothing to compute a saving from. "
    "Log your travel, heating, waste and purchases to see your own numbers."
)
NO_FACTORS = (
    "General advice: CarbonTrack has no sourced emission factors for this yet, so it does "
    "not put a number on it."
)
NOT_NOW = (
    "General advice: nothing you logged in the last "
    f"{recommendations.WINDOW_DAYS} days is something this action changes."
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
    status: Status | None


def list_recommendations(
    *, store: Store, user: User, now: datetime, limit: int
) -> list[RecommendationItem]:
    """The user's best actions first; general advice, labelled, where nothing can be computed.

    Actions computed from the user's entries come first (ranked by effort-weighted saving),
    then general advice in catalogue order: actions with no sourced factor, and those the
    user committed to that no longer apply. Completed actions go to the end.
    """
    usages = recommendations.summarise(_recent_entries(store, user, now))
    commitments = {c.action_id: c for c in store.actions.list_for_user(user.user_id)}
    if usages:
        found = recommendations.recommend(CATALOGUE, usages, store.factors.get)
        shown = {item.action.action_id for item in found}
        found += [
            recommendations.general_advice(a, NO_FACTORS if a.estimate is None else NOT_NOW)
            for a in CATALOGUE
            if a.action_id not in shown and (a.estimate is None or a.action_id in commitments)
        ]
    else:
        found = [recommendations.general_advice(action, NO_DATA) for action in CATALOGUE]
    items = [_item(each, commitments.get(each.action.action_id)) for each in found]
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


def _recent_entries(store: Store, user: User, now: datetime) -> list[Entry]:
    since = now - timedelta(days=recommendations.WINDOW_DAYS)
    entries: list[Entry] = []
    cursor: str | None = None
    while True:
        page = store.entries.list_for_user(user.user_id, since=since, limit=PAGE, cursor=cursor)
        entries += page.items
        if page.next_cursor is None:
            return entries
        cursor = page.next_cursor


def _item(found: Recommendation, commitment: ActionCommitment | None) -> RecommendationItem:
    action = found.action
    return RecommendationItem(
        action_id=action.action_id,
        title=action.title,
        category=action.category,
        effort=action.effort,
        estimated_savings_kg_per_year=found.savings_kg_per_year,
        rationale=found.rationale,
        general=found.general,
        status=status_of(commitment),
    )
