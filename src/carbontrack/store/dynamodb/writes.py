"""The transaction actions of entry writes: conditional puts and deletes, and their chunks.

An update or delete is conditional on the entry still adding to the totals what it added
when it was read (`unchanged`), so the rollup difference written with it is exact. An
entry's id guard (`codec.entry_guard`) is put with the entry and deleted with it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from carbontrack.domain import spread
from carbontrack.domain.models import Entry
from carbontrack.store.dynamodb import codec
from carbontrack.store.dynamodb.batch import MAX_TRANSACTION

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.type_defs import DeleteTypeDef, PutTypeDef, TransactWriteItemTypeDef

    from carbontrack.store.dynamodb.codec import Item
    from carbontrack.store.dynamodb.updates import Expression

NEW = "attribute_not_exists(userId)"
EXISTS = "attribute_exists(userId)"
DAY = {"#day": "day"}  # a reserved word in expressions


def chunks(entries: Sequence[Entry]) -> Iterator[Sequence[int]]:
    """Indexes of entries per transaction: entries and their guards + months + count <= 100.

    An entry over a period adds to up to 14 months (13 for 366 days, and its own day's), so
    one entry always fits: 2 + 14 + 1 actions.
    """
    chunk: list[int] = []
    months: set[str] = set()
    for index, entry in enumerate(entries):
        touched = spread.months(entry)
        if chunk and 2 * (len(chunk) + 1) + len(months | touched) + 1 > MAX_TRANSACTION:
            yield chunk
            chunk, months = [], set()
        chunk.append(index)
        months |= touched
    if chunk:
        yield chunk


def unchanged(current: Item) -> tuple[str, Item]:
    """A condition that holds while an entry still adds what `current` added to the totals."""
    values = {":co2eKg": current["co2eKg"], ":category": current["category"]}
    clauses = [EXISTS, "co2eKg = :co2eKg", "category = :category"]
    for name, reference in (
        ("day", "#day"),
        ("periodStart", "periodStart"),
        ("periodEnd", "periodEnd"),
    ):
        if name in current:
            clauses.append(f"{reference} = :{name}")
            values[f":{name}"] = current[name]
        else:
            clauses.append(f"attribute_not_exists({reference})")
    return " AND ".join(clauses), values


def put(
    table: str, item: Item, condition: str, values: Item | None = None
) -> TransactWriteItemTypeDef:
    """A Put action, with the values of a condition from `unchanged` if given."""
    action: PutTypeDef = {"TableName": table, "Item": item, "ConditionExpression": condition}
    if values is not None:
        action["ExpressionAttributeNames"] = DAY
        action["ExpressionAttributeValues"] = values
    return {"Put": action}


def delete(table: str, current: Item, *, check: bool = True) -> TransactWriteItemTypeDef:
    """Delete an entry's item; with `check`, only while it is as read (see `_unchanged`)."""
    action: DeleteTypeDef = {
        "TableName": table,
        "Key": {"userId": current["userId"], "timestamp": current["timestamp"]},
    }
    if check:
        condition, values = unchanged(current)
        action["ConditionExpression"] = condition
        action["ExpressionAttributeNames"] = DAY
        action["ExpressionAttributeValues"] = values
    else:
        action["ConditionExpression"] = EXISTS
    return {"Delete": action}


def delete_if(table: str, key: Item, condition: Expression) -> TransactWriteItemTypeDef:
    """Delete an entry's item under a condition (`updates.at_version`)."""
    action: DeleteTypeDef = {
        "TableName": table,
        "Key": key,
        "ConditionExpression": condition.text,
        "ExpressionAttributeNames": condition.names,
        "ExpressionAttributeValues": condition.values,
    }
    return {"Delete": action}


def put_guard(table: str, user_id: str, entry_id: str) -> TransactWriteItemTypeDef:
    """Put an entry id's guard, refused if the user holds the id already (at any time)."""
    guard = codec.entry_guard(user_id, entry_id)
    return {"Put": {"TableName": table, "Item": guard, "ConditionExpression": NEW}}


def delete_guard(table: str, user_id: str, entry_id: str) -> TransactWriteItemTypeDef:
    """Delete an entry id's guard; unconditional: entries from before guards have none."""
    return {"Delete": {"TableName": table, "Key": codec.entry_guard(user_id, entry_id)}}
