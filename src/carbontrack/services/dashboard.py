"""What the dashboard shows a signed-in user, composed from the stats, goals, recommendations
and achievements services.

This month's figures and the three trend series (30 or 92 days, 12 weeks, 12 months) come from
one `rollups.month_totals` read over the last 12 months, summed by the stats service exactly as
`GET /api/stats` sums them; the other parts are the services the API routes call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from carbontrack.domain import comparisons, periods
from carbontrack.domain.baseline_model import Baseline
from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.models import User
from carbontrack.domain.periods import Period
from carbontrack.services import achievements, baseline, goals, recommendations, stats
from carbontrack.services.achievements import AchievementBoard, AchievementStatus
from carbontrack.services.goals import TrackedGoal
from carbontrack.services.recommendations import RecommendationItem
from carbontrack.services.stats import Stats
from carbontrack.store.base import Store

TOP_RECOMMENDATIONS = 3
RECENT_ACHIEVEMENTS = 3
# How far back each trend looks, in its own periods (the current one included).
TREND_SPANS: dict[Period, int] = {"day": 30, "week": 12, "month": 12}
# The daily trend's choices: a month, or 92 days (the longest calendar quarter, Jul-Sep or
# Oct-Dec) so any quarterly bill shows whole.
DAILY_SPANS = (30, 92)
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One bar of a trend: the user's kg and the 1.5 °C budget pro-rated to the same days."""

    start: date
    end: date  # inclusive
    total_co2e_kg: float
    budget_kg: float


@dataclass(frozen=True, slots=True)
class CategoryEstimate:
    """One category this month: the baseline's estimate next to what is logged.

    `share_so_far_kg` is the baseline's share of the month's days so far; the budget check
    counts the larger of it and the logged kg (`counted_kg`), so a category logged only
    partly (one trip) is not taken for the whole of it.
    """

    category: str
    estimated_month_kg: float  # the baseline a year / 12
    logged_kg: float  # logged this month so far
    share_so_far_kg: float

    @property
    def counted_kg(self) -> float:
        """What the budget check counts for this category."""
        return max(self.logged_kg, self.share_so_far_kg)

    @property
    def from_baseline(self) -> bool:
        """True when the baseline's share, not the logs, is counted."""
        return self.share_so_far_kg > self.logged_kg


@dataclass(frozen=True, slots=True)
class BudgetCheck:
    """This month so far against the 1.5 °C budget, with the baseline filling in the logs."""

    rows: list[CategoryEstimate]
    budget_so_far_kg: float  # the 2.5 t a year pro-rated to the days so far

    @property
    def counted_kg(self) -> float:
        """The month so far: per category, the larger of logged and the baseline's share."""
        return sum(row.counted_kg for row in self.rows)

    @property
    def percent(self) -> float:
        """The counted kg as a percentage of the budget for the same days."""
        return self.counted_kg / self.budget_so_far_kg * 100


@dataclass(frozen=True, slots=True)
class Dashboard:
    """A user's dashboard at `updated_at`; `month` is this calendar month in their time zone."""

    updated_at: datetime
    today: date
    entry_count: int
    month: Stats
    trends: dict[Period, list[TrendPoint]]
    goals: list[TrackedGoal]
    recommendations: list[RecommendationItem]
    achievements: AchievementBoard
    recent_achievements: list[AchievementStatus]
    baseline: Baseline | None = None
    budget_check: BudgetCheck | None = None  # with a baseline only

    @property
    def days_so_far(self) -> int:
        """Days of this month up to and including today."""
        return (self.today - self.month.start).days + 1

    @property
    def daily_average_kg(self) -> float:
        """This month's kg per day so far."""
        return self.month.total_co2e_kg / self.days_so_far


def dashboard(
    *, store: Store, user: User, now: datetime, days: int = TREND_SPANS["day"]
) -> Dashboard:
    """Everything the dashboard shows, read once for `user` at `now`; `days` of daily trend."""
    today = periods.local_day(now, user.time_zone)
    start, stop = stats.resolve_range(period="month", start=None, end=None, today=today)
    previous = stats.same_days_before(start, today=today, period="month")
    ranges = {period: trend_range(today, period, days=days) for period in TREND_SPANS}
    earliest = min(previous[0], *(first for first, _ in ranges.values()))
    totals = store.rollups.month_totals(user.user_id, periods.month_keys(earliest, stop))
    country, notes = stats.country_benchmark(user.country)
    month = stats.summarize(
        totals,
        period="month",
        start=start,
        stop=stop,
        previous=previous,
        country=country,
        notes=notes,
    )
    board = achievements.list_achievements(store=store, user=user, now=now)
    found = baseline.get_baseline(store=store, user=user)
    return Dashboard(
        updated_at=now,
        today=today,
        entry_count=store.rollups.entry_count(user.user_id),
        month=month,
        trends={
            period: _trend(stats.series(totals, first, last, period))
            for period, (first, last) in ranges.items()
        },
        goals=goals.list_goals(store=store, user=user),
        recommendations=recommendations.list_recommendations(
            store=store, user=user, now=now, limit=TOP_RECOMMENDATIONS
        ),
        achievements=board,
        recent_achievements=recent(board.items),
        baseline=found,
        budget_check=None if found is None else budget_check(found, month, today=today),
    )


def budget_check(found: Baseline, month: Stats, *, today: date) -> BudgetCheck:
    """Compare the month so far with the budget, the baseline standing in for missing logs.

    The baseline and the budget are pro-rated to the same days (`month.start` to today,
    inclusive), so the percentage does not depend on how far into the month we are.
    """
    stop = today + _ONE_DAY
    yearly = found.by_category()
    logged = {category for category, kg in month.by_category.items() if kg > 0}
    rows = [
        CategoryEstimate(
            category=category,
            estimated_month_kg=yearly.get(category, 0.0) / 12,
            logged_kg=month.by_category.get(category, 0.0),
            share_so_far_kg=comparisons.prorate(yearly.get(category, 0.0), month.start, stop),
        )
        for category in sorted(set(yearly) | logged)
    ]
    budget = comparisons.prorate(comparisons.BUDGET_KG_PER_YEAR, month.start, stop)
    return BudgetCheck(rows=rows, budget_so_far_kg=budget)


def trend_range(
    today: date, period: Period, *, days: int = TREND_SPANS["day"]
) -> tuple[date, date]:
    """The half-open range of a trend: its last `TREND_SPANS` periods (`days` days), to today."""
    if period == "day":
        if days not in DAILY_SPANS:
            raise InvalidInput(f"Show {' or '.join(map(str, DAILY_SPANS))} days.", field="days")
        return today - _ONE_DAY * (days - 1), today + _ONE_DAY
    first = periods.shift(periods.period_start(today, period), period, 1 - TREND_SPANS[period])
    return first, periods.period_end(today, period)


def recent(items: list[AchievementStatus]) -> list[AchievementStatus]:
    """The user's latest earned achievements, newest first."""
    earned = [(item.earned_at, item) for item in items if item.earned_at is not None]
    earned.sort(key=lambda pair: (pair[0], pair[1].points), reverse=True)
    return [item for _, item in earned[:RECENT_ACHIEVEMENTS]]


def _trend(points: list[stats.SeriesPoint]) -> list[TrendPoint]:
    return [
        TrendPoint(
            start=point.start,
            end=point.end,
            total_co2e_kg=point.total_co2e_kg,
            budget_kg=round(
                comparisons.prorate(
                    comparisons.BUDGET_KG_PER_YEAR, point.start, point.end + _ONE_DAY
                ),
                3,
            ),
        )
        for point in points
    ]
