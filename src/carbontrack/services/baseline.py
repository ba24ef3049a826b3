"""The baseline questionnaire: the questions, a user's estimate, and saving new answers.

The arithmetic is pure (domain/baseline.py); this module reads the user's country, the
factors from the store's catalogue, and writes the result conditionally on the version read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime

from carbontrack.datasets.countries import load_country_regions
from carbontrack.domain import baseline as arithmetic
from carbontrack.domain.baseline_model import Baseline
from carbontrack.domain.baseline_questions import QUESTIONNAIRE_VERSION, QUESTIONS, validate
from carbontrack.domain.models import User
from carbontrack.store.base import Store

__all__ = ["QUESTIONNAIRE_VERSION", "QUESTIONS", "estimate", "get_baseline", "save_answers"]


def get_baseline(*, store: Store, user: User) -> Baseline | None:
    """Return the user's stored baseline, or None if they have not answered yet."""
    return store.baselines.get(user.user_id)


def estimate(*, store: Store, user: User, answers: Mapping[str, str], now: datetime) -> Baseline:
    """Validate answers and compute the estimate for the user's country (nothing stored)."""
    checked = validate(answers)
    lines = arithmetic.estimate(
        checked,
        country=user.country,
        get_factor=store.factors.get,
        countries=load_country_regions(),
    )
    return Baseline(
        user_id=user.user_id,
        questionnaire_version=QUESTIONNAIRE_VERSION,
        answers=checked,
        lines=lines,
        created_at=now,
        updated_at=now,
        notes=arithmetic.NOTES,
    )


def save_answers(
    *, store: Store, user: User, answers: Mapping[str, str], now: datetime | None = None
) -> Baseline:
    """Validate, compute and store the user's baseline; `Conflict` if it changed meanwhile."""
    now = now or datetime.now(UTC)
    fresh = estimate(store=store, user=user, answers=answers, now=now)
    current = store.baselines.get(user.user_id)
    if current is None:
        return store.baselines.put(fresh, expected_version=None)
    kept = replace(fresh, created_at=current.created_at)
    return store.baselines.put(kept, expected_version=current.version)
