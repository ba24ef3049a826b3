"""The signed-in user's goals, each with its live progress."""

from __future__ import annotations

from fastapi import APIRouter, Response

from carbontrack.api.deps import CurrentUser, StoreDep
from carbontrack.api.responses import model_response
from carbontrack.api.schemas_goals import (
    GoalIn,
    GoalList,
    GoalOut,
    GoalPatchIn,
    GoalSuggestionList,
    goal_view,
)
from carbontrack.services import goals

router = APIRouter(prefix="/api/goals", tags=["goals"])


@router.post("", status_code=201, response_model=GoalOut)
def create_goal(body: GoalIn, user: CurrentUser, store: StoreDep) -> Response:
    """Set a goal: a budget (kg CO2e per period) or a cut versus the 3 periods before it."""
    data = goals.GoalInput(
        kind=body.kind,
        period=body.period,
        category=body.category,
        target_reduction_percent=body.target_reduction_percent,
        target_co2e_kg=body.target_co2e_kg,
        start_date=body.start_date,
    )
    tracked = goals.create_goal(store=store, user=user, data=data)
    return model_response(GoalOut, goal_view(tracked), status_code=201)


@router.get("", response_model=GoalList)
def list_goals(user: CurrentUser, store: StoreDep) -> Response:
    """The user's goals, oldest first, with their progress in the current period."""
    tracked = goals.list_goals(store=store, user=user)
    return model_response(GoalList, {"items": [goal_view(t) for t in tracked]})


@router.get("/suggestions", response_model=GoalSuggestionList)
def suggest_targets(user: CurrentUser, store: StoreDep) -> Response:
    """Monthly budget targets to choose from: the 1.5 °C share, your country, your baseline."""
    items, notes = goals.suggest_targets(store=store, user=user)
    return model_response(GoalSuggestionList, {"items": items, "notes": notes})


@router.get("/{goal_id}", response_model=GoalOut)
def get_goal(goal_id: str, user: CurrentUser, store: StoreDep) -> Response:
    """One of the user's goals with its progress."""
    return model_response(
        GoalOut, goal_view(goals.get_goal(store=store, user=user, goal_id=goal_id))
    )


@router.patch("/{goal_id}", response_model=GoalOut)
def update_goal(goal_id: str, body: GoalPatchIn, user: CurrentUser, store: StoreDep) -> Response:
    """Change a goal's target; anything else needs a new goal."""
    changes = goals.GoalChanges(
        target_reduction_percent=body.target_reduction_percent,
        target_co2e_kg=body.target_co2e_kg,
        fixed=body.fixed(),
    )
    tracked = goals.update_goal(store=store, user=user, goal_id=goal_id, changes=changes)
    return model_response(GoalOut, goal_view(tracked))


@router.delete("/{goal_id}", status_code=204)
def delete_goal(goal_id: str, user: CurrentUser, store: StoreDep) -> Response:
    """Delete one of the user's goals."""
    goals.delete_goal(store=store, user=user, goal_id=goal_id)
    return Response(status_code=204)
