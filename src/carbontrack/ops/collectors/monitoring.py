"""CloudWatch alarms, SNS topics, EventBridge rules and EventBridge Scheduler schedules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from carbontrack.ops.clients import client
from carbontrack.ops.collectors._common import jsonable, pages

if TYPE_CHECKING:
    import boto3

    from carbontrack.ops.catalogue import Collected


def collect_cloudwatch(session: boto3.Session, region: str) -> Collected:
    """Every metric alarm: its metric, state and actions."""
    api = client(session, "cloudwatch", region)
    found: Collected = []
    for alarm in pages(api, "describe_alarms", "MetricAlarms"):
        data = {
            "name": alarm["AlarmName"],
            "namespace": alarm.get("Namespace"),
            "metric": alarm.get("MetricName"),
            "state": alarm.get("StateValue"),
            "actions_enabled": alarm.get("ActionsEnabled", False),
            "alarm_actions": alarm.get("AlarmActions", []),
            "ok_actions": alarm.get("OKActions", []),
        }
        found.append((alarm["AlarmArn"], jsonable(data)))
    return found


def collect_sns(session: boto3.Session, region: str) -> Collected:
    """Every topic with its confirmed and pending subscription counts."""
    api = client(session, "sns", region)
    found: Collected = []
    for topic in pages(api, "list_topics", "Topics"):
        arn = topic["TopicArn"]
        attributes = api.get_topic_attributes(TopicArn=arn)["Attributes"]
        # Counted from the subscriptions, not the topic's SubscriptionsConfirmed attribute:
        # that one lags by minutes on AWS (and moto never counts), an unconfirmed e-mail
        # subscription's ARN is the literal "PendingConfirmation".
        arns = [
            s["SubscriptionArn"]
            for s in pages(api, "list_subscriptions_by_topic", "Subscriptions", TopicArn=arn)
        ]
        pending = sum(1 for item in arns if item == "PendingConfirmation")
        data = {
            "name": arn.rsplit(":", 1)[-1],
            "subscriptions_confirmed": sum(1 for item in arns if item.startswith("arn:")),
            "subscriptions_pending": pending,
            "encrypted": bool(attributes.get("KmsMasterKeyId")),
        }
        found.append((arn, data))
    return found


def collect_events(session: boto3.Session, region: str) -> Collected:
    """Rules on the default bus with their targets, and Scheduler schedules (`type`)."""
    api = client(session, "events", region)
    found: Collected = []
    for rule in pages(api, "list_rules", "Rules"):
        targets = pages(api, "list_targets_by_rule", "Targets", Rule=rule["Name"])
        data = {
            "type": "rule",
            "name": rule["Name"],
            "schedule": rule.get("ScheduleExpression"),
            "state": rule.get("State"),
            "targets": [target["Arn"] for target in targets],  # never Input: it may hold data
        }
        found.append((rule["Arn"], data))
    return found + _schedules(client(session, "scheduler", region))


def _schedules(api: Any) -> Collected:
    # The template's daily backup is a Scheduler schedule (SAM ScheduleV2), not a rule.
    found: Collected = []
    for item in pages(api, "list_schedules", "Schedules"):
        group = item.get("GroupName", "default")
        schedule = api.get_schedule(Name=item["Name"], GroupName=group)
        data = {
            "type": "schedule",
            "name": item["Name"],
            "group": group,
            "schedule": schedule.get("ScheduleExpression"),
            "timezone": schedule.get("ScheduleExpressionTimezone"),
            "state": schedule.get("State"),
            "targets": [schedule.get("Target", {}).get("Arn")],
        }
        found.append((item["Arn"], jsonable(data)))
    return found
