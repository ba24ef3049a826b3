"""The CSV import benchmark still runs against the current schema.

Not a timed test: nothing here looks at seconds or ratios. It guards the bench's own bare
`executemany` baseline, which writes rows straight into a file migrated with the app's
`MIGRATIONS`, so a migration that adds a column must not break `make bench`.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path

from bench import csv_import, sample_data


def test_the_bare_baseline_writes_every_imported_row(tmp_path: Path) -> None:
    imported = tmp_path / "imported.sqlite3"
    stored: list[tuple[object, ...]] = []
    csv_import._import_once(imported, sample_data.export_text(40), 40, stored)
    bare = tmp_path / "bare.sqlite3"

    csv_import._executemany_once(bare, stored)

    with closing(sqlite3.connect(bare)) as conn:
        written = conn.execute("SELECT * FROM entries").fetchall()
    assert len(stored) == 40
    assert Counter(written) == Counter(stored)
