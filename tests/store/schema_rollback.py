"""Take a SQLite store file back to an older schema, as a store written before a migration.

One place knows how to undo each migration, so a test of "a file from before migration N"
keeps working when later migrations are added: each new migration adds its undo here (a
missing one fails loudly, naming the migration).
"""

from __future__ import annotations

import sqlite3

from carbontrack.store.sqlite.schema import SCHEMA_VERSION

# Migration number -> the statements that undo it.
UNDO: dict[int, tuple[str, ...]] = {
    9: ("DROP TABLE baselines",),
    8: ("DROP TABLE inventory_runs",),
    7: (
        "ALTER TABLE users DROP COLUMN operator",
        "DROP TABLE inventory_resources",
        "DROP TABLE inventory_scopes",
    ),
    6: ("ALTER TABLE users DROP COLUMN distance_unit",),
}


def roll_back(conn: sqlite3.Connection, *, to_version: int) -> None:
    """Undo every migration above `to_version`, newest first, and set `user_version`."""
    for version in range(SCHEMA_VERSION, to_version, -1):
        if version not in UNDO:
            raise AssertionError(f"tests/store/schema_rollback.py cannot undo migration {version}")
        for statement in UNDO[version]:
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {to_version:d}")
