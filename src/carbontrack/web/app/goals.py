"""/goals: the user's goals with live progress, a form to set one, and deleting one."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from carbontrack.api.deps import StoreDep
from carbontrack.api.errors import status_of
from carbontrack.domain.errors import AlreadyExists, InvalidInput
from carbontrack.domain.models import User
from carbontrack.services import goals
from carbontrack.store.base import Store
from carbontrack.web.app import goal_form, session
from carbontrack.web.app.goal_form import GoalForm
from carbontrack.web.app.handlers import CSRF_MESSAGE
from carbontrack.web.app.session import CsrfChecked, PageUser
from carbontrack.web.app.templating import render

router = APIRouter()
TypedGoal = Annotated[GoalForm, Depends(goal_form.typed)]


@router.get("/goals", response_class=HTMLResponse)
def goals_page(request: Request, user: PageUser, store: StoreDep) -> HTMLResponse:
    """The user's goals with their progress this period, and the form to set one."""
    return _page(request, store=store, user=user, form=GoalForm())


@router.post("/goals", response_class=HTMLResponse)
def create_goal(
    request: Request,
    user: PageUser,
    store: StoreDep,
    form: TypedGoal,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Set a goal; a refused one shows the form again with what was typed."""
    if not session.csrf_valid(request, csrf):
        form.errors[""] = CSRF_MESSAGE
        return _page(request, store=store, user=user, form=form, status_code=403)
    data = goal_form.check(form)
    if data is None:
        return _page(request, store=store, user=user, form=form, status_code=422)
    try:
        goals.create_goal(store=store, user=user, data=data)
    except (InvalidInput, AlreadyExists) as exc:
        form.fail(exc)
        return _page(request, store=store, user=user, form=form, status_code=status_of(exc))
    session.flash(request, "Goal set. Its progress updates as you log activities.")
    return RedirectResponse("/goals", status_code=303)


@router.post("/goals/{goal_id}/delete")
def delete_goal(
    request: Request, goal_id: str, user: PageUser, store: StoreDep, _: CsrfChecked
) -> RedirectResponse:
    """Delete one of the user's goals (another user's is the 404 page)."""
    goals.delete_goal(store=store, user=user, goal_id=goal_id)
    session.flash(request, "Goal deleted.")
    return RedirectResponse("/goals", status_code=303)


def _page(
    request: Request, *, store: Store, user: User, form: GoalForm, status_code: int = 200
) -> HTMLResponse:
    suggestions, notes = goals.suggest_targets(store=store, user=user)
    return render(
        request,
        "app/goals.html",
        status_code=status_code,
        tracked=goals.list_goals(store=store, user=user),
        suggestions=suggestions,
        suggestion_notes=notes,
        form=form,
        choices=goal_form.CHOICES,
        zone=ZoneInfo(user.time_zone),
    )
