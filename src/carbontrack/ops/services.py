"""The operations console's use cases: refresh, findings, cost and the inventory listing.

Keyword-only functions over a store and the settings; the CLI, the API and the collector
Lambda call these and nothing below them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from carbontrack.domain.errors import Conflict, InvalidInput
from carbontrack.domain.models import Page
from carbontrack.ops import cost as cost_module
from carbontrack.ops import findings as findings_module
from carbontrack.ops import refresh as refresh_module
from carbontrack.ops.accounts import reach
from carbontrack.ops.collectors import SERVICES
from carbontrack.ops.model import (
    Account,
    Finding,
    RefreshOutcome,
    RefreshRequest,
    RefreshRun,
    Resource,
    RunState,
    ScopeStatus,
)
from carbontrack.settings import Settings
from carbontrack.store.base import Store
from carbontrack.store.dynamodb.tables import TABLES

PAGE = 500  # resources per store page when a use case reads the whole inventory
INVENTORY_SERVICES = tuple(service.name for service in SERVICES)
KNOWN_SERVICES = (*INVENTORY_SERVICES, cost_module.SERVICE)
# A run still "running" this long after it started has crashed (a Lambda is stopped at 15
# minutes): it no longer blocks a new refresh.
STALE_RUN = timedelta(minutes=15)
PROGRESS_STEPS = 20  # a run's progress is written at most this many times (+ the first)
ACCOUNT_ID = re.compile(r"\d{12}")
Clock = Callable[[], datetime]


def refresh_request(
    *,
    settings: Settings,
    services: Sequence[str] = (),
    regions: Sequence[str] = (),
    role_arns: Sequence[str] | None = None,
    account_ids: Sequence[str] = (),
) -> RefreshRequest:
    """The request for the current account plus the configured (or given) roles.

    `account_ids` keeps only those accounts; naming the current account's id costs one STS call.
    """
    unknown = sorted(set(services) - set(KNOWN_SERVICES))
    if unknown:
        raise InvalidInput(f"unknown service {unknown[0]!r}; known: {', '.join(KNOWN_SERVICES)}")
    arns = settings.inventory_role_arns if role_arns is None else tuple(role_arns)
    external_id = settings.inventory_external_id
    accounts = (Account(), *(Account(arn, external_id) for arn in dict.fromkeys(arns)))
    if account_ids:
        accounts = tuple(a for a in accounts if _account_id(a, settings) in set(account_ids))
    return RefreshRequest(accounts=accounts, regions=tuple(regions), services=tuple(services))


def _account_id(account: Account, settings: Settings) -> str:
    if account.role_arn is not None:
        return account.role_arn.split(":")[4]
    return reach(account, region=settings.primary_region).account_id


def refresh(
    *,
    store: Store,
    settings: Settings,
    request: RefreshRequest,
    progress: refresh_module.ProgressFn | None = None,
) -> RefreshOutcome:
    """Collect every scope of `request` into the store; failures are recorded, never raised."""
    plan = refresh_module.plan(
        request, regions=settings.inventory_region_names, primary_region=settings.primary_region
    )
    return refresh_module.run(
        inventory=store.inventory,
        request=request,
        plan_=plan,
        workers=settings.inventory_workers,
        progress=progress,
    )


def findings(*, store: Store, settings: Settings) -> list[Finding]:
    """What the stored inventory shows an operator should look at, most severe first."""
    prefix = settings.dynamodb_table_prefix
    return findings_module.find(
        resources=list(_all(store, INVENTORY_SERVICES)),
        primary_region=settings.primary_region,
        table_names=[spec.name(prefix) for spec in TABLES],
        deployment_prefix=prefix,
    )


def cost(*, store: Store) -> cost_module.CostReport:
    """Cost Explorer's stored figures, and an estimate for the accounts it has none for."""
    return cost_module.report(
        cost=_all(store, (cost_module.SERVICE,)), inventory=_all(store, INVENTORY_SERVICES)
    )


def inventory(
    *,
    store: Store,
    service: str | None = None,
    account_id: str | None = None,
    region: str | None = None,
    limit: int = 100,
    cursor: str | None = None,
) -> Page[Resource]:
    """One page of stored resources, optionally of one service, account and region."""
    if service is not None and service not in KNOWN_SERVICES:
        raise InvalidInput(f"unknown service {service!r}", field="service")
    return store.inventory.list_resources(
        services=(service,) if service else INVENTORY_SERVICES,
        account_id=account_id,
        region=region,
        limit=limit,
        cursor=cursor,
    )


def _all(store: Store, services: Sequence[str]) -> Iterator[Resource]:
    """Every stored resource of `services`, page by page."""
    cursor: str | None = None
    while True:
        page = store.inventory.list_resources(services=services, limit=PAGE, cursor=cursor)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


class Runner(Protocol):
    """Carries out a started run: on a thread here, or by invoking the collector Lambda."""

    def __call__(self, run: RefreshRun, accounts: tuple[str, ...]) -> None: ...


def _now() -> datetime:
    return datetime.now(UTC)


def trigger_refresh(
    *,
    store: Store,
    settings: Settings,
    service: str | None,
    accounts: Sequence[str] = (),
    runner: Runner,
    clock: Clock = _now,
) -> RefreshRun:
    """Start a refresh of `service` (None: all) and hand it to `runner`.

    `Conflict` while another refresh runs; `InvalidInput` for an unknown service or account.
    """
    _check_service(service)
    _check_accounts(settings, accounts)
    started = clock()
    run = RefreshRun(run_id=uuid.uuid4().hex, service=service, started_at=started)
    if not store.inventory_runs.start(run, stale_before=started - STALE_RUN):
        raise Conflict("a refresh is already running")
    try:
        runner(run, tuple(accounts))
    except BaseException:
        store.inventory_runs.finish(run.run_id, state="failed", failed=0, finished_at=clock())
        raise
    return run


def _check_service(service: str | None) -> None:
    if service is not None and service not in KNOWN_SERVICES:
        known = ", ".join(KNOWN_SERVICES)
        raise InvalidInput(f"unknown service {service!r}; known: {known}", field="service")


def _check_accounts(settings: Settings, accounts: Sequence[str]) -> None:
    """Each id is 12 digits and an account the inventory reaches (the current one costs STS)."""
    for account_id in accounts:
        if not ACCOUNT_ID.fullmatch(account_id):
            raise InvalidInput(f"{account_id!r} is not a 12-digit account id", field="accounts")
    known = {arn.split(":")[4] for arn in settings.inventory_role_arns}
    if set(accounts) - known:
        known.add(_account_id(Account(), settings))
    unknown = sorted(set(accounts) - known)
    if unknown:
        raise InvalidInput(f"account {unknown[0]} is not inventoried", field="accounts")


def run_refresh(
    *,
    store: Store,
    settings: Settings,
    run_id: str,
    service: str | None,
    accounts: Sequence[str] = (),
    clock: Clock = _now,
) -> RefreshOutcome:
    """Carry out a started run, writing its progress and outcome (also the collector's entry).

    The run ends "failed" when the refresh raised or no scope could be collected.
    """
    runs = store.inventory_runs
    try:
        request = refresh_request(
            settings=settings, services=(service,) if service else (), account_ids=accounts
        )
        outcome = refresh(
            store=store, settings=settings, request=request, progress=_reporter(store, run_id)
        )
    except Exception:
        runs.finish(run_id, state="failed", failed=0, finished_at=clock())
        raise
    failed = len(outcome.failed)
    state: RunState = "failed" if outcome.statuses and failed == len(outcome.statuses) else "ok"
    runs.finish(run_id, state=state, failed=failed, finished_at=outcome.finished_at)
    return outcome


def _reporter(store: Store, run_id: str) -> refresh_module.ProgressFn:
    """A progress callback writing the run's counts at most `PROGRESS_STEPS` + 1 times."""
    written = -1

    def report(done: int, total: int, _scope: object) -> None:
        nonlocal written
        step = done * PROGRESS_STEPS // max(total, 1)
        if step != written:
            written = step
            store.inventory_runs.progress(run_id, done=done, total=total)

    return report


@dataclass(frozen=True, slots=True)
class InventoryMetadata:
    """When the inventory (of one service, or all) was last updated, its scopes, the refresh."""

    service: str | None
    last_update: datetime | None  # the latest scope collected without error
    scopes: tuple[ScopeStatus, ...]
    run: RefreshRun | None  # the latest refresh, running or ended


def metadata(*, store: Store, service: str | None = None) -> InventoryMetadata:
    """The metadata rows of `service` (None: all, cost included) and the latest refresh."""
    _check_service(service)
    scopes = store.inventory.statuses(services=(service,) if service else KNOWN_SERVICES)
    last = max((s.updated_at for s in scopes if s.state == "ok"), default=None)
    return InventoryMetadata(service, last, tuple(scopes), store.inventory_runs.latest())
