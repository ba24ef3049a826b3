"""The operations console's JSON API under /api/inventory: operators only.

Everyone else, signed in or not, gets the 404 of a path no route serves (`OperatorUser`), also
for a wrong method or a body that does not parse (ops/guard.py).
Routes are thin: parse, call one `ops.services` function, shape the answer (ops/schemas.py).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError

from carbontrack.api.deps import OperatorUser, SettingsDep, StoreDep
from carbontrack.ops import guard, runners, services
from carbontrack.ops import schemas as s

router = APIRouter(prefix=guard.API_PREFIX, tags=["inventory"])
REFRESH_BODY: TypeAdapter[s.RefreshIn | None] = TypeAdapter(s.RefreshIn | None)
# The body is read by `refresh_body`, not by FastAPI, so the document names it here.
REFRESH_OPENAPI: dict[str, Any] = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {"anyOf": [s.RefreshIn.model_json_schema(), {"type": "null"}]}
            }
        }
    }
}
RunnerDep = Annotated[services.Runner, Depends(runners.get_runner)]
ServiceQuery = Annotated[
    str | None, Query(min_length=1, max_length=40, description="One service; absent: all.")
]


def install(app: FastAPI) -> None:
    """Serve these routes, and give the app its refresh runner."""
    runners.attach(app)
    guard.install(app)
    app.include_router(router)


async def refresh_body(_: OperatorUser, request: Request) -> s.RefreshIn | None:
    """The refresh's JSON body (empty: none), read only once the caller is an operator.

    A body parameter is parsed by FastAPI before any dependency runs: a body that is not
    JSON would tell anyone with a 422 that the route exists.
    """
    raw = await request.body()
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError as bad:  # JSONDecodeError, or bytes that are not UTF-8
        error = {"type": "json_invalid", "loc": ("body", getattr(bad, "pos", 0))}
        raise RequestValidationError([{**error, "msg": "JSON decode error"}]) from None
    try:
        return REFRESH_BODY.validate_python(data)
    except ValidationError as invalid:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in invalid.errors()]
        raise RequestValidationError(errors) from None


@router.post(
    "/refresh",
    status_code=202,
    response_model=s.RefreshTriggered,
    openapi_extra=REFRESH_OPENAPI,
)
def trigger_refresh(
    _: OperatorUser,
    store: StoreDep,
    settings: SettingsDep,
    runner: RunnerDep,
    body: Annotated[s.RefreshIn | None, Depends(refresh_body)],
    service: ServiceQuery = None,
    accounts: Annotated[
        str | None,
        Query(
            max_length=13 * s.MAX_ACCOUNTS,
            pattern=r"^\d{12}(,\d{12})*$",
            description="Comma-separated account ids; absent: every account inventoried.",
        ),
    ] = None,
) -> s.RefreshTriggered:
    """Start a refresh (the body's fields, else the query's); follow it in `/metadata`."""
    if body is not None:
        service, chosen = body.service, tuple(body.accounts or ())
    else:
        chosen = tuple(accounts.split(",")) if accounts else ()
    run = services.trigger_refresh(
        store=store, settings=settings, service=service, accounts=chosen, runner=runner
    )
    return s.RefreshTriggered(
        message="Refresh triggered", service=run.service or "all", run_id=run.run_id
    )


@router.get("/metadata", response_model=s.MetadataOut)
def get_metadata(_: OperatorUser, store: StoreDep, service: ServiceQuery = None) -> s.MetadataOut:
    """When the inventory was last updated, each scope's state, and the latest refresh."""
    return s.metadata_out(services.metadata(store=store, service=service))


@router.get("", response_model=s.ResourcePage)
def list_inventory(
    _: OperatorUser,
    store: StoreDep,
    service: ServiceQuery = None,
    account: Annotated[str | None, Query(pattern=r"^\d{12}$")] = None,
    region: Annotated[str | None, Query(min_length=1, max_length=30)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
) -> s.ResourcePage:
    """Stored resources by service, account, region and id; pass `nextCursor` as `cursor`."""
    page = services.inventory(
        store=store, service=service, account_id=account, region=region, limit=limit, cursor=cursor
    )
    return s.ResourcePage(
        items=[s.resource_out(r) for r in page.items], next_cursor=page.next_cursor
    )


@router.get("/findings", response_model=s.FindingList)
def list_findings(_: OperatorUser, store: StoreDep, settings: SettingsDep) -> s.FindingList:
    """What the stored inventory shows an operator should look at, most severe first."""
    found = services.findings(store=store, settings=settings)
    return s.FindingList(findings=[s.finding_out(f) for f in found])


@router.get("/cost", response_model=s.CostOut)
def get_cost(_: OperatorUser, store: StoreDep) -> s.CostOut:
    """Cost Explorer's month-to-date and last month, and estimates where it has none."""
    return s.cost_out(services.cost(store=store))
