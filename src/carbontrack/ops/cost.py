"""Cost: Cost Explorer's month-to-date and last month by service and region, collected by the
refresh under service "cost" (region GLOBAL), and an estimate where Cost Explorer has no data.

Cost Explorer answers only from us-east-1. A new account has no data for about a day
(DataUnavailableException); for it, and for any account whose role may not read Cost
Explorer, `report` estimates the fixed monthly costs from the inventory's counts with the
dated, cited prices in `prices.csv` (docs/operations.md). It is an estimate, and says so.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources
from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from carbontrack.ops.catalogue import Collected
from carbontrack.ops.clients import client
from carbontrack.ops.model import Resource

if TYPE_CHECKING:
    import boto3

SERVICE = "cost"
CE_REGION = "us-east-1"
METRIC = "UnblendedCost"
NO_DATA = "DataUnavailableException"  # a new account: Cost Explorer has nothing yet
GB = Decimal(1024**3)
FREE_DYNAMODB_GB = Decimal(25)
FREE_ALARMS = 10
TRAFFIC = "depends on traffic: see the per-user estimate in docs/deploy-aws.md"


def cost_window(today: date) -> tuple[date, date]:
    """Cost Explorer's period: the first day of last month to today (End is exclusive)."""
    last_month = today.replace(day=1) - timedelta(days=1)
    return last_month.replace(day=1), today


def collect(session: boto3.Session, today: date) -> Collected:
    """Month-to-date and last month by service and region: one resource per month/service/region."""
    start, end = cost_window(today)
    api = client(session, "ce", CE_REGION)
    request: dict[str, Any] = {
        "TimePeriod": {"Start": start.isoformat(), "End": end.isoformat()},
        "Granularity": "MONTHLY",
        "Metrics": [METRIC],
        "GroupBy": [
            {"Type": "DIMENSION", "Key": "SERVICE"},
            {"Type": "DIMENSION", "Key": "REGION"},
        ],
    }
    try:
        periods = _results_by_time(api, request)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == NO_DATA:
            return []
        raise
    return [row for period in periods for row in _rows(period, today)]


def _results_by_time(api: Any, request: dict[str, Any]) -> list[dict[str, Any]]:
    # GetCostAndUsage has no boto3 paginator: follow NextPageToken by hand.
    periods: list[dict[str, Any]] = []
    while True:
        answer = api.get_cost_and_usage(**request)
        periods += answer.get("ResultsByTime", [])
        token = answer.get("NextPageToken")
        if not token:
            return periods
        request = request | {"NextPageToken": token}


def _rows(period: dict[str, Any], today: date) -> Collected:
    month = period["TimePeriod"]["Start"][:7]
    kind = "month-to-date" if month == today.isoformat()[:7] else "last-month"
    rows: Collected = []
    for group in period.get("Groups", []):
        service, region = [*group["Keys"], "", ""][:2]
        amount = group["Metrics"][METRIC]
        data = {
            "month": month,
            "period": kind,
            "service": service,
            "region": region or "global",
            "amount": amount["Amount"],  # a decimal string, as Cost Explorer gives it
            "unit": amount.get("Unit", "USD"),
            "estimated": bool(period.get("Estimated", False)),  # Cost Explorer's own flag
        }
        rows.append((f"{month}#{service}#{data['region']}", data))
    return rows


@dataclass(frozen=True, slots=True)
class Price:
    """One row of prices.csv: a published price, where it was read and when."""

    key: str
    item: str
    usd: Decimal
    unit: str
    region: str
    source: str
    read_on: str
    confirmed: str


def prices() -> dict[str, Price]:
    """The price table shipped with the package, by key."""
    text = resources.files("carbontrack.ops").joinpath("prices.csv").read_text()
    rows = csv.DictReader(text.splitlines())
    return {row["key"]: Price(**(row | {"usd": Decimal(row["usd"])})) for row in rows}  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class CostLine:
    """What Cost Explorer billed one account for one service in one region and month."""

    account_id: str
    month: str
    period: str  # "month-to-date" or "last-month"
    service: str
    region: str
    amount_usd: Decimal
    estimated: bool  # Cost Explorer marks the current month as estimated


@dataclass(frozen=True, slots=True)
class EstimateLine:
    """One line of an estimate for an account Cost Explorer cannot see."""

    account_id: str
    price: Price
    quantity: Decimal | None  # None: the inventory cannot count it (traffic)
    monthly_usd: Decimal | None
    note: str


@dataclass(frozen=True, slots=True)
class CostReport:
    """Cost Explorer's figures, and an estimate for the accounts it has none for."""

    lines: tuple[CostLine, ...]
    estimates: tuple[EstimateLine, ...]

    @property
    def estimated_accounts(self) -> tuple[str, ...]:
        """The accounts whose cost is an estimate, not a bill."""
        return tuple(dict.fromkeys(line.account_id for line in self.estimates))


def report(*, cost: Iterable[Resource], inventory: Iterable[Resource]) -> CostReport:
    """Cost Explorer's lines; an estimate for each inventoried account that has none."""
    lines = tuple(sorted((_line(r) for r in cost), key=lambda x: (x.account_id, x.month)))
    billed = {line.account_id for line in lines}
    by_account: dict[str, list[Resource]] = {}
    for resource in inventory:
        by_account.setdefault(resource.scope.account_id, []).append(resource)
    table = prices()
    estimates = [
        line
        for account_id, resources_ in sorted(by_account.items())
        if account_id not in billed
        for line in estimate(account_id=account_id, resources=resources_, prices=table)
    ]
    return CostReport(lines=lines, estimates=tuple(estimates))


def _line(resource: Resource) -> CostLine:
    data = resource.data
    return CostLine(
        account_id=resource.scope.account_id,
        month=str(data["month"]),
        period=str(data["period"]),
        service=str(data["service"]),
        region=str(data["region"]),
        amount_usd=Decimal(str(data["amount"])),
        estimated=bool(data.get("estimated", False)),
    )


def estimate(
    *, account_id: str, resources: list[Resource], prices: dict[str, Price]
) -> list[EstimateLine]:
    """The fixed monthly costs the inventory can count; traffic-priced items without a total."""
    count = {name: sum(1 for r in resources if r.scope.service == name) for name in _SERVICES}
    table_gb = (
        sum(
            (
                Decimal(int(r.data.get("size_bytes") or 0))
                for r in resources
                if r.scope.service == "dynamodb"
            ),
            Decimal(0),
        )
        / GB
    )
    alarms = Decimal(max(0, count["cloudwatch"] - FREE_ALARMS))
    fixed = {
        "cloudwatch_alarms": (alarms, f"{count['cloudwatch']} alarms, {FREE_ALARMS} free"),
        "secretsmanager_secrets": (Decimal(count["secretsmanager"]), "secrets in the inventory"),
        "dynamodb_storage": (
            max(Decimal(0), table_gb - FREE_DYNAMODB_GB),
            f"{table_gb:.3f} GB in {count['dynamodb']} tables, 25 GB free",
        ),
    }
    lines = []
    for key, price in prices.items():
        quantity, note = fixed.get(key, (None, TRAFFIC))
        monthly = None if quantity is None else (quantity * price.usd).quantize(Decimal("0.01"))
        lines.append(EstimateLine(account_id, price, quantity, monthly, note))
    return lines


_SERVICES = ("cloudwatch", "secretsmanager", "dynamodb")
