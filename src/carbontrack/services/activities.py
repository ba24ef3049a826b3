"""Everyday activities: search them (then raw factors, for experts), and log one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from carbontrack.datasets.activities import load_activities
from carbontrack.domain.activities import ROUTE_INPUT, Activity, rank
from carbontrack.domain.categories import CATEGORIES
from carbontrack.domain.errors import InvalidInput, NotFound
from carbontrack.domain.models import Factor
from carbontrack.services import factors
from carbontrack.services.entries import EntryInput
from carbontrack.store.base import Store


@dataclass(frozen=True, slots=True)
class ActivitySearch:
    """Activities first, then the raw factors that contain every word; categories to browse."""

    items: list[Activity]
    factors: list[Factor]
    categories: tuple[str, ...]


def search(
    *, store: Store, q: str = "", category: str | None = None, limit: int = 20
) -> ActivitySearch:
    """Activities matching `q` best first (typos allowed), then raw factors, up to `limit` each."""
    factors.check_category(category)
    found = rank(q, load_activities(), category=category)[:limit]
    raw = factors.search(store=store, q=q, category=category, limit=limit) if q.strip() else []
    return ActivitySearch(items=found, factors=raw, categories=CATEGORIES)


def get(*, activity_id: str) -> Activity:
    """One activity; `NotFound` if the id is unknown."""
    for activity in load_activities():
        if activity.activity_id == activity_id:
            return activity
    raise NotFound(f"unknown activity {activity_id!r}")


def entry_input(
    *,
    activity_id: str,
    quantity: float,
    unit: str | None = None,
    timestamp: datetime | None = None,
    note: str | None = None,
) -> EntryInput:
    """What logging `quantity` of an activity means: its factor, in its unit unless given."""
    try:
        activity = get(activity_id=activity_id)
    except NotFound:
        raise InvalidInput(f"unknown activity {activity_id!r}", field="activityId") from None
    if activity.input == ROUTE_INPUT or activity.factor_id is None or activity.unit is None:
        raise InvalidInput(
            f"activity {activity_id!r} is logged by route: send `route` instead",
            field="activityId",
        )
    return EntryInput(
        factor_id=activity.factor_id,
        quantity=quantity,
        unit=unit or activity.unit,
        timestamp=timestamp,
        note=note,
        activity_id=activity.activity_id,
    )
