"""The production checklist as checks on the deployed stack in the primary region.

Each rule reads one account's collected resources (`rules.Stack`: the primary region's,
the global ones and its ACM certificates) and yields a `checklist` finding only where the
stack falls short: a passing item yields nothing. The rules on the API, its domain and
certificate are in `checklist_web.py`. Security Hub control ids where one exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from carbontrack.ops import checklist_web
from carbontrack.ops.model import GLOBAL, Finding, Resource
from carbontrack.ops.rules import Stack, is_ours, item

# Lambda runtimes past their deprecation date, from the "Deprecated runtimes" table of
# https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html as read in 2026-01:
# Security Hub's Lambda.2 fails these.
DEPRECATED_RUNTIMES = frozenset(
    {
        "python2.7", "python3.6", "python3.7", "python3.8", "python3.9",
        "nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x",
        "nodejs14.x", "nodejs16.x", "nodejs18.x",
        "java8", "go1.x", "provided", "ruby2.5", "ruby2.7", "ruby3.2",
        "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet5.0",
        "dotnet6", "dotnet7",
    }
)  # fmt: skip


def check(
    items: tuple[Resource, ...], *, primary_region: str, table_names: frozenset[str], prefix: str
) -> list[Finding]:
    """The checklist's findings for every account with the stack in the primary region."""
    found: list[Finding] = []
    for stack in _stacks(items, primary_region, table_names, prefix):
        for rule in RULES:
            found.extend(rule(stack))
    return found


def _stacks(
    items: tuple[Resource, ...], primary: str, table_names: frozenset[str], prefix: str
) -> Iterator[Stack]:
    # An account has the stack when it holds CarbonTrack resources in the primary region.
    accounts = {
        r.scope.account_id for r in items if r.scope.region == primary and is_ours(r, prefix)
    }
    now = max((r.updated_at for r in items), default=datetime.now(UTC))
    for account in sorted(accounts):
        mine = tuple(
            r
            for r in items
            if r.scope.account_id == account
            and (r.scope.region in (primary, GLOBAL) or r.scope.service == "acm")
        )
        yield Stack(account, primary, prefix, table_names, now, mine)


def _tables(stack: Stack) -> Iterator[Finding]:
    for table in stack.of("dynamodb"):
        name = table.data.get("name")
        if table.scope.region != stack.region or name not in stack.table_names:
            continue
        if not table.data.get("pitr"):
            yield item(
                table,
                "pitr",
                "high",
                f"Table {name} has point-in-time recovery off.",
                f"aws dynamodb update-continuous-backups --table-name {name} "
                "--point-in-time-recovery-specification PointInTimeRecoveryEnabled=true",
                "DynamoDB.2",
            )
        if not table.data.get("deletion_protection"):
            yield item(
                table,
                "deletion-protection",
                "low",
                f"Table {name} has deletion protection off.",
                f"aws dynamodb update-table --table-name {name} --deletion-protection-enabled",
                "DynamoDB.6",
            )


def _backup(stack: Stack) -> Iterator[Finding]:
    schedules = [
        r
        for r in stack.of("events")
        if r.scope.region == stack.region
        and "backup" in str(r.data.get("name", "")).lower()
        and r.data.get("state") == "ENABLED"
        and r.data.get("schedule")
    ]
    if not schedules:
        yield item(
            stack.marker(),
            "daily-backup",
            "high",
            "No enabled daily backup schedule was found for the stack.",
            "Deploy the template's backup schedule (cron(0 2 * * ? *)), or run a daily backup.",
        )


def _alarms(stack: Stack) -> Iterator[Finding]:
    alarms = [a for a in stack.of("cloudwatch") if a.scope.region == stack.region]
    subscribed = {
        t.resource_id
        for t in stack.of("sns", ours=False)
        if int(t.data.get("subscriptions_confirmed", 0)) > 0
    }
    if not alarms:
        yield item(
            stack.marker(),
            "alarms",
            "high",
            "The stack has no CloudWatch alarms.",
            "Deploy the template's alarms and subscribe an address to their SNS topic.",
        )
    for alarm in alarms:
        if not subscribed.intersection(alarm.data.get("alarm_actions", [])):
            yield item(
                alarm,
                "alarm-topic",
                "medium",
                f"Alarm {alarm.data['name']} notifies no SNS topic with a confirmed subscription.",
                "Add the alarm topic to its actions and confirm the topic's subscription.",
            )


def _functions(stack: Stack) -> Iterator[Finding]:
    for function in stack.of("lambda"):
        if function.scope.region != stack.region:
            continue
        name, runtime = function.data.get("name"), function.data.get("runtime")
        if _any_origin_in_production(function):
            yield item(
                function,
                "cors",
                "high",
                f"Function {name} allows CORS from any origin (*) in production.",
                "Set its CORS origins to the site's own https origin.",
            )
        if runtime in DEPRECATED_RUNTIMES:
            yield item(
                function,
                "runtime",
                "medium",
                f"Function {name} runs on the deprecated runtime {runtime}.",
                "Move it to a supported runtime (python3.12 or later) and redeploy.",
                "Lambda.2",
            )


def _any_origin_in_production(function: Resource) -> bool:
    settings = {str(k): str(v) for k, v in dict(function.data.get("settings") or {}).items()}
    production = settings.get("CARBONTRACK_ENVIRONMENT") == "production" or (
        "production" in function.resource_id
    )
    origins = [v for k, v in settings.items() if "ORIGIN" in k]
    return production and any("*" in (o.strip() for o in v.split(",")) for v in origins)


def _buckets(stack: Stack) -> Iterator[Finding]:
    for bucket in stack.of("s3"):
        block = dict(bucket.data.get("public_access_block") or {})
        if not block or not all(block.values()):
            yield item(
                bucket,
                "public-access",
                "high",
                f"Bucket {bucket.data['name']} does not block all public access.",
                "Turn on all four S3 Block Public Access settings for the bucket.",
                "S3.8",
            )


RULES = (
    _tables, _backup, _alarms, _functions, _buckets,
    checklist_web.api_gateway, checklist_web.http_apis, checklist_web.custom_domain,
)  # fmt: skip
