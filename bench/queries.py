"""Everyday queries (issue 13): top-1 and top-3 accuracy of the activity search.

The table of queries and the activity each must find is the test file's
(tests/unit/test_activity_queries.py), so the numbers printed here are the ones the tests assert
(top-1 >= 80 %, top-3 >= 95 %). Top-1 misses are listed, with what came first instead.
"""

from __future__ import annotations

from bench.report import machine, table, verdict
from carbontrack.datasets.activities import activities_version, load_activities
from carbontrack.domain.activities import rank

MIN_TOP1 = 0.80
MIN_TOP3 = 0.95


def run() -> bool:
    """Print the accuracies over the test table; True if both targets are met."""
    from tests.unit.test_activity_queries import QUERIES

    activities = load_activities()
    ranked = [([a.activity_id for a in rank(q, activities)], q, e) for q, e in QUERIES]
    top1 = sum(ids[:1] == [e] for ids, _, e in ranked) / len(ranked)
    top3 = sum(e in ids[:3] for ids, _, e in ranked) / len(ranked)
    passed = top1 >= MIN_TOP1 and top3 >= MIN_TOP3
    print(f"\n## Everyday queries (activities catalogue v{activities_version()}; {machine()})\n")
    rows = [
        ["queries", str(len(ranked)), ""],
        ["top-1", f"{top1:.1%}", f">= {MIN_TOP1:.0%}"],
        ["top-3", f"{top3:.1%}", f">= {MIN_TOP3:.0%}"],
    ]
    print(table(["measure", "value", "target"], rows))
    for ids, query, expected in ranked:
        if ids[:1] != [expected]:
            print(f"top-1 miss: {query!r} -> {ids[:3]} (expected {expected})")
    print(verdict(passed))
    return passed
