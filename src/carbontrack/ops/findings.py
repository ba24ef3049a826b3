"""Findings: pure rules over the collected inventory (no I/O, no clock of its own).

Four kinds: `region-drift` (CarbonTrack resources outside the primary region),
`duplicate-table` (a CarbonTrack table name in more than one region: one finding per copy
outside the primary region, naming the primary copy the stack uses), `legacy-table`
(CarbonTrack tables the template does not define, with their item counts) and `checklist`
(the production checklist on the deployed stack, in `checklist.py`). A table gets at most
one table finding: duplicate before legacy before drift.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from carbontrack.ops import checklist
from carbontrack.ops.model import GLOBAL, Finding, Resource
from carbontrack.ops.rules import finding, is_ours

SEVERITY_ORDER: dict[str, int] = {"critical": 0, "high": 1, "medium": 2, "low": 3, "info": 4}
# Resources that must live in one region whatever the primary: CloudFront only takes ACM
# certificates from us-east-1, so the site's certificate there is not drift.
_REGION_BOUND = frozenset({("acm", "us-east-1")})


def find(
    *,
    resources: Iterable[Resource],
    primary_region: str,
    table_names: Collection[str],
    deployment_prefix: str = "carbontrack-",
) -> list[Finding]:
    """Every finding over `resources`, sorted by severity then id."""
    items = tuple(resources)
    defined = frozenset(table_names)
    found = [
        *_tables(items, primary_region, defined, deployment_prefix),
        *_drift(items, primary_region, deployment_prefix),
        *checklist.check(
            items, primary_region=primary_region, table_names=defined, prefix=deployment_prefix
        ),
    ]
    return sorted(found, key=lambda item: (SEVERITY_ORDER[item.severity], item.finding_id))


def _tables(
    items: tuple[Resource, ...], primary: str, defined: frozenset[str], prefix: str
) -> list[Finding]:
    tables = [r for r in items if r.scope.service == "dynamodb" and _candidate(r, defined, prefix)]
    in_primary = {
        (r.scope.account_id, r.data["name"]): r for r in tables if r.scope.region == primary
    }
    found: list[Finding] = []
    for table in tables:
        name, region = str(table.data["name"]), table.scope.region
        primary_copy = in_primary.get((table.scope.account_id, name))
        if region != primary and primary_copy is not None:
            found.append(_duplicate(table, primary_copy))
        elif name not in defined:
            found.append(_legacy(table))
        elif region != primary:
            found.append(_drifted(table, primary))
    return found


def _candidate(table: Resource, defined: frozenset[str], prefix: str) -> bool:
    """Whether the table findings look at a table: CarbonTrack's, not another stage's.

    Legacy tables need not share the deployment's prefix (`carbontrack-users-production`
    beside `carbontrack-production-users`), so any `carbontrack-*` table counts, except the
    template's tables of another deployment (`carbontrack-staging-users`): a second stage
    in the same account is not legacy.
    """
    name = str(table.data.get("name", ""))
    family = prefix.split("-", 1)[0] + "-"
    if name in defined or name.startswith(prefix):
        return True
    if not name.startswith(family):
        return False
    rest = name[len(family) :]
    suffixes = {n[len(prefix) :] for n in defined if n.startswith(prefix)}
    return not any(
        rest.endswith(f"-{suffix}") and "-" not in rest[: -len(suffix) - 1] for suffix in suffixes
    )


def _duplicate(table: Resource, primary_copy: Resource) -> Finding:
    name, region = table.data["name"], table.scope.region
    reason = (
        f"Table {name} is duplicated in {region} ({_count(table)}); the deployed stack uses "
        f"the copy in {primary_copy.scope.region} ({primary_copy.resource_id})."
    )
    fix = f"Export what you need from the {region} copy, then delete it: {_delete(name, region)}"
    return finding("duplicate-table", "medium", table, reason, fix)


def _legacy(table: Resource) -> Finding:
    name, region = table.data["name"], table.scope.region
    reason = f"Table {name} in {region} is not in the current template; it holds {_count(table)}."
    fix = f"Check nothing reads it, export its items if needed, then: {_delete(name, region)}"
    return finding("legacy-table", "low", table, reason, fix)


def _delete(name: str, region: str) -> str:
    return f"aws dynamodb delete-table --table-name {name} --region {region}"


def _count(table: Resource) -> str:
    items = int(table.data.get("item_count", 0))
    return f"{items} item{'' if items == 1 else 's'}, {int(table.data.get('size_bytes', 0))} bytes"


def _drift(items: tuple[Resource, ...], primary: str, prefix: str) -> list[Finding]:
    found: list[Finding] = []
    for resource in items:
        region = _region_of(resource)
        if resource.scope.service == "dynamodb" or region in (primary, GLOBAL):
            continue  # tables: _tables; global services have no region to drift from
        if (resource.scope.service, region) in _REGION_BOUND or not is_ours(resource, prefix):
            continue
        found.append(_drifted(resource, primary, region))
    return found


def _region_of(resource: Resource) -> str:
    # S3 lists buckets globally but each bucket lives in one region (its data["location"]).
    if resource.scope.service == "s3":
        return str(resource.data.get("location", GLOBAL))
    return resource.scope.region


def _drifted(resource: Resource, primary: str, region: str | None = None) -> Finding:
    where = region or resource.scope.region
    reason = (
        f"{resource.scope.service} resource {resource.resource_id} is in {where}, "
        f"outside the primary region {primary}."
    )
    fix = f"Deploy it in {primary} with the stack (sam deploy --region {primary}) or delete it."
    return finding("region-drift", "medium", resource, reason, fix, region=where)
