"""The accounts and regions a refresh covers: the current credentials, roles assumed through STS.

Sessions are built with `boto3.Session()`, so the standard AWS environment (AWS_PROFILE,
AWS_REGION, AWS_ENDPOINT_URL) applies exactly as it does to the AWS CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import boto3

from carbontrack.ops.clients import client
from carbontrack.ops.model import Account

SESSION_NAME = "carbontrack-inventory"  # shows in the other account's CloudTrail
ENABLED = ("opt-in-not-required", "opted-in")  # a region an account can call


@dataclass(frozen=True, slots=True)
class ReachedAccount:
    """An account the refresh can read: its id and the session to read it with.

    One session per account per refresh, shared by the worker threads: building a session
    and its clients loads botocore's service models, which a session per thread did again in
    every worker (docs/benchmarks.md, "Inventory refresh"). Sessions are not thread-safe, so
    clients come from `clients.client`, which builds them under a lock and shares them
    (clients are thread-safe).
    """

    account: Account
    account_id: str
    session: boto3.Session = field(compare=False, repr=False)


def _new_session(credentials: tuple[str, str, str] | None) -> boto3.Session:
    if credentials is None:
        return boto3.Session()
    key_id, secret, token = credentials
    return boto3.Session(
        aws_access_key_id=key_id, aws_secret_access_key=secret, aws_session_token=token
    )


def account_id_of(account: Account) -> str | None:
    """The account id a role ARN names (None for the current credentials)."""
    if account.role_arn is None:
        return None
    return account.role_arn.split(":")[4]


def reach(account: Account, *, region: str) -> ReachedAccount:
    """Identify the current account, or assume `account`'s role (raises botocore errors)."""
    current = _new_session(None)
    sts = client(current, "sts", region)
    if account.role_arn is None:
        identity = sts.get_caller_identity()
        return ReachedAccount(account, str(identity["Account"]), current)
    extra = {"ExternalId": account.external_id} if account.external_id else {}
    answer = sts.assume_role(RoleArn=account.role_arn, RoleSessionName=SESSION_NAME, **extra)
    credentials = answer["Credentials"]
    assumed = _new_session(
        (credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"])
    )
    return ReachedAccount(account, account_id_of(account) or "", assumed)


def enabled_regions(session: boto3.Session, *, region: str) -> tuple[str, ...]:
    """Every region enabled in the session's account, sorted (EC2 DescribeRegions)."""
    # DescribeRegions is not paginated: one answer lists every region.
    answer = client(session, "ec2", region).describe_regions(
        AllRegions=True, Filters=[{"Name": "opt-in-status", "Values": list(ENABLED)}]
    )
    return tuple(sorted(entry["RegionName"] for entry in answer["Regions"]))
