"""The operations console's JSON bodies (camelCase, as api/schemas.py), and how domain
values become them. Money is a decimal string (as `carbontrack ops cost --json`), never a float.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints

from carbontrack.api.schemas import Body
from carbontrack.ops.cost import CostReport
from carbontrack.ops.model import (
    Finding,
    FindingKind,
    RefreshRun,
    Resource,
    RunState,
    ScopeState,
    ScopeStatus,
    Severity,
)
from carbontrack.ops.services import InventoryMetadata

AccountId = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]
ServiceName = Annotated[str, StringConstraints(min_length=1, max_length=40)]
MAX_ACCOUNTS = 50


class RefreshIn(Body):
    """What to refresh; absent or null: every service, every account."""

    service: ServiceName | None = None
    accounts: list[AccountId] | None = Field(default=None, max_length=MAX_ACCOUNTS)


class RefreshTriggered(Body):
    message: Literal["Refresh triggered"]
    service: str  # "all" when every service
    run_id: str


class RefreshOut(Body):
    run_id: str
    service: str | None
    state: RunState
    done: int
    total: int
    failed: int
    started_at: datetime
    finished_at: datetime | None


class ScopeOut(Body):
    service: str
    account_id: str
    region: str
    updated_at: datetime
    resource_count: int
    state: ScopeState
    error: str | None


class MetadataOut(Body):
    last_update: datetime | None
    service: str  # "all" when every service
    refresh: RefreshOut | None
    scopes: list[ScopeOut]


class ResourceOut(Body):
    """A stored resource with the inventory table's attribute names."""

    pk: str
    sk: str
    service: str
    account_id: str
    region: str
    resource_id: str
    data: dict[str, Any]
    updated_at: datetime
    ttl: int  # epoch seconds, as DynamoDB's TTL reads it


class ResourcePage(Body):
    items: list[ResourceOut]
    next_cursor: str | None


class FindingOut(Body):
    id: str
    kind: FindingKind
    severity: Severity
    account_id: str
    region: str
    resource_id: str
    reason: str
    fix: str
    control: str | None


class FindingList(Body):
    findings: list[FindingOut]


class CostLineOut(Body):
    account_id: str
    month: str
    period: str
    service: str
    region: str
    amount_usd: str
    estimated: bool


class EstimateOut(Body):
    account_id: str
    item: str
    quantity: str | None
    unit: str
    price_usd: str
    monthly_usd: str | None
    note: str
    price_region: str
    source: str
    read_on: str
    confirmed: str


class CostOut(Body):
    cost_explorer: list[CostLineOut]
    estimates: list[EstimateOut]
    estimated_accounts: list[str]


def refresh_out(run: RefreshRun | None) -> RefreshOut | None:
    """The latest run's body, or None before the first."""
    if run is None:
        return None
    return RefreshOut(
        run_id=run.run_id,
        service=run.service,
        state=run.state,
        done=run.done,
        total=run.total,
        failed=run.failed,
        started_at=run.started_at,
        finished_at=run.finished_at,
    )


def scope_out(status: ScopeStatus) -> ScopeOut:
    scope = status.scope
    return ScopeOut(
        service=scope.service,
        account_id=scope.account_id,
        region=scope.region,
        updated_at=status.updated_at,
        resource_count=status.resource_count,
        state=status.state,
        error=status.error,
    )


def metadata_out(found: InventoryMetadata) -> MetadataOut:
    return MetadataOut(
        last_update=found.last_update,
        service=found.service or "all",
        refresh=refresh_out(found.run),
        scopes=[scope_out(status) for status in found.scopes],
    )


def resource_out(resource: Resource) -> ResourceOut:
    scope = resource.scope
    return ResourceOut(
        pk=scope.pk,
        sk=resource.resource_id,
        service=scope.service,
        account_id=scope.account_id,
        region=scope.region,
        resource_id=resource.resource_id,
        data=dict(resource.data),
        updated_at=resource.updated_at,
        ttl=resource.ttl,
    )


def finding_out(finding: Finding) -> FindingOut:
    return FindingOut(
        id=finding.finding_id,
        kind=finding.kind,
        severity=finding.severity,
        account_id=finding.account_id,
        region=finding.region,
        resource_id=finding.resource_id,
        reason=finding.reason,
        fix=finding.fix,
        control=finding.control,
    )


def cost_out(report: CostReport) -> CostOut:
    lines = [
        CostLineOut(
            account_id=line.account_id,
            month=line.month,
            period=line.period,
            service=line.service,
            region=line.region,
            amount_usd=str(line.amount_usd),
            estimated=line.estimated,
        )
        for line in report.lines
    ]
    estimates = [
        EstimateOut(
            account_id=e.account_id,
            item=e.price.item,
            quantity=None if e.quantity is None else str(e.quantity),
            unit=e.price.unit,
            price_usd=str(e.price.usd),
            monthly_usd=None if e.monthly_usd is None else str(e.monthly_usd),
            note=e.note,
            price_region=e.price.region,
            source=e.price.source,
            read_on=e.price.read_on,
            confirmed=e.price.confirmed,
        )
        for e in report.estimates
    ]
    return CostOut(
        cost_explorer=lines, estimates=estimates, estimated_accounts=list(report.estimated_accounts)
    )
