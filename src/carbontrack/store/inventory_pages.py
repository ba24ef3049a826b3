"""What both inventory backends share: the stored form of a resource and the paging.

A listing walks the matching scopes in (service, account, region) order and each scope's
resources in resource-id order (code-point order, which is DynamoDB's and SQLite's byte
order of UTF-8 keys). The cursor holds the scope and the last resource id returned, so a
page resumes mid-scope, and a scope that vanished meanwhile is simply skipped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from carbontrack.domain.errors import InvalidInput
from carbontrack.domain.models import Page
from carbontrack.ops.model import Resource, Scope, ScopeStatus
from carbontrack.store.cursor import decode_cursor, encode_cursor

# (scope, resource id to start after or None, how many at most) -> the scope's live
# (unexpired) resources after that id, in id order.
ReadScope = Callable[[Scope, str | None, int], list[Resource]]
ScopeKey = tuple[str, str, str]


def data_json(resource: Resource) -> str:
    """The resource's data as compact JSON text (key order kept); `InvalidInput` if not JSON."""
    try:
        return json.dumps(dict(resource.data), separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError):
        raise InvalidInput("resource data must be JSON", field="data") from None


def data_from_json(text: str) -> dict[str, Any]:
    """The data written by `data_json`."""
    data: dict[str, Any] = json.loads(text)
    return data


def checked(status: ScopeStatus, resources: Sequence[Resource]) -> list[Resource]:
    """The resources, last one winning per id; `InvalidInput` if one is of another scope."""
    parts = (status.scope.service, status.scope.account_id, status.scope.region)
    if not all(parts) or any("#" in part for part in parts):
        # The keys join them with '#': an empty or '#'-holding part would be ambiguous.
        raise InvalidInput("service, account and region must be non-empty, without '#'")
    for resource in resources:
        if resource.scope != status.scope:
            raise InvalidInput("a resource belongs to another scope", field="scope")
        if not resource.resource_id:
            raise InvalidInput("a resource id may not be empty", field="resource_id")
        _aware(resource.updated_at)
    _aware(status.updated_at)
    return list({resource.resource_id: resource for resource in resources}.values())


def _aware(moment: datetime) -> None:
    if moment.utcoffset() is None:
        raise InvalidInput("datetime must be timezone-aware", field="updated_at")


def matching_scopes(
    statuses: Iterable[ScopeStatus], *, account_id: str | None, region: str | None
) -> list[Scope]:
    """The scopes of `statuses` in the given account and region, in listing order."""
    scopes = [
        status.scope
        for status in statuses
        if account_id in (None, status.scope.account_id) and region in (None, status.scope.region)
    ]
    return sorted(scopes, key=scope_key)


def scope_key(scope: Scope) -> ScopeKey:
    """The listing order of scopes."""
    return (scope.service, scope.account_id, scope.region)


def page(
    scopes: Sequence[Scope],
    read: ReadScope,
    *,
    backend: str,
    limit: int,
    cursor: str | None,
) -> Page[Resource]:
    """One page of the scopes' resources, reading one more than `limit` to know if more follow."""
    if limit < 1:
        raise InvalidInput("limit must be at least 1", field="limit")
    start, after = (None, None) if cursor is None else _position(cursor, backend)
    found: list[Resource] = []
    for scope in scopes:
        key = scope_key(scope)
        if start is not None and key < start:
            continue
        resume = after if key == start else None
        found += read(scope, resume, limit + 1 - len(found))
        if len(found) > limit:
            break
    if len(found) <= limit:
        return Page(items=found)
    return Page(items=found[:limit], next_cursor=_cursor(found[limit - 1], backend))


def _cursor(last: Resource, backend: str) -> str:
    scope = last.scope
    position = {"s": scope.service, "a": scope.account_id, "r": scope.region, "k": last.resource_id}
    return encode_cursor(backend, position)


def _position(cursor: str, backend: str) -> tuple[ScopeKey, str]:
    position = decode_cursor(cursor, backend=backend)
    if position.keys() != {"s", "a", "r", "k"}:
        raise InvalidInput("invalid cursor", field="cursor")
    return (position["s"], position["a"], position["r"]), position["k"]


def sorted_statuses(statuses: Iterable[ScopeStatus]) -> list[ScopeStatus]:
    """Statuses in (service, account, region) order."""
    return sorted(statuses, key=lambda status: scope_key(status.scope))
