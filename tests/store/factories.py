"""Keyword-argument factories for store tests: sensible defaults, override what matters."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

from carbontrack.domain.models import (
    ActionCommitment,
    Award,
    Dataset,
    Entry,
    Factor,
    FactorUsed,
    Goal,
    Membership,
    Team,
    User,
)

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
_ids = itertools.count(1)


def _next() -> int:
    return next(_ids)


def make_user(**overrides: Any) -> User:
    """A user with a unique id and email."""
    n = _next()
    values: dict[str, Any] = {
        "user_id": f"user-{n:06d}",
        "email": f"user{n}@example.com",
        "name": f"User {n}",
        "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
        "created_at": T0,
        "country": "GB",
        "time_zone": "Europe/London",
        "token_version": 0,
    }
    return User(**(values | overrides))


def make_factor_used(**overrides: Any) -> FactorUsed:
    """The provenance an entry records: a DEFRA car factor by default."""
    values: dict[str, Any] = {
        "factor_id": "defra:defra-2020:car-average-petrol",
        "dataset": "defra-2020",
        "year": 2020,
        "source": "UK Government GHG Conversion Factors 2020",
        "co2e_kg_per_unit": 0.17048,
        "unit": "km",
    }
    return FactorUsed(**(values | overrides))


def make_entry(**overrides: Any) -> Entry:
    """An entry with a unique id, one minute after the previous one; day: its UTC date."""
    n = _next()
    timestamp = overrides.get("timestamp", T0 + timedelta(minutes=n))
    values: dict[str, Any] = {
        "entry_id": f"entry-{n:06d}",
        "user_id": "user-000000",
        "timestamp": timestamp,
        "day": timestamp.astimezone(UTC).date(),
        "category": "transport",
        "activity": "car-average-petrol",
        "quantity": 12.5,
        "unit": "km",
        "co2e_kg": 2.131,
        "factor": make_factor_used(),
        "created_at": T0,
        "updated_at": T0,
        "note": None,
    }
    return Entry(**(values | overrides))


def make_dataset(**overrides: Any) -> Dataset:
    """A dataset description with provenance fields filled in."""
    values: dict[str, Any] = {
        "dataset_id": "defra-2020",
        "name": "UK Government GHG Conversion Factors 2020",
        "provider": "defra",
        "version": "2020",
        "source_url": "https://www.gov.uk/government/publications/greenhouse-gas-reporting-conversion-factors-2020",
        "licence": "OGL-UK-3.0",
        "attribution": "Contains public sector information licensed under the OGL v3.0.",
        "file": "factors/defra-2020.csv",
        "sha256": "0" * 64,
    }
    return Dataset(**(values | overrides))


def make_factor(**overrides: Any) -> Factor:
    """A factor with a unique id in the defra-2020 dataset unless overridden."""
    n = _next()
    dataset = overrides.get("dataset", "defra-2020")
    values: dict[str, Any] = {
        "factor_id": f"defra:{dataset}:item-{n:06d}",
        "category": "transport",
        "activity": f"activity-{n:06d}",
        "unit": "km",
        "unit_type": "distance",
        "co2e_kg_per_unit": 0.17048,
        "region": "GB",
        "source": "UK Government GHG Conversion Factors 2020",
        "dataset": dataset,
        "year": 2020,
        "licence": "OGL-UK-3.0",
    }
    return Factor(**(values | overrides))


def make_team(**overrides: Any) -> Team:
    """A team with a unique id and a join code valid for 7 days from T0."""
    n = _next()
    values: dict[str, Any] = {
        "team_id": f"team-{n:06d}",
        "name": f"Team {n}",
        "created_at": T0,
        "join_code": "ABCDEFGHJK",
        "join_code_expires_at": T0 + timedelta(days=7),
    }
    return Team(**(values | overrides))


def make_membership(**overrides: Any) -> Membership:
    """A plain member of team-000000 who joined at T0."""
    n = _next()
    values: dict[str, Any] = {
        "team_id": "team-000000",
        "user_id": f"user-{n:06d}",
        "role": "member",
        "joined_at": T0,
        "display_name": f"Member {n}",
    }
    return Membership(**(values | overrides))


def make_goal(**overrides: Any) -> Goal:
    """A monthly 200 kg budget goal of user-000000 with a unique id, from T0's month."""
    n = _next()
    values: dict[str, Any] = {
        "goal_id": f"goal-{n:06d}",
        "owner_id": "user-000000",
        "kind": "budget",
        "period": "month",
        "start_date": date(2026, 3, 1),
        "created_at": T0,
        "target_co2e_kg": 200.0,
    }
    return Goal(**(values | overrides))


def make_award(**overrides: Any) -> Award:
    """user-000000 earning first-entry at T0."""
    values: dict[str, Any] = {
        "user_id": "user-000000",
        "achievement_id": "first-entry",
        "earned_at": T0,
    }
    return Award(**(values | overrides))


def make_commitment(**overrides: Any) -> ActionCommitment:
    """user-000000 committing to car-to-rail at T0, not completed."""
    values: dict[str, Any] = {
        "user_id": "user-000000",
        "action_id": "car-to-rail",
        "committed_at": T0,
        "completed_at": None,
    }
    return ActionCommitment(**(values | overrides))
