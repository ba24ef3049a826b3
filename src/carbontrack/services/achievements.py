"""Award achievements when their event happens, and show where a user stands on each.

Each hook measures only what its event can change, from store-kept totals, never from the
user's entries: `on_entry_written` reads the entry count, the totals of the last few local
months and the ids of the user's awards in one read (`rollups.tally`: one BatchGetItem on
DynamoDB), then writes one conditional award per newly met achievement. An award that
finds itself already there changes nothing, so a hook that runs twice, or two requests
racing, still award once. Every hook awards *all* the
met achievements of its kind, so one that was missed (say, entries logged before
achievements existed) is awarded at the next event of that kind.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from carbontrack.domain import achievements, periods
from carbontrack.domain.achievements import Facts, Tier
from carbontrack.domain.models import Award, User
from carbontrack.store.base import Store


@dataclass(frozen=True, slots=True)
class AchievementStatus:
    """One achievement as the user sees it: earned (with when) or locked (with progress)."""

    achievement_id: str
    title: str
    description: str
    tier: Tier
    points: int
    earned_at: datetime | None
    progress: float  # 0..1; 1 when earned


@dataclass(frozen=True, slots=True)
class AchievementBoard:
    """Every achievement, the user's points from those earned, and the level they reach."""

    level: int
    points: int
    next_level_points: int | None
    items: list[AchievementStatus]


def on_entry_written(*, store: Store, user: User, now: datetime) -> list[Award]:
    """Award the entry-count, streak and month-over-month achievements just reached."""
    today = _today(user, now)
    tally = store.rollups.tally(user.user_id, achievements.months_needed(today))
    facts = Facts(today=today, entry_count=tally.entry_count, months=tally.months)
    return _award_met(store=store, user=user, now=now, facts=facts, have=tally.awarded)


def on_goal_set(*, store: Store, user: User, now: datetime) -> list[Award]:
    """Award "first goal" (call after a goal of the user's own was stored)."""
    facts = Facts(today=_today(user, now), goals_set=1)
    return _award_met(store=store, user=user, now=now, facts=facts)


def on_goal_met(*, store: Store, user: User, now: datetime) -> list[Award]:
    """Award "goal achieved" (call when one of the user's own goals is met)."""
    facts = Facts(today=_today(user, now), goals_achieved=1)
    return _award_met(store=store, user=user, now=now, facts=facts)


def on_action_completed(*, store: Store, user: User, now: datetime) -> list[Award]:
    """Award the completed-actions achievements (call after the completion was stored)."""
    facts = Facts(today=_today(user, now), actions_completed=_completed_actions(store, user))
    return _award_met(store=store, user=user, now=now, facts=facts)


def list_achievements(*, store: Store, user: User, now: datetime) -> AchievementBoard:
    """Every achievement in catalogue order, earned or locked with its progress, and the level."""
    goals = store.goals.list_for_owner(user.user_id)
    facts = replace(
        _entry_facts(store, user, now),
        goals_set=len(goals),
        goals_achieved=sum(1 for goal in goals if goal.achieved_at is not None),
        actions_completed=_completed_actions(store, user),
    )
    earned = {a.achievement_id: a for a in store.achievements.list_for_user(user.user_id)}
    items = [
        _status(standing, earned.get(standing.achievement.achievement_id))
        for standing in achievements.evaluate(facts)
    ]
    points = sum(item.points for item in items if item.earned_at is not None)
    level = achievements.level_for(points)
    return AchievementBoard(
        level=level.level, points=points, next_level_points=level.next_level_points, items=items
    )


def _status(standing: achievements.Standing, award: Award | None) -> AchievementStatus:
    achievement = standing.achievement
    return AchievementStatus(
        achievement_id=achievement.achievement_id,
        title=achievement.title,
        description=achievement.description,
        tier=achievement.tier,
        points=achievement.points,
        earned_at=None if award is None else award.earned_at,
        progress=1.0 if award is not None else standing.progress,
    )


def _today(user: User, now: datetime) -> date:
    return periods.local_day(now, user.time_zone)


def _completed_actions(store: Store, user: User) -> int:
    return sum(1 for c in store.actions.list_for_user(user.user_id) if c.completed_at is not None)


def _entry_facts(store: Store, user: User, now: datetime) -> Facts:
    today = _today(user, now)
    return Facts(
        today=today,
        entry_count=store.rollups.entry_count(user.user_id),
        months=store.rollups.month_totals(user.user_id, achievements.months_needed(today)),
    )


def _award_met(
    *,
    store: Store,
    user: User,
    now: datetime,
    facts: Facts,
    have: frozenset[str] | None = None,
) -> list[Award]:
    """Award each achievement `facts` show as met that the user does not have yet.

    `have`: the user's award ids if the caller read them already.
    """
    met = [s.achievement.achievement_id for s in achievements.evaluate(facts) if s.met]
    if not met:
        return []
    if have is None:
        have = frozenset(a.achievement_id for a in store.achievements.list_for_user(user.user_id))
    awarded: list[Award] = []
    for achievement_id in met:
        award = Award(user_id=user.user_id, achievement_id=achievement_id, earned_at=now)
        if achievement_id not in have and store.achievements.award(award):
            awarded.append(award)
    return awarded
