"""Helpers every collector shares: pagination, JSON-ready values, tags."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# A stack's resources carry this tag (CloudFormation adds it); findings read data["tags"].
STACK_TAG = "aws:cloudformation:stack-name"


def pages(api: Any, operation: str, key: str, **params: Any) -> Iterator[Any]:
    """Every item under `key` of every page of a paginated `operation`."""
    for page in api.get_paginator(operation).paginate(**params):
        yield from page.get(key, [])


def jsonable(value: Any) -> Any:
    """`value` with datetimes as ISO strings and Decimals as numbers, recursively."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


def tag_map(tags: Iterable[Mapping[str, Any]] | Mapping[str, Any] | None) -> dict[str, str]:
    """AWS tags (`[{"Key", "Value"}]`, lower-case keys, or a plain map) as one dict."""
    if tags is None:
        return {}
    if isinstance(tags, Mapping):
        return {str(key): str(value) for key, value in tags.items()}
    return {
        str(tag.get("Key", tag.get("key"))): str(tag.get("Value", tag.get("value", "")))
        for tag in tags
    }


def error_code(error: Exception) -> str:
    """The AWS error code of a botocore ClientError ("" for anything else)."""
    response = getattr(error, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))
