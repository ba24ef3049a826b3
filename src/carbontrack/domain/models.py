"""Domain types shared by every layer. Plain frozen dataclasses: no I/O, no framework.

Units live in the names (`co2e_kg`, `co2e_kg_per_unit`); every datetime is timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Generic, TypeVar

T = TypeVar("T")


# The distance units a profile can prefer ("mi" is shown and logged as "mile").
DISTANCE_UNITS = ("km", "mi")


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
    distance_unit: str = "km"  # one of DISTANCE_UNITS: the log form's default distance unit
    operator: bool = False  # may use the operations console (granted by the CLI only)


@dataclass(frozen=True, slots=True)
class Dataset:
    """One published source of factors, pinned by one checksum over every file it is built from."""

    dataset_id: str  # e.g. "defra-2020"
    name: str
    provider: str  # e.g. "defra"
    version: str  # the publisher's version or year, e.g. "2020"
    source_url: str
    licence: str
    attribution: str
    file: str  # path inside carbontrack/datasets/ of the published file
    sha256: str  # over all its input files: datasets.manifest.inputs_checksum


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
    day: date  # the local calendar day of `timestamp` in the user's time zone when logged
    category: str
    activity: str
    quantity: float
    unit: str  # the unit the user logged in
    co2e_kg: float
    factor: FactorUsed
    created_at: datetime
    updated_at: datetime
    note: str | None = None
    version: int = 0  # bumped by every update, which writes only if it is still the one read
    # A bill over a period (local days, both included): its kg is spread evenly over them.
    period_start: date | None = None
    period_end: date | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a listing; `next_cursor` is opaque and None on the last page."""

    items: list[T] = field(default_factory=list)
    next_cursor: str | None = None


@dataclass(frozen=True, slots=True)
class MonthTotals:
    """One user's kg CO2e in one local calendar month, kept by the store on every entry write.

    Days are the entries' local calendar days (`Entry.day`); an entry over a period adds
    its kg in equal shares to each day of the period and counts once, on its `day`
    (docs/storage.md, "Entries over a period"). A month with no entries has empty mappings.
    """

    month: str  # "YYYY-MM"
    co2e_kg_by_day: dict[int, dict[str, float]] = field(default_factory=dict)  # day -> cat -> kg
    entries_by_day: dict[int, int] = field(default_factory=dict)  # day -> number of entries


@dataclass(frozen=True, slots=True)
class Tally:
    """A user's standing as the store keeps it: what awarding achievements reads at once."""

    entry_count: int
    months: list[MonthTotals]  # in the order asked
    awarded: frozenset[str]  # achievement ids the user holds


@dataclass(frozen=True, slots=True)
class Goal:
    """A reduction or budget target over a repeating period, for a user or a team.

    `owner_id` is a user id, or "TEAM#<teamId>" for a team goal. A reduction goal keeps the
    baseline it was measured against (fixed when the goal is set), so progress never shifts.
    """

    goal_id: str
    owner_id: str
    kind: str  # "reduction" | "budget"
    period: str  # "week" | "month" | "year"
    start_date: date
    created_at: datetime
    category: str | None = None  # None: the whole footprint
    target_reduction_percent: float | None = None  # reduction goals
    target_co2e_kg: float | None = None  # budget goals: kg CO2e per period
    baseline_co2e_kg: float | None = None  # reduction goals: mean of the 3 periods before start
    team_scope: str | None = None  # team goals: "total" | "per_member"
    achieved_at: datetime | None = None
    version: int = 0  # bumped by every update, which writes only if it is still the one read


@dataclass(frozen=True, slots=True)
class Team:
    """A group that tracks its footprint together; members join with a code."""

    team_id: str
    name: str
    created_at: datetime
    join_code: str
    join_code_expires_at: datetime


@dataclass(frozen=True, slots=True)
class Membership:
    """A user's place in a team. `display_name` is copied at join time for leaderboards."""

    team_id: str
    user_id: str
    role: str  # "owner" | "admin" | "member"
    joined_at: datetime
    display_name: str


@dataclass(frozen=True, slots=True)
class Award:
    """An achievement a user earned; a user earns each achievement at most once."""

    user_id: str
    achievement_id: str
    earned_at: datetime


@dataclass(frozen=True, slots=True)
class ActionCommitment:
    """A reduction action a user committed to, and when they completed it."""

    user_id: str
    action_id: str
    committed_at: datetime
    completed_at: datetime | None = None
