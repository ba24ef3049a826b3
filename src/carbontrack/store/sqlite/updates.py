"""The UPDATE of a versioned row: only the columns a change differs in (docs/storage.md)."""

from __future__ import annotations

from collections.abc import Collection, Sequence


def versioned_update(
    table: str,
    names: Sequence[str],
    *,
    mutable: Collection[str],
    read: Sequence[object],
    new: Sequence[object],
    keys: Sequence[str],
) -> tuple[str, list[object]]:
    """The statement and its SET values; bind the key values and the version read after them.

    `names` name the values of the rows `read` and `new`; only mutable columns that differ
    are set, and only while the row is still at the version read.
    """
    columns = [
        (name, value)
        for name, old, value in zip(names, read, new, strict=True)
        if name in mutable and old != value
    ]
    # Table and column names come from the store modules' constants, never from input.
    assignments = ", ".join(f"{name} = ?" for name, _ in columns)
    condition = " AND ".join(f"{name} = ?" for name in (*keys, "version"))
    statement = f"UPDATE {table} SET {assignments} WHERE {condition}"  # noqa: S608
    return statement, [value for _, value in columns]
