"""The collector Lambda's job: one refresh of the inventory, followed as a run.

Two events start it (docs/operations.md). The daily schedule (EventBridge Scheduler, or an
EventBridge rule: any event without a `runId`) refreshes everything configured, as a run of
its own; if another run is still going it does nothing (that run is refreshing already). The
on-demand refresh, `{"runId": ..., "service": <name> | null, "accounts": [<ids>] | null}`,
sent asynchronously by `POST /api/inventory/refresh` after it started the run, refreshes
what it names under that run. Either way `services.run_refresh` does the refresh and records
the run's progress and outcome in `store.inventory_runs`, so the page can follow it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from carbontrack.domain.errors import InvalidInput
from carbontrack.ops import services
from carbontrack.ops.model import RefreshOutcome, RefreshRun
from carbontrack.settings import Settings
from carbontrack.store.base import Store

FAILURES_SHOWN = 20  # failed scopes named in the summary and the error
_ACCOUNT_ID = re.compile(r"[0-9]{12}")
_RUN_ID = re.compile(r"[\w.:-]{1,100}")
Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class Job:
    """What one invocation refreshes, and the run it reports to."""

    run_id: str
    service: str | None = None  # None: every service
    account_ids: tuple[str, ...] = ()  # (): every configured account
    scheduled: bool = False  # the daily schedule: the job starts its own run


class RefreshFailed(RuntimeError):
    """Some scopes could not be collected (everything else was stored)."""


def job_of(event: Mapping[str, Any]) -> Job:
    """The job an event asks for; a malformed on-demand payload raises InvalidInput."""
    if "runId" not in event:
        return Job(run_id=f"scheduled-{event.get('id') or uuid.uuid4()}", scheduled=True)
    run_id, service, accounts = event["runId"], event.get("service"), event.get("accounts")
    if not isinstance(run_id, str) or not _RUN_ID.fullmatch(run_id):
        raise InvalidInput("runId must be 1-100 letters, digits, '.', ':', '_' or '-'")
    if service is not None and not isinstance(service, str):
        raise InvalidInput("service must be a service name or null", field="service")
    if accounts is not None and (
        not isinstance(accounts, list)
        or not all(isinstance(a, str) and _ACCOUNT_ID.fullmatch(a) for a in accounts)
    ):
        raise InvalidInput("accounts must be a list of 12-digit account ids or null")
    return Job(run_id=run_id, service=service, account_ids=tuple(accounts or ()))


def run(
    *, store: Store, settings: Settings, job: Job, clock: Clock = lambda: datetime.now(UTC)
) -> RefreshOutcome | None:
    """Refresh what `job` names, recording the run; None when a scheduled job finds one going."""
    if job.scheduled:
        started = RefreshRun(run_id=job.run_id, service=None, started_at=clock())
        stale = started.started_at - services.STALE_RUN
        if not store.inventory_runs.start(started, stale_before=stale):
            return None
    return services.run_refresh(
        store=store,
        settings=settings,
        run_id=job.run_id,
        service=job.service,
        accounts=job.account_ids,
        clock=clock,
    )


def summary(job: Job, outcome: RefreshOutcome) -> dict[str, Any]:
    """What the run did, JSON-ready: counts, and the first failed scopes with their errors."""
    return {
        "runId": job.run_id,
        "scheduled": job.scheduled,
        "service": job.service,
        "accounts": list(job.account_ids) or None,
        "scopes": len(outcome.statuses),
        "resources": sum(status.resource_count for status in outcome.statuses),
        "failedScopes": len(outcome.failed),
        "failures": [
            {"scope": status.scope.pk, "error": status.error}
            for status in outcome.failed[:FAILURES_SHOWN]
        ],
        "startedAt": outcome.started_at.isoformat(),
        "finishedAt": outcome.finished_at.isoformat(),
    }


def failure(outcome: RefreshOutcome) -> RefreshFailed:
    """The error that fails the invocation (so Lambda's Errors metric and the alarm fire)."""
    named = ", ".join(f"{s.scope.pk} ({s.error})" for s in outcome.failed[:FAILURES_SHOWN])
    more = len(outcome.failed) - FAILURES_SHOWN
    extra = f" and {more} more" if more > 0 else ""
    return RefreshFailed(
        f"{len(outcome.failed)} of {len(outcome.statuses)} inventory scopes failed "
        f"(the rest are stored): {named}{extra}"
    )
