"""The backup benchmark's own check holds on both stores at a small size.

Not a timed test: `backup_rate.run` returns True when each restored store holds as many
users and entries as were seeded and the first user's newest page matches; the budget is
only the bench's own stop. On DynamoDB each entry's id guard shares the entries table, so a
count of every item there would be twice the entries (the bench's count once was).
"""

from __future__ import annotations

import pytest

from bench import backup_rate


def test_both_restores_match_what_was_seeded(capsys: pytest.CaptureFixture[str]) -> None:
    assert backup_rate.run(sqlite_entries=30, dynamo_entries=30, budget_s=120)

    printed = capsys.readouterr().out
    assert printed.count("counts and sample match") == 2
