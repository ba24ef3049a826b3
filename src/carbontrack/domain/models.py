"""Domain types shared by every layer. Plain frozen dataclasses: no I/O, no framework.

Units live in the names (`co2e_kg`, `co2e_kg_per_unit`); every datetime is timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class User:
    """A person with an account. `email` is stored normalised (trimmed, lower-case)."""

    user_id: str
    email: str
    name: str
    password_hash: str
    created_at: datetime
    country: str | None = None  # ISO 3166-1 alpha-2, e.g. "GB"
    time_zone: str = "UTC"  # IANA name
    token_version: int = 0  # bumped on password change: older tokens stop working


@dataclass(frozen=True, slots=True)
class Dataset:
    """One published source of factors, pinned by the checksum of the file we ship."""

    dataset_id: str  # e.g. "defra-2020"
    name: str
    provider: str  # e.g. "defra"
    version: str  # the publisher's version or year, e.g. "2020"
    source_url: str
    licence: str
    attribution: str
    file: str  # path inside carbontrack/datasets/
    sha256: str


@dataclass(frozen=True, slots=True)
class Factor:
    """kg CO2e per unit of one activity, from one dataset.

    `factor_id` is `<provider>:<dataset>:<item>` and never changes meaning: a new
    publication is a new dataset, hence a new id.
    """

    factor_id: str
    category: str
    activity: str
    unit: str  # a pint-parsable unit, e.g. "km", "kWh", "room_night"
    unit_type: str  # e.g. "distance", "energy", "volume", "mass"
    co2e_kg_per_unit: float
    region: str  # ISO code, region name or "World"
    source: str  # human-readable citation
    dataset: str  # Dataset.dataset_id
    year: int  # the year the value describes
    licence: str


@dataclass(frozen=True, slots=True)
class FactorUsed:
    """What produced an entry's co2e_kg, kept with it so catalogue updates never change it."""

    factor_id: str
    dataset: str
    year: int
    source: str
    co2e_kg_per_unit: float
    unit: str
    # When the user asked for a resolving factor (grid electricity "in my country"),
    # the id they asked for and each step of the fallback chain that was tried.
    requested_factor_id: str | None = None
    resolution: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entry:
    """One logged activity and its footprint."""

    entry_id: str
    user_id: str
    timestamp: datetime  # when the activity happened, UTC
    category: str
    activity: str
    quantity: float
    unit: str  # the unit the user logged in
    co2e_kg: float
    factor: FactorUsed
    created_at: datetime
    updated_at: datetime
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a listing; `next_cursor` is opaque and None on the last page."""

    items: list[T] = field(default_factory=list)
    next_cursor: str | None = None
