"""Partial updates: an UpdateExpression of what changed, under a condition on what was read.

A write sets only the attributes it changes (`changed`) and is conditional on the item
still being at the version that was read (`at_version`), so it can neither undo another
write's fields nor apply a change computed from a stale read (docs/storage.md, "Writes").
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from carbontrack.store.dynamodb import codec

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import UpdateTypeDef

    from carbontrack.store.dynamodb.codec import Item

VERSION = "version"


@dataclass(frozen=True, slots=True)
class Expression:
    """An update or condition expression with its placeholders."""

    text: str
    names: dict[str, str] = field(default_factory=dict)
    values: Item = field(default_factory=dict)


def changed(old: Item, new: Item, *, fixed: Collection[str]) -> Expression:
    """SET the attributes `new` changes or adds, REMOVE those it drops; never the `fixed`."""
    names: dict[str, str] = {}
    values: Item = {}
    sets: list[str] = []
    removes: list[str] = []
    for name in sorted((new.keys() | old.keys()) - set(fixed)):
        if name in new and new[name] == old.get(name):
            continue
        placeholder = f"a{len(names)}"
        names[f"#{placeholder}"] = name
        if name in new:
            values[f":{placeholder}"] = new[name]
            sets.append(f"#{placeholder} = :{placeholder}")
        else:
            removes.append(f"#{placeholder}")
    clauses = [f"SET {', '.join(sets)}"] if sets else []
    clauses += [f"REMOVE {', '.join(removes)}"] if removes else []
    return Expression(" ".join(clauses), names, values)


def at_version(key: str, version: int) -> Expression:
    """Holds while the item exists at `version`; an item without one is at version 0."""
    names = {"#key": key, "#version": VERSION}
    values: Item = {":version": codec.value(version)}
    if version:
        return Expression("attribute_exists(#key) AND #version = :version", names, values)
    text = "attribute_exists(#key) AND (attribute_not_exists(#version) OR #version = :version)"
    return Expression(text, names, values)


def update(table: str, key: Item, change: Expression, condition: Expression) -> UpdateTypeDef:
    """An Update (for UpdateItem or a transaction) of `change` under `condition`."""
    action: UpdateTypeDef = {
        "TableName": table,
        "Key": key,
        "UpdateExpression": change.text,
        "ConditionExpression": condition.text,
        "ExpressionAttributeNames": {**change.names, **condition.names},
    }
    values = {**change.values, **condition.values}
    if values:
        action["ExpressionAttributeValues"] = values
    return action
