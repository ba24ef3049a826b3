"""The operations console's page, /ops: operators only, everyone else the 404 of an unknown path.

Rendered on the server from the same `ops.services` as the API; ops.js adds the refresh
without a reload (POST /api/inventory/refresh, then polling /api/inventory/metadata). Without
JavaScript the Refresh form posts to /ops/refresh, which starts the run and comes back here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.exceptions import HTTPException

from carbontrack.api.deps import SettingsDep, StoreDep
from carbontrack.domain.errors import Conflict
from carbontrack.domain.models import User
from carbontrack.ops import cost as cost_module
from carbontrack.ops import guard, runners, services
from carbontrack.ops.cost import CostReport
from carbontrack.ops.model import ScopeStatus
from carbontrack.web.app import session
from carbontrack.web.app.templating import render

router = APIRouter(include_in_schema=False)
PAGE = guard.PAGE
MAX_SERVICE = 40  # characters of the form's service name


def install(app: FastAPI) -> None:
    """Serve the page, and give the app its refresh runner."""
    runners.attach(app)
    guard.install(app)
    app.include_router(router)


def page_operator(request: Request) -> User:
    """The signed-in operator; anyone else gets the 404 of a path no route serves."""
    user = session.current_user(request)
    if user is None or not user.operator:
        raise HTTPException(status_code=404)  # not a login redirect: that would tell it exists
    return user


PageOperator = Annotated[User, Depends(page_operator)]


async def form_service(_: PageOperator, request: Request) -> str:
    """The form's service ("": every one), read only once the visitor is an operator.

    A `Form` parameter is parsed before any dependency runs: its 422 would tell anyone
    that the route exists.
    """
    service = (await request.form()).get("service", "")
    if isinstance(service, str) and len(service) <= MAX_SERVICE:
        return service
    msg = f"a service name of at most {MAX_SERVICE} characters, not a file"
    raise RequestValidationError([{"type": "value_error", "loc": ("body", "service"), "msg": msg}])


FormService = Annotated[str, Depends(form_service)]
RunnerDep = Annotated[services.Runner, Depends(runners.get_runner)]


@dataclass(frozen=True, slots=True)
class Place:
    """One account and region: how many resources are stored, and what failed there."""

    account_id: str
    region: str
    resources: int
    services: int
    failed: tuple[str, ...]  # "service: error"


@dataclass(frozen=True, slots=True)
class CostSummary:
    """The page's three figures (USD): billed so far this month and last month, and the
    monthly estimate for the accounts Cost Explorer has no figures for."""

    month_to_date: Decimal
    last_month: Decimal
    estimate: Decimal


def places(statuses: Iterable[ScopeStatus]) -> list[Place]:
    """Resource counts by account and region, the cost scopes left out."""
    grouped: dict[tuple[str, str], list[ScopeStatus]] = defaultdict(list)
    for status in statuses:
        if status.scope.service != cost_module.SERVICE:
            grouped[(status.scope.account_id, status.scope.region)].append(status)
    return [
        Place(
            account_id=account_id,
            region=region,
            resources=sum(s.resource_count for s in group),
            services=len(group),
            failed=tuple(f"{s.scope.service}: {s.error}" for s in group if s.state == "failed"),
        )
        for (account_id, region), group in sorted(grouped.items())
    ]


def cost_summary(report: CostReport) -> CostSummary:
    """Sum the report's lines by period, and its estimates that have a figure."""
    by_period: dict[str, Decimal] = defaultdict(Decimal)
    for line in report.lines:
        by_period[line.period] += line.amount_usd
    estimate = sum((e.monthly_usd for e in report.estimates if e.monthly_usd), Decimal(0))
    return CostSummary(by_period["month-to-date"], by_period["last-month"], estimate)


@router.get(PAGE, response_class=HTMLResponse)
def ops_page(
    request: Request, _: PageOperator, store: StoreDep, settings: SettingsDep
) -> HTMLResponse:
    """Findings first, then the inventory by account and region, cost and the refresh."""
    meta = services.metadata(store=store)
    report = services.cost(store=store)
    return render(
        request,
        "ops/ops.html",
        meta=meta,
        findings=services.findings(store=store, settings=settings),
        places=places(meta.scopes),
        report=report,
        cost=cost_summary(report),
        services=services.KNOWN_SERVICES,
    )


@router.post(f"{PAGE}/refresh")
def refresh_form(
    request: Request,
    _: PageOperator,
    __: session.CsrfChecked,
    store: StoreDep,
    settings: SettingsDep,
    runner: RunnerDep,
    service: FormService,
) -> RedirectResponse:
    """Start a refresh (the page without JavaScript), then back to /ops; "" is every service."""
    try:
        services.trigger_refresh(
            store=store, settings=settings, service=service or None, runner=runner
        )
        session.flash(request, "Refresh started. Reload this page to follow it.")
    except Conflict as busy:
        session.flash(request, f"Not started: {busy.message}.", level="error")
    return RedirectResponse(PAGE, status_code=303)
