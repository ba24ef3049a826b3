"""botocore errors stop here: each becomes a domain error or a `DynamoStoreError`.

Conditional-check failures mean something in the domain (a taken email, a missing
entry) and are translated where the condition is written. Everything else that boto3
can raise (throttling past the retry budget, an unreachable endpoint, a missing table)
becomes `DynamoStoreError`, with the botocore error kept as its `__cause__`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from botocore.exceptions import BotoCoreError, ClientError

P = ParamSpec("P")
R = TypeVar("R")

CONDITION_FAILED = "ConditionalCheckFailed"  # a cancellation reason's code
_CONDITION_FAILED_ERROR = "ConditionalCheckFailedException"
_CANCELLED_ERROR = "TransactionCanceledException"


class DynamoStoreError(RuntimeError):
    """DynamoDB failed in a way no domain error describes; the request cannot succeed now."""


class UnprocessedItemsError(DynamoStoreError):
    """A batch still had unprocessed items after the last retry."""


def translated(method: Callable[P, R]) -> Callable[P, R]:
    """Re-raise any botocore error escaping `method` as `DynamoStoreError`."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except (ClientError, BotoCoreError) as exc:
            raise store_error(exc) from exc

    return wrapper


def store_error(exc: ClientError | BotoCoreError) -> DynamoStoreError:
    """A `DynamoStoreError` that names the failed operation and the error code."""
    if isinstance(exc, ClientError):
        operation = exc.operation_name
        return DynamoStoreError(f"DynamoDB {operation} failed: {error_code(exc)}")
    return DynamoStoreError(f"DynamoDB request failed: {type(exc).__name__}")


def error_code(exc: ClientError) -> str:
    """The service's error code, e.g. "ConditionalCheckFailedException"."""
    return str(exc.response.get("Error", {}).get("Code", ""))


def is_condition_failed(exc: ClientError) -> bool:
    """True when a single-item write's condition did not hold."""
    return error_code(exc) == _CONDITION_FAILED_ERROR


def cancellation_codes(exc: ClientError) -> list[str] | None:
    """Per-action reason codes of a cancelled transaction ("None" where it was fine).

    None when `exc` is not a transaction cancellation.
    """
    if error_code(exc) != _CANCELLED_ERROR:
        return None
    reasons = exc.response.get("CancellationReasons", [])
    return [str(reason.get("Code", "None")) for reason in reasons]
