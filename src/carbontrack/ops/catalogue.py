"""What the inventory collects: one entry per service, and whether it is global.

A collector reads one service in one region (or once per account for a global service)
through a boto3 session and returns `(resource_id, data)` pairs; `data` is JSON-ready and
never holds a secret value. Collectors live in `collectors/`, one module per service, and
register here so that the refresh, the CLI's `--service` and the API's `service` parameter
all name the same list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import boto3

Collected = list[tuple[str, dict[str, Any]]]
# (session, region) -> the scope's resources; global services get region "us-east-1"
# for their client and are stored under model.GLOBAL.
CollectFn = Callable[["boto3.Session", str], Collected]


@dataclass(frozen=True, slots=True)
class Service:
    """One collected AWS service."""

    name: str  # the `service` key: "dynamodb", "lambda", ...
    title: str  # for people: "DynamoDB tables"
    is_global: bool
    collect: CollectFn
