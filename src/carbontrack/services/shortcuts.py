"""One-click shortcuts on the log page: the activities a user logged recently and most often.

Both lists come from one read, the user's latest `LOOKBACK_ENTRIES` entries (one Query on
DynamoDB), so the log page costs the same for a user with ten entries or ten thousand.
"Most often" therefore means most often among those entries, and the page says so. No table
of favourites is kept: the user's own history already tells which activities they repeat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from carbontrack.domain.models import Entry, User
from carbontrack.store.base import Store

LOOKBACK_ENTRIES = 200
SHOWN = 5
MIN_USES = 2  # once is not a habit: an activity logged once is only "recent"


@dataclass(frozen=True, slots=True)
class Shortcut:
    """An activity to log again, prefilled as the user last logged it."""

    factor_id: str  # the id the user chose (keeps "grid electricity in my country")
    activity: str
    category: str
    quantity: float  # of the latest entry with this factor
    unit: str
    uses: int  # entries with this factor among those read


@dataclass(frozen=True, slots=True)
class Shortcuts:
    """Recent (newest first) and most-used (most uses first) activities."""

    recent: list[Shortcut]
    most_used: list[Shortcut]


def for_user(*, store: Store, user: User) -> Shortcuts:
    """The user's recent and most-used activities, from their latest entries."""
    page = store.entries.list_for_user(user.user_id, limit=LOOKBACK_ENTRIES)
    return rank(page.items)


def rank(entries: Sequence[Entry]) -> Shortcuts:
    """Shortcuts from entries given newest first."""
    latest: dict[str, Entry] = {}
    uses: dict[str, int] = {}
    for entry in entries:
        factor_id = entry.factor.requested_factor_id or entry.factor.factor_id
        latest.setdefault(factor_id, entry)
        uses[factor_id] = uses.get(factor_id, 0) + 1
    shortcuts = [
        _shortcut(factor_id, entry, uses[factor_id]) for factor_id, entry in latest.items()
    ]
    # sorted() is stable: equal counts keep the most recently logged first.
    most_used = sorted((s for s in shortcuts if s.uses >= MIN_USES), key=lambda s: -s.uses)
    return Shortcuts(recent=shortcuts[:SHOWN], most_used=most_used[:SHOWN])


def _shortcut(factor_id: str, entry: Entry, uses: int) -> Shortcut:
    return Shortcut(
        factor_id=factor_id,
        activity=entry.activity,
        category=entry.category,
        quantity=entry.quantity,
        unit=entry.unit,
        uses=uses,
    )
