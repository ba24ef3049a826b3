"""The front door: `/` for a visitor, and "Try the demo" (POST /demo) on a local install.

`/` itself belongs to the dashboard; a visitor who is not signed in gets `front_door` instead
of a redirect to the login form (handlers.py). The demo button is there only where
`services.demo.offered` says so; elsewhere POST /demo answers 404 as any unknown address.
"""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from carbontrack.api.deps import ClientAddress, SettingsDep, StoreDep
from carbontrack.domain.errors import TooManyAttempts
from carbontrack.services import demo
from carbontrack.settings import Settings
from carbontrack.web.app import session
from carbontrack.web.app.forms import try_again, with_retry_after
from carbontrack.web.app.templating import render

router = APIRouter()

DEMO_WELCOME = (
    "You are in a demo account with a year of made-up activity. Look around, change anything: "
    "nobody else sees it. Create an account of your own to keep your data."
)


def front_door(request: Request, *, error: str = "", status_code: int = 200) -> Response:
    """What CarbonTrack does, a screenshot, and the ways in: sign up, the demo, the map."""
    settings = cast(Settings, request.app.state.settings)
    return render(
        request,
        "app/front_door.html",
        status_code=status_code,
        demo_offered=demo.offered(settings),
        error=error,
    )


@router.post("/demo")
def try_the_demo(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    client: ClientAddress,
    csrf: Annotated[str, Form()] = "",
) -> Response:
    """Make a fresh demo account for this visitor, sign it in, and show its dashboard."""
    if not demo.offered(settings):
        raise HTTPException(status_code=404)
    if not session.csrf_valid(request, csrf):
        raise session.CsrfRejected
    try:
        user = demo.create_for_visitor(store=store, settings=settings, client=client)
    except TooManyAttempts as exc:
        message = f"Too many new accounts from your network. {try_again(exc)}"
        return with_retry_after(front_door(request, error=message, status_code=429), exc)
    session.start_session(request, user)
    session.flash(request, DEMO_WELCOME, level="info")
    return RedirectResponse("/", status_code=303)
