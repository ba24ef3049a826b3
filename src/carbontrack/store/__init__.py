"""Storage backends behind one Protocol; `build_store` picks one from settings."""

from __future__ import annotations

from carbontrack.settings import Settings
from carbontrack.store.base import Store


def build_store(settings: Settings) -> Store:
    """Open the configured store: SQLite (migrated if needed) or DynamoDB."""
    # Only the backend in use is imported: boto3 costs a Lambda cold start, not a local run.
    if settings.store == "dynamodb":
        from carbontrack.store.dynamodb import DynamoStore

        return DynamoStore.from_settings(settings)
    from carbontrack.store.sqlite import SqliteStore

    return SqliteStore(settings.database_path)
