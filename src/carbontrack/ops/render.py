"""The JSON shapes of the operations console, with the inherited inventory's attribute names
(camelCase, `pk`/`sk`, `ttl` in epoch seconds); amounts are decimal strings, never floats."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from carbontrack.ops.cost import CostReport
from carbontrack.ops.model import RESOURCE_TTL_DAYS, Finding, Resource


def finding_json(finding: Finding) -> dict[str, Any]:
    """One finding, as `ops findings --json` prints it."""
    return {
        "id": finding.finding_id,
        "kind": finding.kind,
        "severity": finding.severity,
        "accountId": finding.account_id,
        "region": finding.region,
        "resourceId": finding.resource_id,
        "reason": finding.reason,
        "fix": finding.fix,
        "control": finding.control,
    }


def cost_json(report: CostReport) -> dict[str, Any]:
    """Cost Explorer's lines and the estimates, as `ops cost --json` prints them."""
    lines = [
        {
            "accountId": line.account_id,
            "month": line.month,
            "period": line.period,
            "service": line.service,
            "region": line.region,
            "amountUsd": str(line.amount_usd),
            "estimated": line.estimated,
        }
        for line in report.lines
    ]
    estimates = [
        {
            "accountId": e.account_id,
            "item": e.price.item,
            "quantity": None if e.quantity is None else str(e.quantity),
            "unit": e.price.unit,
            "priceUsd": str(e.price.usd),
            "monthlyUsd": None if e.monthly_usd is None else str(e.monthly_usd),
            "note": e.note,
            "priceRegion": e.price.region,
            "source": e.price.source,
            "readOn": e.price.read_on,
            "confirmed": e.price.confirmed,
        }
        for e in report.estimates
    ]
    return {
        "costExplorer": lines,
        "estimates": estimates,
        "estimatedAccounts": list(report.estimated_accounts),
    }


def resource_json(resource: Resource) -> dict[str, Any]:
    """One stored resource with the `aws-inventory-data` attribute names."""
    scope = resource.scope
    expires = resource.updated_at + timedelta(days=RESOURCE_TTL_DAYS)
    return {
        "pk": scope.pk,
        "sk": resource.resource_id,
        "service": scope.service,
        "accountId": scope.account_id,
        "region": scope.region,
        "resourceId": resource.resource_id,
        "data": resource.data,
        "updatedAt": resource.updated_at.isoformat(),
        "ttl": int(expires.timestamp()),  # epoch seconds, as DynamoDB's TTL reads it
    }
