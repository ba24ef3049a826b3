"""The SQLite schema as numbered migrations, tracked with `PRAGMA user_version`.

Migration N (1-based) is `MIGRATIONS[N - 1]`: a tuple of statements applied in one
transaction together with `PRAGMA user_version = N`. Never edit a released migration;
append a new one.
"""

from __future__ import annotations

import sqlite3

from carbontrack.store.sqlite.connection import Database

_V1 = (
    # users - key: user_id. email is unique ignoring ASCII case (the service already
    # lower-cases it; NOCASE keeps the store honest even if it did not).
    """
    CREATE TABLE users (
        user_id       TEXT PRIMARY KEY NOT NULL,
        email         TEXT NOT NULL COLLATE NOCASE UNIQUE,
        name          TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        country       TEXT,
        time_zone     TEXT NOT NULL,
        token_version INTEGER NOT NULL
    ) STRICT
    """,
    # entries - key: (user_id, entry_id). The factor_* columns are a snapshot of the
    # factor used, so an entry keeps its provenance when the catalogue changes;
    # resolution is a JSON array of the fallback steps tried.
    """
    CREATE TABLE entries (
        user_id                 TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
        entry_id                TEXT NOT NULL,
        timestamp               TEXT NOT NULL,
        category                TEXT NOT NULL,
        activity                TEXT NOT NULL,
        quantity                REAL NOT NULL,
        unit                    TEXT NOT NULL,
        co2e_kg                 REAL NOT NULL,
        factor_id               TEXT NOT NULL,
        factor_dataset          TEXT NOT NULL,
        factor_year             INTEGER NOT NULL,
        factor_source           TEXT NOT NULL,
        factor_co2e_kg_per_unit REAL NOT NULL,
        factor_unit             TEXT NOT NULL,
        requested_factor_id     TEXT,
        resolution              TEXT NOT NULL,
        note                    TEXT,
        created_at              TEXT NOT NULL,
        updated_at              TEXT NOT NULL,
        PRIMARY KEY (user_id, entry_id)
    ) STRICT
    """,
    # The listing order; the same shape as a DynamoDB Query on userId + timestamp.
    "CREATE INDEX entries_by_time ON entries (user_id, timestamp DESC, entry_id DESC)",
    # datasets - key: dataset_id.
    """
    CREATE TABLE datasets (
        dataset_id  TEXT PRIMARY KEY NOT NULL,
        name        TEXT NOT NULL,
        provider    TEXT NOT NULL,
        version     TEXT NOT NULL,
        source_url  TEXT NOT NULL,
        licence     TEXT NOT NULL,
        attribution TEXT NOT NULL,
        file        TEXT NOT NULL,
        sha256      TEXT NOT NULL
    ) STRICT
    """,
    # factors - key: factor_id; looked up by category (ordered by activity) and
    # replaced a whole dataset at a time.
    """
    CREATE TABLE factors (
        factor_id        TEXT PRIMARY KEY NOT NULL,
        dataset          TEXT NOT NULL REFERENCES datasets (dataset_id) ON DELETE CASCADE,
        category         TEXT NOT NULL,
        activity         TEXT NOT NULL,
        unit             TEXT NOT NULL,
        unit_type        TEXT NOT NULL,
        co2e_kg_per_unit REAL NOT NULL,
        region           TEXT NOT NULL,
        source           TEXT NOT NULL,
        year             INTEGER NOT NULL,
        licence          TEXT NOT NULL
    ) STRICT
    """,
    "CREATE INDEX factors_by_category ON factors (category, activity)",
    "CREATE INDEX factors_by_dataset ON factors (dataset)",
    # login_failures - key: key (a throttle key, services/throttle.py); one fixed window each.
    """
    CREATE TABLE login_failures (
        key        TEXT PRIMARY KEY NOT NULL,
        window_end TEXT NOT NULL,
        count      INTEGER NOT NULL
    ) STRICT
    """,
)

# Version 2 (issue 4): one migration, one part per feature.
_V2_ROLLUPS: tuple[str, ...] = (  # entries.day and the per-user daily totals
    # entries.day: the entry's local calendar day ("YYYY-MM-DD") in its user's time zone
    # when logged. Rows written before it existed get their UTC date, the only day known.
    # ADD COLUMN ... NOT NULL needs a default; every insert gives the day.
    "ALTER TABLE entries ADD COLUMN day TEXT NOT NULL DEFAULT ''",
    "UPDATE entries SET day = substr(timestamp, 1, 10)",
    # daily_totals - key: (user_id, day, category): kg CO2e and entries per local day,
    # kept in the same transaction as every entry write; a month is one range on the key.
    """
    CREATE TABLE daily_totals (
        user_id  TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
        day      TEXT NOT NULL,
        category TEXT NOT NULL,
        co2e_kg  REAL NOT NULL,
        entries  INTEGER NOT NULL,
        PRIMARY KEY (user_id, day, category)
    ) STRICT, WITHOUT ROWID
    """,
    # entry_counts - key: user_id: how many entries the user has.
    """
    CREATE TABLE entry_counts (
        user_id TEXT PRIMARY KEY NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
        entries INTEGER NOT NULL
    ) STRICT
    """,
    """
    INSERT INTO daily_totals (user_id, day, category, co2e_kg, entries)
    SELECT user_id, day, category, sum(co2e_kg), count(*) FROM entries
    GROUP BY user_id, day, category
    """,
    "INSERT INTO entry_counts (user_id, entries) SELECT user_id, count(*) FROM entries "
    "GROUP BY user_id",
)
_V2_GOALS: tuple[str, ...] = (
    # goals - key: (owner_id, goal_id), listed by owner in goal_id order (the DynamoDB
    # Query's order). owner_id is a user id or "TEAM#<teamId>", so it has no foreign key:
    # users.delete and teams.delete remove an owner's goals themselves.
    """
    CREATE TABLE goals (
        owner_id                 TEXT NOT NULL,
        goal_id                  TEXT NOT NULL,
        kind                     TEXT NOT NULL,
        period                   TEXT NOT NULL,
        start_date               TEXT NOT NULL,
        created_at               TEXT NOT NULL,
        category                 TEXT,
        target_reduction_percent REAL,
        target_co2e_kg           REAL,
        baseline_co2e_kg         REAL,
        team_scope               TEXT,
        achieved_at              TEXT,
        PRIMARY KEY (owner_id, goal_id)
    ) STRICT
    """,
)
_V2_TEAMS: tuple[str, ...] = (
    # teams - key: team_id. The join code is checked per team (the join URL names the team),
    # so it need not be unique across teams.
    """
    CREATE TABLE teams (
        team_id              TEXT PRIMARY KEY NOT NULL,
        name                 TEXT NOT NULL,
        created_at           TEXT NOT NULL,
        join_code            TEXT NOT NULL,
        join_code_expires_at TEXT NOT NULL
    ) STRICT
    """,
    # team_members - key: (team_id, user_id); a deleted team or account takes its
    # memberships with it. display_name is copied at join time for the leaderboard.
    """
    CREATE TABLE team_members (
        team_id      TEXT NOT NULL REFERENCES teams (team_id) ON DELETE CASCADE,
        user_id      TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
        role         TEXT NOT NULL,
        joined_at    TEXT NOT NULL,
        display_name TEXT NOT NULL,
        PRIMARY KEY (team_id, user_id)
    ) STRICT
    """,
    # A user's teams; the same shape as the DynamoDB GSI userId-index (userId, teamId).
    "CREATE INDEX team_members_by_user ON team_members (user_id, team_id)",
)
_V2_ACHIEVEMENTS: tuple[str, ...] = (  # awards and action commitments
    # awards - key: (user_id, achievement_id): the key is what makes an award happen once.
    """
    CREATE TABLE awards (
        user_id        TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
        achievement_id TEXT NOT NULL,
        earned_at      TEXT NOT NULL,
        PRIMARY KEY (user_id, achievement_id)
    ) STRICT, WITHOUT ROWID
    """,
    # actions - key: (user_id, action_id): the reduction actions a user committed to.
    """
    CREATE TABLE actions (
        user_id      TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
        action_id    TEXT NOT NULL,
        committed_at TEXT NOT NULL,
        completed_at TEXT,
        PRIMARY KEY (user_id, action_id)
    ) STRICT, WITHOUT ROWID
    """,
)
_V2 = (*_V2_ROLLUPS, *_V2_GOALS, *_V2_TEAMS, *_V2_ACHIEVEMENTS)

# Version 3 (issue 5): the CO2 explorer's reasoning cache.
_V3_REASONING_CACHE: tuple[str, ...] = (
    # reasoning_cache - key: cache_key (hex SHA-256 of the rounded point, date, provider,
    # model and data version). Reads ignore rows whose expires_at has passed; puts delete a
    # bounded number of them through the index, as DynamoDB's TTL does for its table.
    """
    CREATE TABLE reasoning_cache (
        cache_key       TEXT PRIMARY KEY NOT NULL,
        reasoning       TEXT NOT NULL,
        cited_fact_ids  TEXT NOT NULL,
        facts_json      TEXT NOT NULL,
        provider        TEXT NOT NULL,
        model           TEXT NOT NULL,
        data_version    TEXT NOT NULL,
        lat             REAL NOT NULL,
        lon             REAL NOT NULL,
        anomaly_id      TEXT,
        created_at      TEXT NOT NULL,
        expires_at      TEXT NOT NULL,
        fallback_from   TEXT,
        fallback_reason TEXT,
        fallback_detail TEXT
    ) STRICT
    """,
    "CREATE INDEX reasoning_cache_by_expiry ON reasoning_cache (expires_at)",
)
_V3 = _V3_REASONING_CACHE

# Version 4 (issue 12): a version per entry and goal. Every update sets only the columns it
# changes, under `WHERE ... AND version = <the one read>`, and bumps it; rows from before
# start at 0.
_V4_VERSIONS: tuple[str, ...] = (
    "ALTER TABLE entries ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE goals ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
)
# Attempt counters are keyed by client address too (issue 12): each count sweeps a bounded
# number of ended windows through this index, as DynamoDB's TTL does for its table.
_V4_THROTTLE_SWEEP: tuple[str, ...] = (
    "CREATE INDEX login_failures_by_window_end ON login_failures (window_end)",
)
_V4 = (*_V4_VERSIONS, *_V4_THROTTLE_SWEEP)

# Version 5 (issue 13): entries over a period (local days, both included; NULL for none).
# Their kg is spread over the period's days, which daily_totals counts in `shares` (the
# entries and period entries that add to a row); a row goes when its shares reach 0.
_V5: tuple[str, ...] = (
    "ALTER TABLE entries ADD COLUMN period_start TEXT",
    "ALTER TABLE entries ADD COLUMN period_end TEXT",
    "ALTER TABLE daily_totals ADD COLUMN shares INTEGER NOT NULL DEFAULT 0",
    "UPDATE daily_totals SET shares = entries",
)

# Version 6 (issue 13): the profile's distance unit for the log form, "km" or "mi"; users
# from before it keep km, the default they had.
_V6: tuple[str, ...] = ("ALTER TABLE users ADD COLUMN distance_unit TEXT NOT NULL DEFAULT 'km'",)

# Version 7 (issue 14): the operations console's inventory, the DynamoDB tables' twins:
# inventory_resources - key: pk ("service#accountId#region") + sk (resource id), data as
# JSON text, ttl in epoch seconds (reads skip expired rows; each refresh of a scope replaces
# them all); inventory_scopes - key: service + sk ("accountId#region"). And the operator
# role: users from before it are not operators.
_V7: tuple[str, ...] = (
    """
    CREATE TABLE inventory_resources (
        pk          TEXT NOT NULL,
        sk          TEXT NOT NULL,
        service     TEXT NOT NULL,
        account_id  TEXT NOT NULL,
        region      TEXT NOT NULL,
        data        TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        ttl         INTEGER NOT NULL,
        PRIMARY KEY (pk, sk)
    ) STRICT, WITHOUT ROWID
    """,
    """
    CREATE TABLE inventory_scopes (
        service         TEXT NOT NULL,
        sk              TEXT NOT NULL,
        account_id      TEXT NOT NULL,
        region          TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        resource_count  INTEGER NOT NULL,
        state           TEXT NOT NULL,
        error           TEXT,
        PRIMARY KEY (service, sk)
    ) STRICT, WITHOUT ROWID
    """,
    "ALTER TABLE users ADD COLUMN operator INTEGER NOT NULL DEFAULT 0",
)

# Version 8 (issue 14): the latest inventory refresh, one row (`slot` is always 'latest'), so
# a refresh can be followed and a second one refused while it runs.
_V8: tuple[str, ...] = (
    """
    CREATE TABLE inventory_runs (
        slot         TEXT PRIMARY KEY CHECK (slot = 'latest'),
        run_id       TEXT NOT NULL,
        service      TEXT,
        started_at   TEXT NOT NULL,
        finished_at  TEXT,
        done         INTEGER NOT NULL,
        total        INTEGER NOT NULL,
        state        TEXT NOT NULL,
        failed       INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID
    """,
)

# Version 9 (issue 15): each user's baseline footprint from the questionnaire - key: user_id;
# answers, lines and notes are JSON text (store/baseline_codec.py).
_V9: tuple[str, ...] = (
    """
    CREATE TABLE baselines (
        user_id               TEXT PRIMARY KEY NOT NULL
                              REFERENCES users (user_id) ON DELETE CASCADE,
        questionnaire_version INTEGER NOT NULL,
        answers               TEXT NOT NULL,
        lines                 TEXT NOT NULL,
        notes                 TEXT NOT NULL,
        created_at            TEXT NOT NULL,
        updated_at            TEXT NOT NULL,
        version               INTEGER NOT NULL
    ) STRICT
    """,
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8, _V9)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: Database) -> None:
    """Bring the file up to `SCHEMA_VERSION`; refuse a file written by newer code."""
    conn = db.connection()
    if _checked_version(conn, db) == SCHEMA_VERSION:
        return
    for version, statements in enumerate(MIGRATIONS, start=1):
        with db.write():
            # Re-read under the write lock: another process may have migrated meanwhile.
            if _checked_version(conn, db) >= version:
                continue
            for statement in statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version:d}")


def _checked_version(conn: sqlite3.Connection, db: Database) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise RuntimeError(
            f"{db.path} has schema version {version}, newer than the {SCHEMA_VERSION} "
            "this carbontrack knows; upgrade carbontrack to open it"
        )
    return version
