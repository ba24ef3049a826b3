"""Storage backends behind one Protocol; `build_store` picks one from settings."""

from __future__ import annotations

from carbontrack.settings import Settings
from carbontrack.store.base import Store


def build_store(settings: Settings) -> Store:
    """Open the configured store (migrating it if needed)."""
    from carbontrack.store.sqlite import SqliteStore  # only the backend in use is imported

    return SqliteStore(settings.database_path)
