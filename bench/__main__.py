"""`python -m bench [NAME ...]`: run the named benchmarks (all by default)."""

from __future__ import annotations

import argparse
import sys

from bench import (
    api_throughput,
    api_workers,
    backup_rate,
    coldstart,
    csv_import,
    dynamodb_calls,
    explorer,
    explorer_index,
    hot_routes,
    inventory,
    pages,
    queries,
    soak,
    stats,
)
from bench.loadgen import Load

BENCHMARKS = (
    "api",
    "api-workers",
    "hot-routes",
    "import",
    "dynamo",
    "backup",
    "stats",
    "explorer-index",
    "explorer",
    "pages",
    "coldstart",
    "soak",
    "queries",
    "inventory",
)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; exit 1 if any target failed."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "names", nargs="*", metavar="NAME", help=", ".join(BENCHMARKS) + " (default: all)"
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per API case")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per API case")
    parser.add_argument("--connections", type=int, default=32, help="concurrent API clients")
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "asyncio"),
        default="auto",
        help="load generator: wrk if installed (auto), or the built-in asyncio client",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=api_workers.WORKERS,
        help="processes per server (api-workers)",
    )
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the CSV import")
    parser.add_argument("--repeats", type=int, default=3, help="CSV import runs (median)")
    parser.add_argument("--profile", action="store_true", help="always profile the CSV import")
    parser.add_argument(
        "--call-repeats", type=int, default=3, help="times each request is measured (dynamo)"
    )
    parser.add_argument(
        "--backup-entries", type=int, default=100_000, help="entries in the SQLite backup"
    )
    parser.add_argument(
        "--backup-dynamo-entries",
        type=int,
        default=20_000,
        help="entries in the DynamoDB (moto) backup; moto is too slow for 100k in the budget",
    )
    parser.add_argument(
        "--backup-budget", type=float, default=420.0, help="seconds allowed per store (backup)"
    )
    parser.add_argument(
        "--stats-calls", type=int, default=300, help="GET /api/stats calls per user (stats)"
    )
    parser.add_argument(
        "--stats-others", type=int, default=1_000_000, help="entries of other users (stats)"
    )
    parser.add_argument(
        "--stats-dynamo-heavy",
        type=int,
        default=20_000,
        help="the heavy user's entries on moto (stats), for the call count",
    )
    parser.add_argument(
        "--explorer-points", type=int, default=2000, help="points looked up (explorer-index)"
    )
    parser.add_argument(
        "--reasoning-points", type=int, default=400, help="known anomalies explained (explorer)"
    )
    parser.add_argument(
        "--reasoning-budget", type=float, default=40.0, help="seconds allowed (explorer)"
    )
    parser.add_argument("--page-rounds", type=int, default=200, help="rounds per page (pages)")
    parser.add_argument(
        "--page-budget", type=float, default=45.0, help="seconds for the whole pages run (pages)"
    )
    parser.add_argument(
        "--coldstart-repeats", type=int, default=5, help="fresh processes per case (coldstart)"
    )
    parser.add_argument(
        "--coldstart-quick",
        action="store_true",
        help="only issue 18's ratios: the API function on DynamoDB, no sizes (coldstart)",
    )
    parser.add_argument("--seconds", type=float, default=180.0, help="seconds per store (soak)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent users (soak)")
    parser.add_argument(
        "--store",
        choices=(*soak.STORES, "both"),
        default="both",
        help="the store(s) to soak (soak); DynamoDB is a moto server on 127.0.0.1",
    )
    parser.add_argument(
        "--inventory-resources", type=int, default=2_000, help="resources in moto (inventory)"
    )
    parser.add_argument(
        "--inventory-latency-ms",
        type=float,
        default=50.0,
        help="round trip the moto server adds to each AWS call (inventory)",
    )
    parser.add_argument(
        "--inventory-workers",
        type=int,
        default=16,
        help="the concurrent refresh's pool (inventory)",
    )
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    names = args.names or list(BENCHMARKS)
    passed = True
    if "api" in names:
        load = Load(connections=args.connections, duration_s=args.duration, warmup_s=args.warmup)
        passed &= api_throughput.run(load, client=args.client)
    if "api-workers" in names:
        load = Load(connections=args.connections, duration_s=args.duration, warmup_s=args.warmup)
        passed &= api_workers.run(load, client=args.client, workers=args.workers)
    if "hot-routes" in names:
        passed &= hot_routes.run()
    if "import" in names:
        passed &= csv_import.run(rows=args.rows, repeats=args.repeats, profile=args.profile)
    if "dynamo" in names:
        passed &= dynamodb_calls.run(repeats=args.call_repeats)
    if "backup" in names:
        passed &= backup_rate.run(
            sqlite_entries=args.backup_entries,
            dynamo_entries=args.backup_dynamo_entries,
            budget_s=args.backup_budget,
        )
    if "stats" in names:
        passed &= stats.run(
            heavy=100_000,
            light=100,
            others=args.stats_others,
            other_users=1_000,
            calls=args.stats_calls,
            dynamo_heavy=args.stats_dynamo_heavy,
        )
    if "explorer-index" in names:
        passed &= explorer_index.run(n_points=args.explorer_points)
    if "explorer" in names:
        passed &= explorer.run(points=args.reasoning_points, budget_s=args.reasoning_budget)
    if "pages" in names:
        passed &= pages.run(rounds=args.page_rounds, budget_s=args.page_budget)
    if "coldstart" in names:
        passed &= coldstart.run(repeats=args.coldstart_repeats, quick=args.coldstart_quick)
    if "queries" in names:
        passed &= queries.run()
    if "inventory" in names:
        passed &= inventory.run(
            resources=args.inventory_resources,
            latency_ms=args.inventory_latency_ms,
            workers=args.inventory_workers,
        )
    if "soak" in names:
        stores = soak.STORES if args.store == "both" else (args.store,)
        passed &= soak.run(seconds=args.seconds, clients=args.clients, stores=stores)
    print(f"\n{'all targets met' if passed else 'SOME TARGETS FAILED (see FAIL above)'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
