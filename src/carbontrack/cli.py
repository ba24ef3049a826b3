"""The `carbontrack` command: serve the app, search factors, create a demo account."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.panel import Panel
from rich.table import Table

from carbontrack import __version__
from carbontrack.ops.cli import ops_app
from carbontrack.settings import Settings, get_settings
from carbontrack.terminal import console, progress_bar

if TYPE_CHECKING:
    from carbontrack.store.dynamodb import DynamoStore

app = typer.Typer(
    help="CarbonTrack: carbon-footprint tracking on sourced emission factors.", no_args_is_help=True
)
factors_app = typer.Typer(help="Browse the emission-factor catalogue.", no_args_is_help=True)
app.add_typer(factors_app, name="factors")
db_app = typer.Typer(help="Manage the configured store's tables.", no_args_is_help=True)
app.add_typer(db_app, name="db")
backup_app = typer.Typer(help="Back up and restore all users and entries.", no_args_is_help=True)
app.add_typer(backup_app, name="backup")
anomalies_app = typer.Typer(help="Build the CO2 anomaly product.", no_args_is_help=True)
app.add_typer(anomalies_app, name="anomalies")
deploy_app = typer.Typer(help="Deploy to AWS (docs/deploy-aws.md).", no_args_is_help=True)
app.add_typer(deploy_app, name="deploy")
app.add_typer(ops_app, name="ops")
users_app = typer.Typer(help="Manage user roles.", no_args_is_help=True)
app.add_typer(users_app, name="users")

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="SQLite file to use (default: var/carbontrack.sqlite3)."),
]


def _settings(db: Path | None) -> Settings:
    settings = get_settings()
    return settings.model_copy(update={"sqlite_path": db}) if db else settings


WorkersOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        max=64,
        help="Processes serving requests (default: CARBONTRACK_WORKERS, else the CPU count).",
    ),
]


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    db: DbOption = None,
    workers: WorkersOption = None,
) -> None:
    """Start the API and web app in one or more worker processes."""
    import os

    import uvicorn

    settings = _settings(db)
    count = workers or settings.workers or os.cpu_count() or 1
    has_demo = _prepare_store(settings)
    if db is not None:  # the workers read their settings from the environment
        os.environ["CARBONTRACK_SQLITE_PATH"] = str(db)
    url = f"http://{host}:{port}"
    lines = [
        f"[bold green]CarbonTrack {__version__}[/] on {url}",
        f"API docs:  {url}/docs",
        f"Data file: {settings.database_path}",
        f"Workers:   {count} processes x {settings.worker_threads} threads",
    ]
    if has_demo:
        lines.append(f"Demo login: {_demo_login()}")
    else:
        lines.append("A demo account with a year of data: .venv/bin/carbontrack demo")
    console.print(Panel("\n".join(lines), title="ready", expand=False))
    uvicorn.run(
        "carbontrack.api.app:create_app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=count,
        log_level="info",
        log_config=_log_config_with_process_ids(),
        # The client address is the app's one rule (settings.trusted_proxy_hops), not
        # uvicorn's own X-Forwarded-For rewriting, which would trust any local client.
        proxy_headers=False,
    )


def _prepare_store(settings: Settings) -> bool:
    """Migrate the store, load the catalogue and make the key once, before any worker starts.

    Returns whether the demo account exists. Done here, in one process, so that workers
    starting together never race to create the same tables, rows or development key.
    """
    from carbontrack.services import demo
    from carbontrack.services.factors import sync_catalogue
    from carbontrack.store import build_store

    store = build_store(settings)
    try:
        sync_catalogue(store=store)
        settings.signing_key()
        return demo.exists(store=store)
    finally:
        store.close()


def _demo_login() -> str:
    """The demo account's email and password, as the ready panel prints them."""
    from carbontrack.services import demo

    return f"{demo.DEMO_EMAIL} / {demo.DEMO_PASSWORD}"


def _log_config_with_process_ids() -> dict[str, Any]:
    """Uvicorn's logging, each line naming the worker process that wrote it."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    for formatter in config["formatters"].values():
        formatter["fmt"] = formatter["fmt"].replace(
            "%(levelprefix)s ", "%(levelprefix)s [%(process)d] ", 1
        )
    return config


@app.command("demo")
def demo_command(
    db: DbOption = None,
    reset: Annotated[bool, typer.Option(help="Delete and recreate the demo account.")] = False,
) -> None:
    """Create a demo user with a realistic year of entries and print how to log in."""
    from carbontrack.services import demo
    from carbontrack.services.factors import sync_catalogue
    from carbontrack.store import build_store

    settings = _settings(db)
    if settings.environment == "production":
        console.print("[red]refusing to create a demo account with a known password in production")
        raise typer.Exit(1)
    store = build_store(settings)
    try:
        sync_catalogue(store=store)
        created = demo.create(store=store, reset=reset)
    finally:
        store.close()
    verb = f"created with {created} entries" if created else "already exists (use --reset)"
    console.print(f"Demo account {verb}.")
    console.print(
        f"Log in as [bold]{demo.DEMO_EMAIL}[/] with password [bold]{demo.DEMO_PASSWORD}[/]"
    )


@factors_app.command("search")
def factors_search(
    query: Annotated[str, typer.Argument(help="Words that must all appear.")] = "",
    category: Annotated[str | None, typer.Option(help="Only this category.")] = None,
    region: Annotated[str | None, typer.Option(help="Only this region, e.g. GB.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=100, help="At most this many.")] = 20,
    db: DbOption = None,
) -> None:
    """Search emission factors by words, category and region."""
    from carbontrack.domain.errors import DomainError
    from carbontrack.services import factors
    from carbontrack.store import build_store

    store = build_store(_settings(db))
    try:
        factors.sync_catalogue(store=store)
        found = factors.search(store=store, q=query, category=category, region=region, limit=limit)
    except DomainError as exc:
        console.print(f"[red]{exc.message}")
        raise typer.Exit(2) from None
    finally:
        store.close()
    table = Table("factor id", "activity", "kg CO2e / unit", "region", "year")
    for f in found:
        table.add_row(
            f.factor_id, f.activity, f"{f.co2e_kg_per_unit:.5g} / {f.unit}", f.region, str(f.year)
        )
    console.print(table if found else "No factor matches.")


@db_app.command("create-tables")
def create_tables() -> None:
    """Create the DynamoDB tables that are missing (idempotent) and load the factor catalogue."""
    from carbontrack.services.factors import sync_catalogue
    from carbontrack.store.dynamodb.tables import create_tables as create

    store = _dynamodb_store("The SQLite store creates and migrates its tables itself")
    if store is None:
        return
    try:
        table = Table("table", "status")
        for status in create(store.client, store.prefix):
            table.add_row(status.name, "created" if status.created else "exists")
        console.print(table)
        loaded = sync_catalogue(store=store)
        console.print(f"Factor datasets loaded: {', '.join(loaded) or 'all up to date'}")
    finally:
        store.close()


@db_app.command("guard-entry-ids")
def guard_entry_ids() -> None:
    """Guard the ids of DynamoDB entries written before id guards existed (once; idempotent)."""
    store = _dynamodb_store("The SQLite store keeps entry ids unique by its primary key")
    if store is None:
        return
    try:
        report = store.guard_entry_ids()
    finally:
        store.close()
    console.print(f"Entries guarded: {report.entries}")
    for user_id, entry_id in report.duplicates:
        console.print(f"Entry id {entry_id} of user {user_id} is held by more than one entry")
    if report.duplicates:
        raise typer.Exit(code=1)


def _dynamodb_store(on_sqlite: str) -> DynamoStore | None:
    """The configured DynamoDB store; None, once `on_sqlite` is said, when the store is SQLite."""
    from carbontrack.store import build_store
    from carbontrack.store.dynamodb import DynamoStore

    settings = get_settings()
    if settings.store != "dynamodb":
        console.print(f"{on_sqlite}; nothing to do.")
        return None
    store = build_store(settings)
    assert isinstance(store, DynamoStore)
    return store


BackupPath = Annotated[Path, typer.Argument(help="Backup directory (records.jsonl + manifest).")]


@backup_app.command("export")
def backup_export(path: BackupPath, db: DbOption = None) -> None:
    """Write every user and entry of the configured store to PATH."""
    from carbontrack.domain.errors import DomainError
    from carbontrack.services import backup
    from carbontrack.store import build_store

    store = build_store(_settings(db))
    try:
        with progress_bar() as progress:
            task = progress.add_task("exporting", total=None)
            manifest = backup.export(
                store=store, path=path, progress=lambda n: progress.advance(task, n)
            )
    except DomainError as exc:
        console.print(f"[red]{exc.message}")
        raise typer.Exit(2) from None
    finally:
        store.close()
    console.print(f"Backed up {manifest['counts']} to {path} (sha256 {manifest['sha256'][:12]}…)")


@backup_app.command("restore")
def backup_restore(
    path: BackupPath,
    force: Annotated[
        bool, typer.Option(help="Restore into a store that already holds data.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Verify the backup at PATH completely, then load it into the configured store."""
    from carbontrack.domain.errors import DomainError
    from carbontrack.services import backup
    from carbontrack.store import build_store

    store = build_store(_settings(db))
    try:
        manifest = backup.verify(path)
        with progress_bar() as progress:
            task = progress.add_task("restoring", total=sum(manifest["counts"].values()))
            counts = backup.restore(
                store=store, path=path, force=force, progress=lambda n: progress.advance(task, n)
            )
    except DomainError as exc:
        console.print(f"[red]{exc.message}")
        raise typer.Exit(2) from None
    finally:
        store.close()
    console.print(f"Restored {counts} into the {store.backend} store.")


@users_app.command("grant-operator")
def users_grant_operator(
    email: Annotated[str, typer.Argument(help="The email the user signed up with.")],
    revoke: Annotated[
        bool, typer.Option("--revoke", help="Take the operator role away instead.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Let the user with EMAIL use the operations console (/ops, /api/inventory)."""
    from carbontrack.domain.errors import DomainError
    from carbontrack.services import accounts
    from carbontrack.store import build_store

    store = build_store(_settings(db))
    try:
        user = accounts.grant_operator(store=store, email=email, operator=not revoke)
    except DomainError as exc:
        console.print(f"[red]{exc.message}")
        raise typer.Exit(2) from None
    finally:
        store.close()
    state = "is now an operator" if user.operator else "is no longer an operator"
    console.print(f"{user.email} {state}.")


@anomalies_app.command("build")
def anomalies_build(
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write here, not to the packaged explorer/data/co2/derived/anomalies.json."
        ),
    ] = None,
) -> None:
    """Compute the anomalies from the shipped OCO-2 data and write the product file."""
    from carbontrack.explorer.data.manifest import OCO2_ANOMALIES_FILE, SHA256
    from carbontrack.explorer.services import anomalies

    product = anomalies.build_product()
    path = out or anomalies.product_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(product.data)
    by_source = Counter(a.source for a in product.anomalies)
    console.print(
        f"{len(product.anomalies)} anomalies ({', '.join(f'{n} {s}' for s, n in by_source.items())}"
        f"; measured spread {product.spread_ppm} ppm) written to {path}, sha256 {product.sha256}"
    )
    if SHA256.get(OCO2_ANOMALIES_FILE) != product.sha256:
        console.print(
            f"[yellow]The manifest records another sha256 for {OCO2_ANOMALIES_FILE}: update "
            "carbontrack/explorer/data/manifest.py if this build is the one to ship."
        )


@deploy_app.command("upload-assets")
def deploy_upload_assets(
    stack: Annotated[
        str | None, typer.Option(help="Deployed stack whose outputs name bucket and CDN.")
    ] = None,
    bucket: Annotated[str | None, typer.Option(help="The web-assets bucket (not --stack).")] = None,
    distribution_id: Annotated[
        str | None, typer.Option(help="CloudFront distribution to invalidate (with --bucket).")
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="AWS region (default: your AWS configuration's).")
    ] = None,
    prune: Annotated[bool, typer.Option(help="Delete the assets no longer shipped.")] = False,
) -> None:
    """Upload the web assets (/static/*) to the stack's S3 bucket and refresh CloudFront."""
    import boto3

    from carbontrack.infra import assets

    if (stack is None) == (bucket is None):
        console.print("[red]name either --stack or --bucket")
        raise typer.Exit(2)
    session = boto3.Session(region_name=region)
    target = (
        assets.stack_target(session.client("cloudformation"), stack)
        if stack is not None
        else assets.Target(bucket=str(bucket), distribution_id=distribution_id)
    )
    report = assets.publish(
        s3=session.client("s3"),
        cloudfront=session.client("cloudfront") if target.distribution_id else None,
        target=target,
        assets=assets.packaged_assets(),
        prune=prune,
    )
    console.print(
        f"s3://{target.bucket}/{assets.PREFIX}: {len(report.uploaded)} uploaded, "
        f"{len(report.unchanged)} unchanged, {len(report.deleted)} deleted"
    )
    if report.invalidation_id is not None:
        console.print(f"CloudFront invalidation {report.invalidation_id} of /{assets.PREFIX}*")


@app.command()
def version() -> None:
    """Print the version."""
    console.print(__version__)
