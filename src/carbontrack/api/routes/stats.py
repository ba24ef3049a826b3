"""The signed-in user's footprint statistics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from carbontrack.api.deps import SignedIn, StoreDep
from carbontrack.api.params import Day
from carbontrack.api.responses import model_response
from carbontrack.api.schemas_stats import StatsOut
from carbontrack.domain.periods import Period
from carbontrack.services import accounts, stats

router = APIRouter(prefix="/api/stats", tags=["stats"])


@router.get("", response_model=StatsOut)
def read_stats(
    signed_in: SignedIn,
    store: StoreDep,
    period: Period = "month",
    from_: Annotated[Day | None, Query(alias="from")] = None,
    to: Day | None = None,
) -> Response:
    """Totals, a series per period, the trend and benchmarks for a range of your local days.

    `from` and `to` are ISO dates, both inclusive; without them, the current period.
    """
    user = accounts.signed_in_user(store=store, claims=signed_in)  # a hot route: one thread hop
    found = stats.get_stats(store=store, user=user, period=period, start=from_, end=to)
    return model_response(StatsOut, found)
