"""Team invites as a link and a QR code: /join/<teamId>.<code>.

The link carries the team id and its current join code (`domain.teams.invite_token`), so the
person invited types nothing. Opening it signed in shows the team's name and a Join button
(a POST form); a visitor is sent to log in (or sign up) and comes back to it. A wrong or
replaced code answers exactly as a team that does not exist: the 404 page.
"""

from __future__ import annotations

from typing import Annotated

import segno
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from carbontrack.api.deps import StoreDep
from carbontrack.api.errors import status_of
from carbontrack.domain import teams as rules
from carbontrack.domain.errors import AlreadyExists, InvalidInput, NotFound
from carbontrack.services import teams
from carbontrack.services.teams import Invite
from carbontrack.web.app import forms, session
from carbontrack.web.app.forms import FormErrors
from carbontrack.web.app.handlers import CSRF_MESSAGE
from carbontrack.web.app.session import PageUser
from carbontrack.web.app.templating import render

router = APIRouter()
FIELDS = {"displayName": "displayName"}  # other fields' errors (the code) show above the form
QR_SCALE = 4  # px per module: a 37-module code (version 5) is 180 px with its quiet zone


@router.get("/join/{token}", response_class=HTMLResponse, name="join_page")
def join_page(request: Request, token: str, user: PageUser, store: StoreDep) -> Response:
    """The invited team's name and a Join button (members go straight to the team's page)."""
    invite = teams.open_invite(store=store, user=user, token=token)
    if invite.already_member:
        session.flash(request, "You are already a member of this team.")
        return RedirectResponse(f"/teams/{invite.team_id}", status_code=303)
    return _page(request, invite=invite, display_name="", errors={})


@router.post("/join/{token}", response_class=HTMLResponse)
def join(
    request: Request,
    token: str,
    user: PageUser,
    store: StoreDep,
    csrf: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form(alias="displayName")] = "",
) -> Response:
    """Join the invited team, then show its page."""
    invite = teams.open_invite(store=store, user=user, token=token)
    if not session.csrf_valid(request, csrf):
        errors = {"": CSRF_MESSAGE}
        return _page(request, invite=invite, display_name=display_name, errors=errors, status=403)
    try:
        teams.join_team(
            store=store,
            user=user,
            team_id=invite.team_id,
            code=invite.code,
            display_name=display_name.strip() or None,
        )
    except (NotFound, InvalidInput, AlreadyExists) as exc:
        errors = forms.domain_errors(exc, FIELDS)
        return _page(
            request, invite=invite, display_name=display_name, errors=errors, status=status_of(exc)
        )
    session.flash(request, f"You joined “{invite.team_name}”.")
    return RedirectResponse(f"/teams/{invite.team_id}", status_code=303)


def invite_url(request: Request, *, team_id: str, code: str) -> str:
    """The full address of a team's invite link, on this site."""
    return str(request.url_for("join_page", token=rules.invite_token(team_id, code)))


def qr_svg(url: str) -> Markup:
    """`url` as a QR code, an inline SVG drawn here (segno: no network, no script)."""
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(
        scale=QR_SCALE, dark="#000", light="#fff", svgclass="invite-qr", title=f"QR code of {url}"
    )
    return Markup(svg)  # noqa: S704 - segno escapes the title; the rest is numbers and paths


def _page(
    request: Request,
    *,
    invite: Invite,
    display_name: str,
    errors: FormErrors,
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "app/join.html",
        status_code=status,
        invite=invite,
        action=f"/join/{rules.invite_token(invite.team_id, invite.code)}",
        display_name=display_name,
        errors=errors,
    )
