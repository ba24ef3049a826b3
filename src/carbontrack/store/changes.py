"""What a partial update writes, shared by both stores (docs/storage.md, "Writes")."""

from __future__ import annotations


def profile_changes(
    *,
    name: str | None,
    country: str | None,
    time_zone: str | None,
    clear_country: bool,
    distance_unit: str | None = None,
) -> dict[str, str | None]:
    """The profile fields an update sets, by name: those given, and country if cleared."""
    given = {"name": name, "country": None if clear_country else country, "time_zone": time_zone}
    given["distance_unit"] = distance_unit
    return {
        field: value
        for field, value in given.items()
        if value is not None or (field == "country" and clear_country)
    }
