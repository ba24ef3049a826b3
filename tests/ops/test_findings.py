"""find() on hand-built inventories: every kind, and a passing checklist item is silent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from carbontrack.ops.findings import SEVERITY_ORDER, find
from carbontrack.ops.model import GLOBAL, Finding, Resource, Scope

A, B = "111111111111", "222222222222"
PRIMARY, LEGACY = "eu-central-1", "us-east-1"
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
TABLES = ("carbontrack-users", "carbontrack-entries")
TOPIC = f"arn:aws:sns:{PRIMARY}:{A}:carbontrack-alarms"
CERT = f"arn:aws:acm:us-east-1:{A}:certificate/site"
DOMAIN = "carbon.example.org"


def res(service: str, region: str, resource_id: str, account: str = A, **data: Any) -> Resource:
    return Resource(Scope(service, account, region), resource_id, data, NOW)


def table(name: str, region: str, account: str = A, **data: Any) -> Resource:
    arn = f"arn:aws:dynamodb:{region}:{account}:table/{name}"
    fields = {"name": name, "pitr": True, "deletion_protection": True, "item_count": 0}
    return res("dynamodb", region, arn, account, **(fields | data))


def rest_stage(**changes: Any) -> dict[str, Any]:
    stage = {
        "name": "production",
        "access_log_arn": "arn:aws:logs:eu-central-1:1:log-group:access",
        "logging_level": "ERROR",
        "throttle_rate": 100,
        "web_acl_arn": "arn:aws:wafv2:acl",
    }
    return stage | changes


def good_stack() -> list[Resource]:
    """A deployed stack that passes every checklist item."""
    api = f"arn:aws:apigateway:{PRIMARY}::"
    return [
        *(table(name, PRIMARY) for name in TABLES),
        res("events", PRIMARY, "arn:schedule/backup", name="carbontrack-production-daily-backup",
            type="schedule", state="ENABLED", schedule="cron(0 2 * * ? *)"),
        res("cloudwatch", PRIMARY, f"arn:aws:cloudwatch:{PRIMARY}:{A}:alarm:carbontrack-api-errors",
            name="carbontrack-api-errors", alarm_actions=[TOPIC]),
        res("sns", PRIMARY, TOPIC, name="carbontrack-alarms", subscriptions_confirmed=1),
        res("lambda", PRIMARY, f"arn:aws:lambda:{PRIMARY}:{A}:function:carbontrack-api",
            name="carbontrack-api", runtime="python3.12",
            settings={"CARBONTRACK_ENVIRONMENT": "production",
                      "CARBONTRACK_CORS_ORIGINS": f"https://{DOMAIN}"}),
        res("apigateway", PRIMARY, f"{api}/restapis/abc", type="rest-api", id="abc",
            name="carbontrack-production", stages=[rest_stage()]),
        res("apigateway", PRIMARY, f"{api}/usageplans/p1", type="usage-plan", name="plan",
            stages=[{"api_id": "abc", "stage": "production"}], throttle_rate=50),
        res("apigateway", PRIMARY, f"{api}/apikeys/k1", type="api-key", name="site", enabled=True),
        res("cloudfront", GLOBAL, f"arn:aws:cloudfront::{A}:distribution/E1",
            comment="CarbonTrack production", aliases=[DOMAIN], certificate_arn=CERT),
        res("acm", "us-east-1", CERT, domain=DOMAIN, status="ISSUED",
            not_after=(NOW + timedelta(days=300)).isoformat()),
        res("route53", GLOBAL, "arn:aws:route53:::hostedzone/Z1", name="example.org.",
            records=[{"name": f"{DOMAIN}.", "type": "A", "alias": "d1.cloudfront.net."}]),
        res("s3", GLOBAL, "arn:aws:s3:::carbontrack-production-web",
            name="carbontrack-production-web", location=PRIMARY,
            public_access_block={"BlockPublicAcls": True, "IgnorePublicAcls": True,
                                 "BlockPublicPolicy": True, "RestrictPublicBuckets": True}),
    ]  # fmt: skip


def run(resources: list[Resource]) -> list[Finding]:
    return find(resources=resources, primary_region=PRIMARY, table_names=TABLES)


def test_a_good_stack_has_no_findings() -> None:
    assert run(good_stack()) == []


def test_duplicate_tables_name_the_primary_copy_and_spare_it() -> None:
    copy = table("carbontrack-users", LEGACY, item_count=3)

    found = run([*good_stack(), copy])

    assert [f.kind for f in found] == ["duplicate-table"]
    (duplicate,) = found
    assert duplicate.resource_id == copy.resource_id
    assert (duplicate.region, duplicate.account_id) == (LEGACY, A)
    assert f"arn:aws:dynamodb:{PRIMARY}:{A}:table/carbontrack-users" in duplicate.reason
    assert duplicate.finding_id == f"duplicate-table:{A}:{LEGACY}:{copy.resource_id}"
    assert "delete-table --table-name carbontrack-users --region us-east-1" in duplicate.fix


def test_legacy_tables_report_their_item_count() -> None:
    legacy = table("carbontrack-users-production", LEGACY, item_count=42, size_bytes=4096)
    here = table("carbontrack-emissions-production", PRIMARY, item_count=1)

    found = run([*good_stack(), legacy, here])

    assert {(f.kind, f.resource_id) for f in found} == {
        ("legacy-table", legacy.resource_id),
        ("legacy-table", here.resource_id),
    }
    reasons = {f.resource_id: f.reason for f in found}
    assert "42 items, 4096 bytes" in reasons[legacy.resource_id]
    assert "1 item," in reasons[here.resource_id]


def test_region_drift_covers_ours_outside_the_primary_region_only() -> None:
    drifted = res("lambda", LEGACY, f"arn:aws:lambda:{LEGACY}:{A}:function:carbontrack-api")
    tagged = res("sns", LEGACY, "arn:aws:sns:us-east-1:1:alerts",
                 tags={"aws:cloudformation:stack-name": "carbontrack"})  # fmt: skip
    bucket = res("s3", GLOBAL, "arn:aws:s3:::carbontrack-old", name="carbontrack-old",
                 location=LEGACY, public_access_block={"BlockPublicAcls": True})  # fmt: skip
    only_elsewhere = table("carbontrack-entries", "eu-west-1", account=B)
    spared = [
        res("lambda", LEGACY, f"arn:aws:lambda:{LEGACY}:{A}:function:someone-else"),
        res("iam", GLOBAL, f"arn:aws:iam::{A}:role/carbontrack-api-role"),
        res("acm", LEGACY, f"arn:aws:acm:{LEGACY}:{A}:certificate/carbontrack-site"),
    ]

    found = run([drifted, tagged, bucket, only_elsewhere, *spared])
    drift = {(f.resource_id, f.region) for f in found if f.kind == "region-drift"}

    assert drift == {
        (drifted.resource_id, LEGACY),
        (tagged.resource_id, LEGACY),
        (bucket.resource_id, LEGACY),
        (only_elsewhere.resource_id, "eu-west-1"),
    }


def _change(kind: str, name: str, **data: Any) -> Callable[[list[Resource]], list[Resource]]:
    """A mutation of the good stack: one resource's data changed."""

    def mutate(resources: list[Resource]) -> list[Resource]:
        return [
            replace(r, data=dict(r.data) | data)
            if r.scope.service == kind and r.data.get("name", "") == name
            else r
            for r in resources
        ]

    return mutate


def _drop(kind: str) -> Callable[[list[Resource]], list[Resource]]:
    return lambda resources: [r for r in resources if r.scope.service != kind]


FAILURES = [
    (_change("dynamodb", "carbontrack-users", pitr=False), "pitr", "DynamoDB.2"),
    (_change("dynamodb", "carbontrack-users", deletion_protection=False),
     "deletion-protection", "DynamoDB.6"),
    (_change("events", "carbontrack-production-daily-backup", state="DISABLED"),
     "daily-backup", None),
    (_change("sns", "carbontrack-alarms", subscriptions_confirmed=0), "alarm-topic", None),
    (_drop("cloudwatch"), "alarms", None),
    (_change("lambda", "carbontrack-api", settings={"CARBONTRACK_ENVIRONMENT": "production",
                                                    "CARBONTRACK_CORS_ORIGINS": "*"}),
     "cors", None),
    (_change("lambda", "carbontrack-api", runtime="python3.8"), "runtime", "Lambda.2"),
    (_change("apigateway", "plan", stages=[]), "api-keys:production", None),
    (_change("apigateway", "site", enabled=False), "api-keys:production", None),
    (_change("apigateway", "carbontrack-production", stages=[rest_stage(access_log_arn=None)]),
     "access-logging:production", None),
    (_change("apigateway", "carbontrack-production", stages=[rest_stage(logging_level="OFF")]),
     "execution-logging:production", "APIGateway.1"),
    (_change("apigateway", "carbontrack-production", stages=[rest_stage(web_acl_arn=None)]),
     "waf:production", "APIGateway.4"),
    (_change("acm", "", status="EXPIRED"), f"certificate:{DOMAIN}", "ACM.1"),
    (_drop("route53"), f"dns:{DOMAIN}", None),
    (_drop("cloudfront"), "custom-domain", None),
    (_change("s3", "carbontrack-production-web", public_access_block=None),
     "public-access", "S3.8"),
]  # fmt: skip


@pytest.mark.parametrize(("mutate", "check", "control"), FAILURES)
def test_each_checklist_item_fails_alone(
    mutate: Callable[[list[Resource]], list[Resource]], check: str, control: str | None
) -> None:
    found = run(mutate(good_stack()))

    (finding,) = found
    assert finding.finding_id.startswith(f"checklist:{check}:{A}:")
    assert finding.kind == "checklist"
    assert finding.control == control
    assert finding.account_id == A
    assert "\n" not in finding.reason + finding.fix


def test_rate_limits_need_the_stage_or_its_plan() -> None:
    no_stage_limit = _change("apigateway", "carbontrack-production",
                             stages=[rest_stage(throttle_rate=None)])  # fmt: skip
    no_plan_limit = _change("apigateway", "plan", throttle_rate=None)

    assert run(no_stage_limit(good_stack())) == []  # the usage plan throttles
    (finding,) = run(no_plan_limit(no_stage_limit(good_stack())))
    assert finding.finding_id.startswith("checklist:rate-limits:production:")


def test_an_expiring_certificate_is_a_medium_finding() -> None:
    soon = (NOW + timedelta(days=10)).isoformat()

    (finding,) = run(_change("acm", "", not_after=soon)(good_stack()))

    assert (finding.severity, finding.control) == ("medium", "ACM.1")
    assert soon in finding.reason


def test_findings_are_sorted_by_severity_then_id_and_stable() -> None:
    scene = [
        *_change("dynamodb", "carbontrack-users", pitr=False, deletion_protection=False)(
            good_stack()
        ),
        table("carbontrack-users", LEGACY),
        table("carbontrack-old", LEGACY),
    ]

    found = run(scene)

    keys = [(SEVERITY_ORDER[f.severity], f.finding_id) for f in found]
    assert keys == sorted(keys)
    assert [f.severity for f in found] == ["high", "medium", "low", "low"]
    assert run(list(reversed(scene))) == found


def test_no_stack_in_the_primary_region_means_no_checklist() -> None:
    found = run([table("carbontrack-users", LEGACY)])

    assert [f.kind for f in found] == ["region-drift"]


def test_legacy_tables_under_a_stage_prefix_spare_other_stages() -> None:
    prefix = "carbontrack-production-"
    names = [f"{prefix}users", f"{prefix}entries"]
    legacy = table("carbontrack-users-production", PRIMARY, item_count=7)
    spared = [
        *(table(name, PRIMARY) for name in names),
        table("carbontrack-staging-users", PRIMARY),  # another deployment's, not legacy
        table("someone-elses-table", PRIMARY),
    ]

    found = find(
        resources=[legacy, *spared],
        primary_region=PRIMARY,
        table_names=names,
        deployment_prefix=prefix,
    )

    assert [(f.kind, f.resource_id) for f in found if f.kind != "checklist"] == [
        ("legacy-table", legacy.resource_id)
    ]
