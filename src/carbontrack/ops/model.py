"""The operations console's domain types. Plain frozen dataclasses: no I/O, no boto3.

A *scope* is one (service, account, region) that a refresh collects as a unit; global
services (IAM, CloudFront, Route 53, S3's bucket listing, Cost Explorer) use the region
`GLOBAL`. The stored keys are the inherited dashboard's: partition `service#accountId#region`,
sort key the resource id; metadata partition `service`, sort key `accountId#region`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

GLOBAL = "global"
# A stored resource expires this long after the refresh that last saw it (DynamoDB TTL),
# so a scope that is never refreshed again cannot show ghosts for ever.
RESOURCE_TTL_DAYS = 90

ScopeState = Literal["ok", "failed"]
Severity = Literal["critical", "high", "medium", "low", "info"]
FindingKind = Literal["region-drift", "duplicate-table", "legacy-table", "checklist"]


@dataclass(frozen=True, slots=True)
class Scope:
    """One unit of collection: a service in one account and region (or `GLOBAL`)."""

    service: str
    account_id: str
    region: str

    @property
    def pk(self) -> str:
        """The data table's partition key: `service#accountId#region`."""
        return f"{self.service}#{self.account_id}#{self.region}"

    @property
    def meta_sk(self) -> str:
        """The metadata table's sort key: `accountId#region`."""
        return f"{self.account_id}#{self.region}"


@dataclass(frozen=True, slots=True)
class Resource:
    """One AWS resource as collected: `data` is JSON-ready (str, int, float, bool, None,
    lists and dicts of them), never a secret value."""

    scope: Scope
    resource_id: str  # the sort key: an ARN, or the name where the service has no ARN
    data: Mapping[str, Any]
    updated_at: datetime  # the refresh that last saw it (UTC)

    @property
    def ttl(self) -> int:
        """Epoch seconds after which it is gone (DynamoDB's TTL): `updated_at` + 90 days."""
        return int((self.updated_at + timedelta(days=RESOURCE_TTL_DAYS)).timestamp())


@dataclass(frozen=True, slots=True)
class ScopeStatus:
    """The metadata row of one scope: when it was last refreshed and how that went."""

    scope: Scope
    updated_at: datetime
    resource_count: int
    state: ScopeState = "ok"
    error: str | None = None  # "AccessDenied: ..." when state is "failed"


@dataclass(frozen=True, slots=True)
class Finding:
    """Something an operator should look at, with the fix and the Security Hub control."""

    finding_id: str  # stable across refreshes: kind + account + region + resource
    kind: FindingKind
    severity: Severity
    account_id: str
    region: str
    resource_id: str
    reason: str  # one line
    fix: str  # one line
    control: str | None = None  # e.g. "DynamoDB.2"


@dataclass(frozen=True, slots=True)
class Account:
    """An account to inventory: the current credentials (`role_arn` None) or a role to assume."""

    role_arn: str | None = None
    external_id: str | None = None


@dataclass(frozen=True, slots=True)
class RefreshRequest:
    """What one refresh covers; empty tuples mean "everything configured"."""

    accounts: tuple[Account, ...] = (Account(),)
    regions: tuple[str, ...] = ()  # () = the configured regions ("all" = every enabled region)
    services: tuple[str, ...] = ()  # () = every service in catalogue.SERVICES


@dataclass(frozen=True, slots=True)
class RefreshOutcome:
    """What a refresh did: one status per scope it tried."""

    started_at: datetime
    finished_at: datetime
    statuses: tuple[ScopeStatus, ...] = field(default_factory=tuple)

    @property
    def failed(self) -> tuple[ScopeStatus, ...]:
        """The scopes that could not be collected."""
        return tuple(status for status in self.statuses if status.state == "failed")


RunState = Literal["running", "ok", "failed"]


@dataclass(frozen=True, slots=True)
class RefreshRun:
    """One on-demand or scheduled refresh, as it goes: how far, and how it ended."""

    run_id: str
    service: str | None  # None: every service
    started_at: datetime
    finished_at: datetime | None = None
    done: int = 0  # scopes finished so far
    total: int = 0  # scopes planned; 0 until the plan is known
    state: RunState = "running"
    failed: int = 0  # scopes that could not be collected
