"""Teams: create, join by code, dashboard, leaderboard, goals and members.

Every URL under `/api/teams/{teamId}` answers 404 to anyone who is not a member.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from carbontrack.api.deps import CurrentUser, StoreDep
from carbontrack.api.responses import model_response
from carbontrack.api.schemas_teams import (
    DashboardOut,
    JoinIn,
    LeaderboardOut,
    MemberList,
    MembershipOut,
    RoleIn,
    TeamGoalIn,
    TeamGoalList,
    TeamGoalOut,
    TeamIn,
    TeamList,
    TeamOut,
)
from carbontrack.services import team_stats, teams

router = APIRouter(prefix="/api/teams", tags=["teams"])


@router.post("", status_code=201, response_model=TeamOut)
def create_team(body: TeamIn, user: CurrentUser, store: StoreDep) -> Response:
    """Create a team with you as its owner; share `joinCode` to invite people."""
    team = teams.create_team(store=store, user=user, name=body.name, display_name=body.display_name)
    return model_response(TeamOut, team, status_code=201)


@router.get("", response_model=TeamList)
def my_teams(user: CurrentUser, store: StoreDep) -> Response:
    """The teams you are in."""
    return model_response(TeamList, {"items": teams.my_teams(store=store, user=user)})


@router.get("/{team_id}", response_model=DashboardOut)
def dashboard(team_id: str, user: CurrentUser, store: StoreDep) -> Response:
    """The team's totals this month and last, by category, per member, and its goals."""
    board = team_stats.dashboard(store=store, user=user, team_id=team_id)
    return model_response(DashboardOut, DashboardOut.of(board))


@router.delete("/{team_id}", status_code=204)
def delete_team(team_id: str, user: CurrentUser, store: StoreDep) -> Response:
    """Delete the team with its goals (owner only)."""
    teams.delete_team(store=store, user=user, team_id=team_id)
    return Response(status_code=204)


@router.post("/{team_id}/join", response_model=MembershipOut)
def join_team(team_id: str, body: JoinIn, user: CurrentUser, store: StoreDep) -> Response:
    """Join with the team's join code."""
    membership = teams.join_team(
        store=store, user=user, team_id=team_id, code=body.code, display_name=body.display_name
    )
    return model_response(MembershipOut, membership)


@router.post("/{team_id}/join-code", response_model=TeamOut)
def regenerate_code(team_id: str, user: CurrentUser, store: StoreDep) -> Response:
    """Replace the join code; the old one stops working (owners and admins)."""
    return model_response(TeamOut, teams.regenerate_code(store=store, user=user, team_id=team_id))


@router.get("/{team_id}/leaderboard", response_model=LeaderboardOut)
def leaderboard(team_id: str, user: CurrentUser, store: StoreDep) -> Response:
    """This month's totals per member, lowest first: display names and totals only."""
    board = team_stats.leaderboard(store=store, user=user, team_id=team_id)
    return model_response(LeaderboardOut, LeaderboardOut.of(board))


@router.get("/{team_id}/goals", response_model=TeamGoalList)
def list_goals(team_id: str, user: CurrentUser, store: StoreDep) -> Response:
    """The team's goals with live progress."""
    views = team_stats.list_goals(store=store, user=user, team_id=team_id)
    return model_response(TeamGoalList, {"items": [TeamGoalOut.of(v) for v in views]})


@router.post("/{team_id}/goals", status_code=201, response_model=TeamGoalOut)
def create_goal(team_id: str, body: TeamGoalIn, user: CurrentUser, store: StoreDep) -> Response:
    """Set a team goal, for the whole team or per member (owners and admins)."""
    data = team_stats.GoalInput(
        kind=body.kind,
        scope=body.scope,
        period=body.period,
        category=body.category,
        target_reduction_percent=body.target_reduction_percent,
        target_co2e_kg=body.target_co2e_kg,
        start_date=body.start_date,
    )
    view = team_stats.create_goal(store=store, user=user, team_id=team_id, data=data)
    return model_response(TeamGoalOut, TeamGoalOut.of(view), status_code=201)


@router.delete("/{team_id}/goals/{goal_id}", status_code=204)
def delete_goal(team_id: str, goal_id: str, user: CurrentUser, store: StoreDep) -> Response:
    """Remove a team goal (owners and admins)."""
    team_stats.delete_goal(store=store, user=user, team_id=team_id, goal_id=goal_id)
    return Response(status_code=204)


@router.get("/{team_id}/members", response_model=MemberList)
def list_members(team_id: str, user: CurrentUser, store: StoreDep) -> Response:
    """The members, in order of joining."""
    members = teams.list_members(store=store, user=user, team_id=team_id)
    return model_response(MemberList, {"items": members})


@router.patch("/{team_id}/members/{member_id}", response_model=MembershipOut)
def change_role(
    team_id: str, member_id: str, body: RoleIn, user: CurrentUser, store: StoreDep
) -> Response:
    """Set a member's role (owner only); giving the owner role hands the team over."""
    membership = teams.change_role(
        store=store, user=user, team_id=team_id, member_id=member_id, role=body.role
    )
    return model_response(MembershipOut, membership)


@router.delete("/{team_id}/members/{member_id}", status_code=204)
def remove_member(team_id: str, member_id: str, user: CurrentUser, store: StoreDep) -> Response:
    """Remove a member, or leave the team with your own user id."""
    teams.remove_member(store=store, user=user, team_id=team_id, member_id=member_id)
    return Response(status_code=204)
