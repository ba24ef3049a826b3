"""`python -m bench [api] [import]`: run the named benchmarks (all by default)."""

from __future__ import annotations

import argparse
import sys

from bench import api_throughput, csv_import
from bench.loadgen import Load

BENCHMARKS = ("api", "import")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; exit 1 if any target failed."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="NAME", help="api, import (default: both)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per API case")
    parser.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per API case")
    parser.add_argument("--connections", type=int, default=32, help="concurrent API clients")
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "asyncio"),
        default="auto",
        help="load generator: wrk if installed (auto), or the built-in asyncio client",
    )
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the CSV import")
    parser.add_argument("--repeats", type=int, default=3, help="CSV import runs (median)")
    parser.add_argument("--profile", action="store_true", help="always profile the CSV import")
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    names = args.names or list(BENCHMARKS)
    passed = True
    if "api" in names:
        load = Load(connections=args.connections, duration_s=args.duration, warmup_s=args.warmup)
        passed &= api_throughput.run(load, client=args.client)
    if "import" in names:
        passed &= csv_import.run(rows=args.rows, repeats=args.repeats, profile=args.profile)
    print(f"\n{'all targets met' if passed else 'SOME TARGETS FAILED (see FAIL above)'}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
