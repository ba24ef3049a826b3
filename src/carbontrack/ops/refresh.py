"""One refresh: accounts x regions x services collected concurrently on a bounded pool.

Each scope (service, account, region) is collected by a worker thread and written by the
calling thread as it completes, so the store sees one writer. A failing scope, region or
account is recorded as failed with "ErrorCode: message" and never stops the rest; an account
whose role cannot be assumed gets a failed status for every scope it would have had.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, date, datetime

from botocore.exceptions import ClientError

from carbontrack.ops import cost
from carbontrack.ops.accounts import ReachedAccount, account_id_of, enabled_regions, reach
from carbontrack.ops.catalogue import Collected, Service
from carbontrack.ops.collectors import SERVICES, service_named
from carbontrack.ops.model import (
    GLOBAL,
    Account,
    RefreshOutcome,
    RefreshRequest,
    Resource,
    Scope,
    ScopeStatus,
)
from carbontrack.settings import ALL_REGIONS
from carbontrack.store.base import InventoryRepository

GLOBAL_CLIENT_REGION = "us-east-1"  # where the global services' APIs answer
ERROR_CHARS = 500
UNKNOWN_ACCOUNT = "unknown"  # the current credentials, when they cannot even be identified
ProgressFn = Callable[[int, int, Scope], None]  # (done, total, the scope just finished)
Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class Plan:
    """What to collect: the services (and whether cost is among them) and the regions."""

    services: tuple[Service, ...]
    with_cost: bool
    regions: tuple[str, ...]  # or (ALL_REGIONS,)
    primary_region: str


def plan(request: RefreshRequest, *, regions: tuple[str, ...], primary_region: str) -> Plan:
    """Resolve the request's names; an unknown service raises KeyError naming the known ones."""
    names = request.services or (*(s.name for s in SERVICES), cost.SERVICE)
    services = tuple(service_named(n) for n in dict.fromkeys(names) if n != cost.SERVICE)
    return Plan(services, cost.SERVICE in names, request.regions or regions, primary_region)


def run(
    *,
    inventory: InventoryRepository,
    request: RefreshRequest,
    plan_: Plan,
    workers: int,
    progress: ProgressFn | None = None,
    clock: Clock = lambda: datetime.now(UTC),
) -> RefreshOutcome:
    """Refresh every scope of `request`; returns one status per scope tried."""
    started = clock()
    statuses: list[ScopeStatus] = []
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="inventory") as pool:
        reached, failed = _reach_all(pool, request.accounts, plan_)
        found = [region for _, regions in reached for region in regions]
        fallback = tuple(dict.fromkeys(found)) or (plan_.primary_region,)
        tasks = {
            pool.submit(_collect, task, started.date()): task
            for account, regions in reached
            for task in _tasks(account, regions, plan_)
        }
        lost = [
            (Scope(service, account_id, region), error)
            for account_id, error in failed
            for service, region in _scope_names(_regions(plan_, fallback), plan_)
        ]
        total = len(tasks) + len(lost)
        for scope, error in lost:
            statuses.append(_failed(inventory, scope, error, clock()))
            _tell(progress, len(statuses), total, scope)
        for future in as_completed(tasks):
            statuses.append(_store(inventory, tasks[future], future, clock()))
            _tell(progress, len(statuses), total, tasks[future].scope)
    return RefreshOutcome(started_at=started, finished_at=clock(), statuses=tuple(statuses))


@dataclass(frozen=True, slots=True)
class _Task:
    scope: Scope
    account: ReachedAccount
    service: Service | None  # None: Cost Explorer


def _reach_all(
    pool: ThreadPoolExecutor, accounts: Iterable[Account], plan_: Plan
) -> tuple[list[tuple[ReachedAccount, tuple[str, ...]]], list[tuple[str, str]]]:
    """Reach each account (and list its regions for "all"); the ones that failed, with why."""
    futures = {pool.submit(_reach, account, plan_): account for account in dict.fromkeys(accounts)}
    reached, failed = [], []
    for future, account in futures.items():
        try:
            reached.append(future.result())
        except Exception as error:  # any failure is the account's: recorded
            failed.append((account_id_of(account) or UNKNOWN_ACCOUNT, describe(error)))
    return reached, failed


def _reach(account: Account, plan_: Plan) -> tuple[ReachedAccount, tuple[str, ...]]:
    reached = reach(account, region=plan_.primary_region)
    if plan_.regions != (ALL_REGIONS,):
        return reached, plan_.regions
    return reached, enabled_regions(reached.session, region=plan_.primary_region)


def _regions(plan_: Plan, fallback: tuple[str, ...]) -> tuple[str, ...]:
    return fallback if plan_.regions == (ALL_REGIONS,) else plan_.regions


def _scope_names(regions: tuple[str, ...], plan_: Plan) -> Iterator[tuple[str, str]]:
    """(service, region) of every scope one account has under `plan_`."""
    for service in plan_.services:
        if service.is_global:
            yield service.name, GLOBAL
        else:
            yield from ((service.name, region) for region in regions)
    if plan_.with_cost:
        yield cost.SERVICE, GLOBAL


def _tasks(account: ReachedAccount, regions: tuple[str, ...], plan_: Plan) -> Iterator[_Task]:
    by_name = {service.name: service for service in plan_.services}
    for name, region in _scope_names(regions, plan_):
        yield _Task(Scope(name, account.account_id, region), account, by_name.get(name))


def _collect(task: _Task, today: date) -> Collected:
    """Runs on a worker thread: the scope's resources, straight from AWS."""
    session = task.account.session
    if task.service is None:
        return cost.collect(session, today)
    region = GLOBAL_CLIENT_REGION if task.scope.region == GLOBAL else task.scope.region
    return task.service.collect(session, region)


def _store(
    inventory: InventoryRepository, task: _Task, future: Future[Collected], now: datetime
) -> ScopeStatus:
    try:
        collected = future.result()
    except Exception as error:  # a failing scope is recorded, never fatal
        return _failed(inventory, task.scope, describe(error), now)
    resources = [Resource(task.scope, rid, data, now) for rid, data in collected]
    status = ScopeStatus(task.scope, now, len(resources))
    inventory.replace_scope(status, resources)
    return status


def _failed(inventory: InventoryRepository, scope: Scope, error: str, now: datetime) -> ScopeStatus:
    status = ScopeStatus(scope, now, 0, state="failed", error=error)
    inventory.record_failure(status)
    return status


def _tell(progress: ProgressFn | None, done: int, total: int, scope: Scope) -> None:
    if progress is not None:
        progress(done, total, scope)


def describe(error: BaseException) -> str:
    """ "ErrorCode: message" for an AWS error, "TypeName: message" for anything else."""
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        text = f"{details.get('Code', 'ClientError')}: {details.get('Message', '')}"
    else:
        text = f"{type(error).__name__}: {error}"
    return text[:ERROR_CHARS]
