"""`carbontrack ops`: refresh the AWS inventory, and show its findings, cost and resources.

The standard AWS environment (AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL) applies, so the
same commands run against moto_server. `--json` prints machine-readable output on stdout.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from carbontrack.settings import Settings, get_settings
from carbontrack.terminal import console, progress_bar

if TYPE_CHECKING:
    from pydantic import BaseModel

    from carbontrack.ops.cost import CostReport
    from carbontrack.ops.model import RefreshOutcome, Resource
    from carbontrack.store.base import Store

ops_app = typer.Typer(
    help="The operations console: AWS inventory, findings and cost.", no_args_is_help=True
)

DbOption = Annotated[
    Path | None, typer.Option("--db", help="SQLite file to use (default: var/carbontrack.sqlite3).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _store(db: Path | None) -> tuple[Settings, Store]:
    from carbontrack.store import build_store

    settings = get_settings()
    settings = settings.model_copy(update={"sqlite_path": db}) if db else settings
    return settings, build_store(settings)


@ops_app.command("refresh")
def refresh_command(
    service: Annotated[
        list[str] | None, typer.Option(help="Only this service (repeatable; default: all).")
    ] = None,
    account: Annotated[
        list[str] | None, typer.Option(help="Only this account id (repeatable).")
    ] = None,
    region: Annotated[
        list[str] | None,
        typer.Option(help='Only this region (repeatable, or "all"; default: the configured ones).'),
    ] = None,
    role_arn: Annotated[
        list[str] | None,
        typer.Option(
            help="Assume this role (repeatable; replaces CARBONTRACK_INVENTORY_ROLE_ARNS)."
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Collect the inventory now; exits 1 if any scope failed."""
    from carbontrack.domain.errors import DomainError
    from carbontrack.ops import services

    settings, store = _store(db)
    started = time.monotonic()
    try:
        request = services.refresh_request(
            settings=_override(settings, region or [], role_arn),
            services=service or (),
            regions=region or (),
            role_arns=role_arn,
            account_ids=account or (),
        )
        with progress_bar() as progress:
            task = progress.add_task("refreshing", total=None)

            def tell(done: int, total: int, scope: Any) -> None:
                progress.update(task, completed=done, total=total, description=scope.pk)

            outcome = services.refresh(
                store=store, settings=settings, request=request, progress=tell
            )
    except DomainError as exc:
        console.print(f"[red]{exc.message}")
        raise typer.Exit(2) from None
    finally:
        store.close()
    _print_outcome(outcome, time.monotonic() - started)
    if outcome.failed:
        raise typer.Exit(1)


def _override(settings: Settings, regions: list[str], role_arns: list[str] | None) -> Settings:
    """Validate the command line's regions and roles as the settings would validate them."""
    from pydantic import ValidationError

    values: dict[str, Any] = {}
    if regions:
        values["inventory_regions"] = ",".join(regions)
    if role_arns is not None:
        values["inventory_role_arns"] = ",".join(role_arns)
    try:
        return Settings.model_validate(settings.model_dump() | values) if values else settings
    except ValidationError as exc:
        console.print(f"[red]{exc.errors()[0]['msg']}")
        raise typer.Exit(2) from None


def _print_outcome(outcome: RefreshOutcome, seconds: float) -> None:
    ok: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    resources: Counter[str] = Counter()
    for status in outcome.statuses:
        account_id = status.scope.account_id
        (ok if status.state == "ok" else failed)[account_id] += 1
        resources[account_id] += status.resource_count
    table = Table(title=f"Inventory refresh: {seconds:.1f} s")
    for column in ("account", "scopes ok", "scopes failed", "resources"):
        table.add_column(column, justify="left" if column == "account" else "right")
    for account_id in sorted(ok.keys() | failed.keys()):
        row = (ok[account_id], failed[account_id], resources[account_id])
        table.add_row(account_id, *(str(value) for value in row))
    console.print(table)
    for status in outcome.failed:
        console.print(f"[red]failed[/] {status.scope.pk}: {status.error}")


@ops_app.command("findings")
def findings_command(as_json: JsonOption = False, db: DbOption = None) -> None:
    """Show what the stored inventory says an operator should look at."""
    from carbontrack.ops import schemas, services

    settings, store = _store(db)
    try:
        found = services.findings(store=store, settings=settings)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps([_json(schemas.finding_out(finding)) for finding in found], indent=2))
        return
    table = Table(title=f"{len(found)} findings")
    for column in ("severity", "kind", "account", "region", "resource", "reason", "fix"):
        table.add_column(column)
    for f in found:
        table.add_row(f.severity, f.kind, f.account_id, f.region, f.resource_id, f.reason, f.fix)
    console.print(table)


@ops_app.command("cost")
def cost_command(as_json: JsonOption = False, db: DbOption = None) -> None:
    """Show Cost Explorer's month-to-date and last month, and estimates where it has no data."""
    from carbontrack.ops import schemas, services

    _, store = _store(db)
    try:
        report = services.cost(store=store)
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps(_json(schemas.cost_out(report)), indent=2))
        return
    _print_cost(report)


def _print_cost(report: CostReport) -> None:
    table = Table(title="Cost Explorer (USD, unblended)")
    for column in ("account", "month", "service", "region", "amount"):
        table.add_column(column, justify="right" if column == "amount" else "left")
    for line in report.lines:
        flag = " (estimated by AWS)" if line.estimated else ""
        table.add_row(
            line.account_id, line.month + flag, line.service, line.region, f"{line.amount_usd:.2f}"
        )
    console.print(table)
    if not report.estimates:
        return
    table = Table(title="ESTIMATE for accounts Cost Explorer has no data for (not a bill)")
    for column in ("account", "item", "quantity", "price", "a month", "note", "source (read on)"):
        table.add_column(column)
    for e in report.estimates:
        monthly = "-" if e.monthly_usd is None else f"{e.monthly_usd:.2f}"
        quantity = "-" if e.quantity is None else f"{e.quantity:.3f}".rstrip("0").rstrip(".")
        price = f"{e.price.usd} {e.price.unit}"
        table.add_row(
            e.account_id,
            e.price.item,
            quantity,
            price,
            monthly,
            e.note,
            f"{e.price.source} ({e.price.read_on})",
        )
    console.print(table)


@ops_app.command("inventory")
def inventory_command(
    service: Annotated[str | None, typer.Option(help="Only this service.")] = None,
    account: Annotated[str | None, typer.Option(help="Only this account id.")] = None,
    region: Annotated[str | None, typer.Option(help='Only this region ("global" too).')] = None,
    as_json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """List the stored resources (`--json`: with the inventory table's attribute names)."""
    from carbontrack.domain.errors import DomainError
    from carbontrack.ops import schemas, services

    _, store = _store(db)
    resources: list[Resource] = []
    cursor: str | None = None
    try:
        while True:
            page = services.inventory(
                store=store,
                service=service,
                account_id=account,
                region=region,
                limit=500,
                cursor=cursor,
            )
            resources += page.items
            if (cursor := page.next_cursor) is None:
                break
    except DomainError as exc:
        console.print(f"[red]{exc.message}")
        raise typer.Exit(2) from None
    finally:
        store.close()
    if as_json:
        typer.echo(json.dumps([_json(schemas.resource_out(r)) for r in resources], indent=2))
        return
    table = Table(title=f"{len(resources)} resources")
    for column in ("service", "account", "region", "resource", "updated"):
        table.add_column(column)
    for r in resources:
        s = r.scope
        table.add_row(s.service, s.account_id, s.region, r.resource_id, r.updated_at.isoformat())
    console.print(table)


def _json(body: BaseModel) -> dict[str, Any]:
    """What the API answers for the same thing: `--json` and the API print one shape."""
    data: dict[str, Any] = body.model_dump(mode="json", by_alias=True)
    return data
