"""How the web app answers what its routes raise: a login redirect, a refused form, a page error.

Domain errors raised under /api keep the API's JSON answer; on a page they become a readable
error page with the same status.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.routing import Match
from starlette.types import Scope

from carbontrack.api.errors import domain_error_response, status_of
from carbontrack.domain.errors import DomainError, TooManyAttempts
from carbontrack.web.app import session
from carbontrack.web.app.cookies import SessionCookies
from carbontrack.web.app.front_door import front_door
from carbontrack.web.app.templating import render

CSRF_MESSAGE = (
    "This form was not sent: it was open for more than two hours, or it came from another "
    "site or an earlier session. Nothing was changed. Open the page again and resubmit."
)


def install(app: FastAPI) -> None:
    """Add the session cookie middleware and the web app's exception handlers to `app`.

    Call after `carbontrack.api.errors.install`: the domain-error handler here replaces the
    API's and keeps its JSON answers for /api.
    """
    app.add_middleware(SessionCookies)
    app.add_exception_handler(session.LoginRequired, _login_required)
    app.add_exception_handler(session.CsrfRejected, _csrf_rejected)
    app.add_exception_handler(DomainError, _domain_error)


def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, session.LoginRequired)
    if request.url.path == "/" and request.method in ("GET", "HEAD"):
        return front_door(request)  # a visitor's home page is the front door, not a login form
    return RedirectResponse(session.login_url(exc.next_path), status_code=303)


def _csrf_rejected(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, session.CsrfRejected)
    return render(
        request,
        "app/error.html",
        status_code=403,
        title="This form has expired",
        message=CSRF_MESSAGE,
        back_url=page_of(request),
    )


def page_of(request: Request) -> str:
    """The page a form was posted from: the action's path, or the nearest parent with a page.

    (The pages send no Referer: Referrer-Policy no-referrer.) /profile/password -> /profile.
    """
    path = request.url.path
    while path not in ("", "/"):
        probe: Scope = {"type": "http", "path": path, "root_path": "", "method": "GET"}
        if any(route.matches(probe)[0] is Match.FULL for route in request.app.router.routes):
            return path
        path = path.rsplit("/", 1)[0]
    return "/"


def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if request.url.path.startswith("/api/"):
        return domain_error_response(exc)
    response = render(
        request,
        "app/error.html",
        status_code=status_of(exc),
        title="Something is not right",
        message=exc.message,
        back_url="/",
    )
    if isinstance(exc, TooManyAttempts):
        response.headers["Retry-After"] = str(exc.retry_after_s)  # as the API's 429 says it
    return response
