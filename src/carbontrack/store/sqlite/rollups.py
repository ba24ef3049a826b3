"""Per-user totals in SQLite: tables `daily_totals` and `entry_counts`.

`daily_totals` - key `(user_id, day, category)`: kg CO2e and entries per local day
(`Entry.day`), and `shares`, how many entries add to the row (an entry over a period adds a
share of its kg to each of its days, and counts as an entry on its `day` only).
`entry_counts` - key `user_id`: how many entries the user has. Both are
changed by `apply` inside the `BEGIN IMMEDIATE` transaction of every entry write, so they
always agree with the entries; a month is one range read on the key.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date

from carbontrack.domain import spread
from carbontrack.domain.models import MonthTotals, Tally
from carbontrack.store import totals
from carbontrack.store.sqlite.connection import Database

_ADD_TOTAL = """
    INSERT INTO daily_totals (user_id, day, category, co2e_kg, entries, shares)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (user_id, day, category) DO UPDATE SET
        co2e_kg = co2e_kg + excluded.co2e_kg, entries = entries + excluded.entries,
        shares = shares + excluded.shares
"""
# A (day, category) that no entry adds to any more goes, so its float residue cannot linger.
_DROP_EMPTY = """
    DELETE FROM daily_totals WHERE user_id = ? AND day = ? AND category = ? AND shares <= 0
"""
_ADD_COUNT = """
    INSERT INTO entry_counts (user_id, entries) VALUES (?, ?)
    ON CONFLICT (user_id) DO UPDATE SET entries = entries + excluded.entries
"""
_RANGE = """
    SELECT day, category, co2e_kg, entries, shares FROM daily_totals
    WHERE user_id = ? AND day >= ? AND day < ?
"""
_CLEAR = (
    "DELETE FROM daily_totals WHERE user_id = ?",
    "DELETE FROM entry_counts WHERE user_id = ?",
)
# What each entry adds, as `contributions` reads it.
_STORED = """
    SELECT day, category, co2e_kg, period_start, period_end FROM entries WHERE user_id = ?
"""

# One part of an entry's contribution: (day "YYYY-MM-DD", category, kg CO2e, entries).
Contribution = tuple[str, str, float, int]


def contributions(
    day: str, category: str, co2e_kg: float, period_start: str | None, period_end: str | None
) -> list[Contribution]:
    """What an entry adds: its kg on its day, or kg/n on each of its period's n days.

    Either way it counts as one entry, on its own day.
    """
    if period_start is None or period_end is None:
        return [(day, category, co2e_kg, 1)]
    days = spread.days_between(date.fromisoformat(period_start), date.fromisoformat(period_end))
    share = co2e_kg / len(days)
    return [(d.isoformat(), category, share, 0) for d in days] + [(day, category, 0.0, 1)]


def apply(
    conn: sqlite3.Connection,
    user_id: str,
    *,
    added: Iterable[Contribution] = (),
    removed: Iterable[Contribution] = (),
) -> None:
    """Add and subtract entries' contributions, inside the caller's write transaction."""
    deltas: dict[tuple[str, str], list[float]] = {}
    for sign, parts in ((1, added), (-1, removed)):
        for day, category, co2e_kg, entries in parts:
            delta = deltas.setdefault((day, category), [0.0, 0, 0])
            delta[0] += sign * co2e_kg
            delta[1] += sign * entries
            delta[2] += sign
    changed = [(key, kg, int(n), int(s)) for key, (kg, n, s) in deltas.items() if kg or n or s]
    if not changed:
        return
    rows = [(user_id, day, category, kg, n, s) for (day, category), kg, n, s in changed]
    conn.executemany(_ADD_TOTAL, rows)
    shrunk = [(user_id, day, category) for (day, category), _, _, s in changed if s < 0]
    if shrunk:
        conn.executemany(_DROP_EMPTY, shrunk)
    count = sum(n for _, _, n, _ in changed)
    if count:
        conn.execute(_ADD_COUNT, (user_id, count))


class SqliteRollups:
    """`RollupRepository` over `daily_totals` and `entry_counts`."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def month_totals(self, user_id: str, months: Sequence[str]) -> list[MonthTotals]:
        """Totals of the given months ("YYYY-MM"), in the order asked: one range read."""
        if not months:
            return []
        for month in months:
            totals.check_month(month)
        low, high, wanted = min(months), max(months), set(months)
        rows = self._db.connection().execute(_RANGE, (user_id, low, _next_month(high)))
        found = fold(row for row in rows if row[0][:7] in wanted)
        return [found.get(month) or MonthTotals(month=month) for month in months]

    def month_totals_many(
        self, user_ids: Sequence[str], months: Sequence[str]
    ) -> dict[str, list[MonthTotals]]:
        """Totals of the given months for each user: one range read per user, one connection."""
        return {user_id: self.month_totals(user_id, months) for user_id in dict.fromkeys(user_ids)}

    def entry_count(self, user_id: str) -> int:
        """How many entries the user has (one key read)."""
        row = (
            self._db.connection()
            .execute("SELECT entries FROM entry_counts WHERE user_id = ?", (user_id,))
            .fetchone()
        )
        return 0 if row is None else int(row[0])

    def tally(self, user_id: str, months: Sequence[str]) -> Tally:
        """Entry count, month totals and award ids (three key reads)."""
        awarded = self._db.connection().execute(
            "SELECT achievement_id FROM awards WHERE user_id = ?", (user_id,)
        )
        return Tally(
            entry_count=self.entry_count(user_id),
            months=self.month_totals(user_id, months),
            awarded=frozenset(row[0] for row in awarded),
        )

    def rebuild(self, user_id: str) -> None:
        """Recompute a user's totals from their entries in one transaction (after a restore)."""
        with self._db.write() as conn:
            for statement in _CLEAR:
                conn.execute(statement, (user_id,))
            stored = conn.execute(_STORED, (user_id,)).fetchall()
            apply(conn, user_id, added=(part for row in stored for part in contributions(*row)))


def fold(rows: Iterable[tuple[str, str, float, int, int]]) -> dict[str, MonthTotals]:
    """MonthTotals by month from (day "YYYY-MM-DD", category, kg, entries, shares) rows."""
    kg: dict[str, dict[tuple[int, str], float]] = {}
    counts: dict[str, dict[int, int]] = {}
    shared: dict[str, set[int]] = {}
    for day, category, co2e_kg, entries, shares in rows:
        month, day_of_month = day[:7], int(day[8:10])
        kg.setdefault(month, {})[(day_of_month, category)] = co2e_kg
        by_day = counts.setdefault(month, {})
        by_day[day_of_month] = by_day.get(day_of_month, 0) + entries
        if shares > 0:
            shared.setdefault(month, set()).add(day_of_month)
    return {
        month: totals.month_totals(
            month, kg[month], counts[month], frozenset(shared.get(month, ()))
        )
        for month in kg
    }


def _next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:7])
    following = date(year + number // 12, number % 12 + 1, 1)
    return following.isoformat()[:7]
