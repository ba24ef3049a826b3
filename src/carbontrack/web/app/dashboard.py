"""The dashboard at `/` for a signed-in user (a visitor gets the front door instead).

The route reads everything through `services.dashboard` and turns it into what the template
shows: labelled rows for the tables, and the same numbers as JSON for static/app/charts.js.
The trend switch is a set of links (`?trend=day|week|month`), so it works without JavaScript;
the daily trend covers the last 30 days, or 92 (`&days=92`) so a quarterly bill shows whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from carbontrack.api.deps import StoreDep
from carbontrack.domain import comparisons
from carbontrack.domain.periods import Period
from carbontrack.services import dashboard
from carbontrack.services.dashboard import Dashboard, TrendPoint
from carbontrack.web.app.session import PageUser
from carbontrack.web.app.templating import render

router = APIRouter()

DEFAULT_TREND: Period = "month"
DEFAULT_DAYS = dashboard.TREND_SPANS["day"]
TREND_TITLES: dict[Period, str] = {
    "day": "Daily, last {days} days",
    "week": "Weekly, last 12 weeks",
    "month": "Monthly, last 12 months",
}
TREND_SWITCH: dict[Period, str] = {"day": "Daily", "week": "Weekly", "month": "Monthly"}
USER_LABEL = "Your footprint"
BUDGET_LABEL = f"1.5 °C budget ({comparisons.BUDGET_KG_PER_YEAR / 1000:g} t a year)"


@dataclass(frozen=True, slots=True)
class TrendView:
    """One trend as the page shows it: rows for the table and a sentence for screen readers."""

    period: Period
    title: str
    rows: list[tuple[str, float, float]]  # label, your kg, budget kg
    summary: str


@dataclass(frozen=True, slots=True)
class CategoryRow:
    """One category of this month, with its share of the total."""

    category: str
    label: str
    co2e_kg: float
    share_percent: float


@router.get("/", response_class=HTMLResponse)
def dashboard_page(
    request: Request, user: PageUser, store: StoreDep, trend: str = DEFAULT_TREND, days: str = ""
) -> HTMLResponse:
    """This month's footprint, its trend and breakdown, goals, recommendations, achievements."""
    shown_days = _days(days)
    found = dashboard.dashboard(store=store, user=user, now=datetime.now(UTC), days=shown_days)
    selected = _period(trend)
    trends = [trend_view(period, points) for period, points in found.trends.items()]
    categories = category_rows(found)
    return render(
        request,
        "app/dashboard.html",
        dash=found,
        selected=selected,
        trends=trends,
        switch={
            period: (text, trend_href(period, shown_days)) for period, text in TREND_SWITCH.items()
        },
        days_switch=[(days, trend_href("day", days)) for days in dashboard.DAILY_SPANS],
        shown_days=shown_days,
        categories=categories,
        chart_data=chart_data(selected, trends, categories),
        updated=found.updated_at.astimezone(ZoneInfo(user.time_zone)),
        kg=kg,
        budget_label=BUDGET_LABEL,
    )


def trend_view(period: Period, points: list[TrendPoint]) -> TrendView:
    """Label each point and say in one sentence what the chart shows."""
    rows = [(_label(point, period), point.total_co2e_kg, point.budget_kg) for point in points]
    title = TREND_TITLES[period].format(days=len(points))
    total = sum(point.total_co2e_kg for point in points)
    if total == 0:
        summary = f"{title}: nothing logged in this range."
    else:
        label, most, _ = max(rows, key=lambda row: row[1])
        summary = (
            f"{title}: {kg(total)} kg CO2e in all, the most in {label} ({kg(most)} kg). "
            f"The 1.5 °C budget is about {kg(points[-1].budget_kg)} kg a {period}."
        )
    return TrendView(period=period, title=title, rows=rows, summary=summary)


def category_rows(found: Dashboard) -> list[CategoryRow]:
    """This month's categories with any kg, largest first."""
    total = found.month.total_co2e_kg
    ranked = sorted(found.month.by_category.items(), key=lambda item: (-item[1], item[0]))
    return [
        CategoryRow(
            category=category,
            label=category.capitalize(),
            co2e_kg=co2e_kg,
            share_percent=round(co2e_kg / total * 100, 1) if total else 0.0,
        )
        for category, co2e_kg in ranked
        if co2e_kg > 0
    ]


def chart_data(
    selected: Period, trends: list[TrendView], categories: list[CategoryRow]
) -> dict[str, Any]:
    """The numbers of the tables, as charts.js reads them from the page."""
    return {
        "trend": {
            "selected": selected,
            "userLabel": USER_LABEL,
            "budgetLabel": BUDGET_LABEL,
            "series": {
                view.period: {
                    "labels": [label for label, _, _ in view.rows],
                    "kg": [co2e_kg for _, co2e_kg, _ in view.rows],
                    "budgetKg": [budget for _, _, budget in view.rows],
                    "summary": view.summary,
                }
                for view in trends
            },
        },
        "categories": {
            "label": "This month",
            "labels": [row.label for row in categories],
            "kg": [row.co2e_kg for row in categories],
        },
    }


def trend_href(period: Period, days: int) -> str:
    """The switch's link to a trend; the daily one keeps its number of days unless the default."""
    more = f"&days={days}" if period == "day" and days != DEFAULT_DAYS else ""
    return f"?trend={period}{more}#trend"


def kg(value: float) -> str:
    """A mass of CO2e for people: thousands separated, one decimal."""
    return f"{value:,.1f}"


def _period(asked: str) -> Period:
    """The trend asked for in the address, or the default for anything else."""
    return next((period for period in TREND_TITLES if period == asked), DEFAULT_TREND)


def _days(asked: str) -> int:
    """The daily trend's days asked for in the address, or the default for anything else."""
    return next((days for days in dashboard.DAILY_SPANS if str(days) == asked), DEFAULT_DAYS)


def _label(point: TrendPoint, period: Period) -> str:
    if period == "month":
        return point.start.strftime("%b %Y")
    day = f"{point.start.day} {point.start:%b}"
    return f"w/c {day}" if period == "week" else day
