"""/recommendations: ranked reduction actions with their savings; commit to one, mark it done."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from carbontrack.api.deps import StoreDep
from carbontrack.domain.reduction_actions import BY_ID
from carbontrack.services import recommendations
from carbontrack.web.app import session
from carbontrack.web.app.session import CsrfChecked, PageUser
from carbontrack.web.app.templating import render

router = APIRouter()
LIMIT = 50  # the API's most: the whole catalogue fits


@router.get("/recommendations", response_class=HTMLResponse)
def recommendations_page(request: Request, user: PageUser, store: StoreDep) -> HTMLResponse:
    """The actions that would save the user most a year, best first."""
    items = recommendations.list_recommendations(
        store=store, user=user, now=datetime.now(UTC), limit=LIMIT
    )
    return render(
        request,
        "app/recommendations.html",
        items=items,
        typical=any(item.typical for item in items),
    )


@router.post("/recommendations/{action_id}/commit")
def commit(
    request: Request, action_id: str, user: PageUser, store: StoreDep, _: CsrfChecked
) -> RedirectResponse:
    """Commit to an action (an unknown one is the 404 page)."""
    recommendations.commit(store=store, user=user, action_id=action_id, now=datetime.now(UTC))
    return _back(request, action_id, "You committed to “{}”.")


@router.post("/recommendations/{action_id}/complete")
def complete(
    request: Request, action_id: str, user: PageUser, store: StoreDep, _: CsrfChecked
) -> RedirectResponse:
    """Mark an action done (committing to it first if need be)."""
    recommendations.complete(store=store, user=user, action_id=action_id, now=datetime.now(UTC))
    return _back(request, action_id, "Marked “{}” as done. Well done!")


def _back(request: Request, action_id: str, message: str) -> RedirectResponse:
    session.flash(request, message.format(BY_ID[action_id].title))
    return RedirectResponse(f"/recommendations#action-{action_id}", status_code=303)
