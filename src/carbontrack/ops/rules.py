"""What the finding rules share: which resources are CarbonTrack's, the Finding
shape, and the `Stack` view the checklist reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from carbontrack.ops.collectors._common import STACK_TAG
from carbontrack.ops.model import Finding, FindingKind, Resource, Severity


def is_ours(resource: Resource, prefix: str) -> bool:
    """Whether a resource is CarbonTrack's: its name or id holds the prefix, or the stack's tag."""
    name = str(resource.data.get("name", ""))
    if prefix.lower() in f"{resource.resource_id} {name}".lower():
        return True
    tags: dict[str, Any] = dict(resource.data.get("tags") or {})
    return str(tags.get(STACK_TAG, "")).lower().startswith(prefix.rstrip("-").lower())


def finding(
    kind: FindingKind,
    severity: Severity,
    resource: Resource,
    reason: str,
    fix: str,
    *,
    control: str | None = None,
    check: str = "",
    region: str | None = None,
) -> Finding:
    """A finding on `resource`; its id is stable: kind (and check), account, region, resource."""
    where = region or resource.scope.region
    head = f"{kind}:{check}" if check else kind
    return Finding(
        finding_id=f"{head}:{resource.scope.account_id}:{where}:{resource.resource_id}",
        kind=kind,
        severity=severity,
        account_id=resource.scope.account_id,
        region=where,
        resource_id=resource.resource_id,
        reason=reason,
        fix=fix,
        control=control,
    )


@dataclass(frozen=True, slots=True)
class Stack:
    """One account's deployed stack as collected: what the checklist rules read."""

    account_id: str
    region: str  # the primary region
    prefix: str
    table_names: frozenset[str]
    now: datetime  # the latest refresh among the resources: the rules keep no clock
    resources: tuple[Resource, ...]  # this account's: primary region, global, ACM anywhere

    def of(self, service: str, kind: str | None = None, *, ours: bool = True) -> list[Resource]:
        """The stack's resources of one service (and data `type`); `ours` keeps CarbonTrack's."""
        return [
            r
            for r in self.resources
            if r.scope.service == service
            and (kind is None or r.data.get("type") == kind)
            and (not ours or is_ours(r, self.prefix))
        ]

    def marker(self) -> Resource:
        """A stand-in resource for a finding about something the whole stack lacks."""
        pick = next(r for r in self.resources if r.scope.region == self.region)
        return Resource(pick.scope, f"stack:{self.prefix.rstrip('-')}", {}, pick.updated_at)


def item(
    resource: Resource,
    check: str,
    severity: Severity,
    reason: str,
    fix: str,
    control: str | None = None,
) -> Finding:
    """A checklist finding: `check` names the item (and the stage or domain it is about)."""
    return finding("checklist", severity, resource, reason, fix, control=control, check=check)
