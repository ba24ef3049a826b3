"""/teams: the user's teams, creating and joining one; /teams/{id}: a team's page for its members.

A team's page shows the team's sums, each member's monthly total next to a display name and
the team goals, all from `services.team_stats`: nobody's entries. Anyone who is not a member
gets the 404 page, exactly as for a team that does not exist. Member actions (roles, removing,
leaving, a new join code, deleting the team) are POST forms; one the role does not allow, or
that breaks a rule, comes back as an error message on the team's page and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, get_args
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from carbontrack.api.deps import StoreDep
from carbontrack.api.errors import status_of
from carbontrack.domain import teams as rules
from carbontrack.domain.errors import AlreadyExists, Forbidden, InvalidInput, NotFound
from carbontrack.domain.models import User
from carbontrack.services import team_stats, teams
from carbontrack.store.base import Store
from carbontrack.web.app import forms, goal_form, session, team_invite
from carbontrack.web.app.goal_form import GoalForm
from carbontrack.web.app.handlers import CSRF_MESSAGE
from carbontrack.web.app.session import CsrfChecked, PageUser
from carbontrack.web.app.templating import render

router = APIRouter()
TypedGoal = Annotated[GoalForm, Depends(goal_form.typed)]
Csrf = Annotated[str, Form()]
MAX_TEAM_ID_CHARS = 64  # ours are 36-character UUIDs
# The service's field names -> this page's form fields (the create form's display name
# has its own id, as the join form on the same page has one too).
CREATE_FIELDS = {"name": "name", "displayName": "ownerDisplayName"}
JOIN_FIELDS = {"teamId": "teamId", "code": "code", "displayName": "displayName"}
RefusedAction = (InvalidInput, Forbidden)


@dataclass
class TeamForm:
    """A form of /teams as typed, with an error message per field ("" for the whole form)."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def refused(cls, values: dict[str, str]) -> TeamForm:
        """The form as typed, sent without a valid CSRF token."""
        return cls(values, {"": CSRF_MESSAGE})


@router.get("/teams", response_class=HTMLResponse)
def teams_page(request: Request, user: PageUser, store: StoreDep) -> HTMLResponse:
    """The user's teams, and the forms to create one or join one."""
    return _teams_page(request, store=store, user=user)


@router.post("/teams", response_class=HTMLResponse)
def create_team(
    request: Request,
    user: PageUser,
    store: StoreDep,
    csrf: Csrf = "",
    name: Annotated[str, Form()] = "",
    owner_display_name: Annotated[str, Form(alias="ownerDisplayName")] = "",
) -> Response:
    """Create a team with the user as owner, then show its page with the join code."""
    typed = {"name": name, "ownerDisplayName": owner_display_name}
    if not session.csrf_valid(request, csrf):
        refused = TeamForm.refused(typed)
        return _teams_page(request, store=store, user=user, create=refused, status_code=403)
    try:
        team = teams.create_team(
            store=store, user=user, name=name, display_name=owner_display_name.strip() or None
        )
    except InvalidInput as exc:
        form = TeamForm(typed, forms.domain_errors(exc, CREATE_FIELDS))
        return _teams_page(request, store=store, user=user, create=form, status_code=422)
    session.flash(request, f"Team “{team.name}” created. Send people its invite link below.")
    return RedirectResponse(f"/teams/{team.team_id}", status_code=303)


@router.post("/teams/join", response_class=HTMLResponse)
def join_team(
    request: Request,
    user: PageUser,
    store: StoreDep,
    csrf: Csrf = "",
    team_id: Annotated[str, Form(alias="teamId")] = "",
    code: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form(alias="displayName")] = "",
) -> Response:
    """Join a team with its id and current join code."""
    typed = {"teamId": team_id, "code": code, "displayName": display_name}
    if not session.csrf_valid(request, csrf):
        refused = TeamForm.refused(typed)
        return _teams_page(request, store=store, user=user, join=refused, status_code=403)
    team_id = team_id.strip()
    try:
        _check_join(team_id, code)
        teams.join_team(
            store=store,
            user=user,
            team_id=team_id,
            code=code,
            display_name=display_name.strip() or None,
        )
    except (NotFound, InvalidInput, AlreadyExists) as exc:
        form = TeamForm(typed, forms.domain_errors(exc, JOIN_FIELDS))
        return _teams_page(request, store=store, user=user, join=form, status_code=status_of(exc))
    session.flash(request, "You joined the team.")
    return RedirectResponse(f"/teams/{team_id}", status_code=303)


@router.get("/teams/{team_id}", response_class=HTMLResponse)
def team_page(request: Request, team_id: str, user: PageUser, store: StoreDep) -> HTMLResponse:
    """A team's page: this month's sums, the leaderboard, goals and members (members only)."""
    return _team_page(request, store=store, user=user, team_id=team_id, form=GoalForm())


@router.post("/teams/{team_id}/goals", response_class=HTMLResponse)
def create_team_goal(
    request: Request,
    team_id: str,
    user: PageUser,
    store: StoreDep,
    form: TypedGoal,
    csrf: Csrf = "",
) -> Response:
    """Set a team goal (owners and admins); a refused one shows the form again as typed."""

    def again(status_code: int) -> HTMLResponse:
        return _team_page(
            request, store=store, user=user, team_id=team_id, form=form, status_code=status_code
        )

    if not session.csrf_valid(request, csrf):
        form.errors[""] = CSRF_MESSAGE
        return again(403)
    data = goal_form.check_team(form)
    if data is None:
        return again(422)
    try:
        team_stats.create_goal(store=store, user=user, team_id=team_id, data=data)
    except RefusedAction as exc:
        form.fail(exc)
        return again(status_of(exc))
    return _back(request, team_id, "Team goal set.")


@router.post("/teams/{team_id}/goals/{goal_id}/delete")
def delete_team_goal(
    request: Request, team_id: str, goal_id: str, user: PageUser, store: StoreDep, _: CsrfChecked
) -> RedirectResponse:
    """Delete a team goal (owners and admins)."""
    return _act(
        request,
        team_id,
        lambda: team_stats.delete_goal(store=store, user=user, team_id=team_id, goal_id=goal_id),
        done="Team goal deleted.",
    )


@router.post("/teams/{team_id}/join-code")
def regenerate_code(
    request: Request, team_id: str, user: PageUser, store: StoreDep, _: CsrfChecked
) -> RedirectResponse:
    """Issue a new join code; the old one stops working (owners and admins)."""
    return _act(
        request,
        team_id,
        lambda: teams.regenerate_code(store=store, user=user, team_id=team_id),
        done="New join code issued; the old one no longer works.",
    )


@router.post("/teams/{team_id}/members/{member_id}/role")
def change_role(
    request: Request,
    team_id: str,
    member_id: str,
    user: PageUser,
    store: StoreDep,
    _: CsrfChecked,
    role: Annotated[str, Form()] = "",
) -> RedirectResponse:
    """Change a member's role (owner only); making someone owner hands the team over."""
    return _act(
        request,
        team_id,
        lambda: teams.change_role(
            store=store, user=user, team_id=team_id, member_id=member_id, role=role
        ),
        done="Role changed.",
    )


@router.post("/teams/{team_id}/members/{member_id}/remove")
def remove_member(
    request: Request, team_id: str, member_id: str, user: PageUser, store: StoreDep, _: CsrfChecked
) -> RedirectResponse:
    """Remove another member (owner: anyone; admin: plain members)."""
    if member_id == user.user_id:  # leaving has its own form and its own way out
        raise NotFound("member not found", field="userId")
    return _act(
        request,
        team_id,
        lambda: teams.remove_member(store=store, user=user, team_id=team_id, member_id=member_id),
        done="Member removed.",
    )


@router.post("/teams/{team_id}/leave")
def leave_team(
    request: Request, team_id: str, user: PageUser, store: StoreDep, _: CsrfChecked
) -> RedirectResponse:
    """Leave the team (an owner only as its last member, which deletes it)."""
    try:
        teams.remove_member(store=store, user=user, team_id=team_id, member_id=user.user_id)
    except RefusedAction as exc:
        return _back(request, team_id, forms.domain_errors(exc, {})[""], level="error")
    session.flash(request, "You left the team.")
    return RedirectResponse("/teams", status_code=303)


@router.post("/teams/{team_id}/delete")
def delete_team(
    request: Request, team_id: str, user: PageUser, store: StoreDep, _: CsrfChecked
) -> RedirectResponse:
    """Delete the team with its goals (owner only)."""
    try:
        teams.delete_team(store=store, user=user, team_id=team_id)
    except Forbidden as exc:
        return _back(request, team_id, forms.domain_errors(exc, {})[""], level="error")
    session.flash(request, "Team deleted.")
    return RedirectResponse("/teams", status_code=303)


def _act(
    request: Request, team_id: str, action: Callable[[], object], *, done: str
) -> RedirectResponse:
    """Run a member action and go back to the team's page saying how it went.

    A refused action (the role does not allow it, or it breaks a rule) changes nothing and
    says why; a team the user is not in stays the 404 page.
    """
    try:
        action()
    except RefusedAction as exc:
        return _back(request, team_id, forms.domain_errors(exc, {})[""], level="error")
    return _back(request, team_id, done)


def _back(
    request: Request, team_id: str, message: str, *, level: session.FlashLevel = "success"
) -> RedirectResponse:
    session.flash(request, message, level=level)
    return RedirectResponse(f"/teams/{team_id}", status_code=303)


def _check_join(team_id: str, code: str) -> None:
    if not team_id:
        raise InvalidInput("Enter the team id you were given.", field="teamId")
    if not code.strip():
        raise InvalidInput("Enter the join code you were given.", field="code")
    if len(team_id) > MAX_TEAM_ID_CHARS:
        raise NotFound("no team with this id and join code", field="code")


def _teams_page(
    request: Request,
    *,
    store: Store,
    user: User,
    create: TeamForm | None = None,
    join: TeamForm | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "app/teams.html",
        status_code=status_code,
        my_teams=teams.my_teams(store=store, user=user),
        create=create or TeamForm(dict.fromkeys(CREATE_FIELDS.values(), "")),
        join=join or TeamForm(dict.fromkeys(JOIN_FIELDS.values(), "")),
    )


def _team_page(
    request: Request,
    *,
    store: Store,
    user: User,
    team_id: str,
    form: GoalForm,
    status_code: int = 200,
) -> HTMLResponse:
    """The team's page from its dashboard, leaderboard and members (`NotFound` for outsiders)."""
    board = team_stats.dashboard(store=store, user=user, team_id=team_id)
    members = teams.list_members(store=store, user=user, team_id=team_id)
    me = next((m for m in members if m.user_id == user.user_id), None)
    if me is None:  # removed between the two reads
        raise NotFound("team not found", field="teamId")
    code = board.team.join_code  # only for those who may invite
    link = team_invite.invite_url(request, team_id=team_id, code=code) if code else None
    return render(
        request,
        "app/team.html",
        status_code=status_code,
        board=board,
        leaderboard=team_stats.leaderboard(store=store, user=user, team_id=team_id),
        members=members,
        me=me,
        may={action: rules.may(me.role, action) for action in get_args(rules.Action)},
        removable={m.user_id for m in members if rules.may_remove(me, m)},
        form=form,
        choices=goal_form.CHOICES,
        zone=ZoneInfo(user.time_zone),
        invite_link=link,
        invite_qr=team_invite.qr_svg(link) if link else None,
    )
