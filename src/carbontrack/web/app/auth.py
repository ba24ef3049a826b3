"""Sign up, log in and log out: /register, /login, POST /logout.

A failed submit re-renders the form with what was typed (never the password) and each message
next to its field; a success starts the cookie session and redirects (303).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from carbontrack.api.deps import ClientAddress, SettingsDep, StoreDep
from carbontrack.api.schemas import LoginIn, ProfilePatch, RegisterIn
from carbontrack.domain.errors import AlreadyExists, InvalidCredentials, TooManyAttempts
from carbontrack.services import accounts
from carbontrack.web.app import session
from carbontrack.web.app.forms import (
    FormErrors,
    country_options,
    domain_errors,
    try_again,
    validation_errors,
    with_retry_after,
)
from carbontrack.web.app.handlers import CSRF_MESSAGE
from carbontrack.web.app.templating import render
from carbontrack.web.app.time_zones import browser_aliases, time_zone_groups

router = APIRouter()

REGISTER_FIELDS = {
    "email": "email",
    "password": "password",
    "name": "name",
    "country": "country",
    "timeZone": "time_zone",
}
LOGIN_FIELDS = {"email": "email", "password": "password"}
Text = Annotated[str, Form()]


@router.get("/register")
def register_page(request: Request, user: session.OptionalPageUser, next: str = "/") -> Response:
    """The sign-up form; `next` is where to go afterwards (a signed-in user goes there now)."""
    target = session.safe_next(next)
    if user is not None:
        return RedirectResponse(target, status_code=303)
    values = {"time_zone": "UTC", "next": target}
    return _register_form(request, values=values, errors={}, detect_zone=True)


@router.post("/register")
def register(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    client: ClientAddress,
    csrf: Text = "",
    email: Text = "",
    password: Text = "",
    name: Text = "",
    country: Text = "",
    time_zone: Text = "UTC",
    next: Text = "/",
) -> Response:
    """Create the account, save country and time zone, sign in and go on to `next`."""
    target = session.safe_next(next)
    values = {"email": email, "name": name, "country": country, "time_zone": time_zone}
    values["next"] = target
    if not session.csrf_valid(request, csrf):
        return _register_form(request, values=values, errors={"": CSRF_MESSAGE}, status_code=403)
    errors: FormErrors = {}
    try:
        RegisterIn(email=email, password=password, name=name)
    except ValidationError as exc:
        errors = validation_errors(exc, REGISTER_FIELDS)
    try:
        profile = ProfilePatch(country=country or None, time_zone=time_zone)
    except ValidationError as exc:
        errors |= validation_errors(exc, REGISTER_FIELDS)
    if errors:
        return _register_form(request, values=values, errors=errors, status_code=422)
    try:
        user = accounts.sign_up(
            store=store,
            settings=settings,
            client=client,
            email=email,
            password=password,
            name=name,
        )
    except AlreadyExists as exc:
        errors = domain_errors(exc, REGISTER_FIELDS, default="email")
        return _register_form(request, values=values, errors=errors, status_code=409)
    except TooManyAttempts as exc:
        errors = {"": f"Too many sign-ups from your network. {try_again(exc)}"}
        response = _register_form(request, values=values, errors=errors, status_code=429)
        return with_retry_after(response, exc)
    changes = accounts.ProfileChanges(country=profile.country, time_zone=profile.time_zone)
    user = accounts.update_profile(store=store, user=user, changes=changes)
    session.start_session(request, user)
    first_step = (
        "First, a few questions for an estimate of your footprint."
        if target == "/start"
        else "Log your first activity."
    )
    session.flash(request, f"Welcome to CarbonTrack, {user.name}. {first_step}")
    return RedirectResponse(target, status_code=303)


def _register_form(
    request: Request,
    *,
    values: dict[str, str],
    errors: FormErrors,
    status_code: int = 200,
    detect_zone: bool = False,
) -> Response:
    return render(
        request,
        "app/register.html",
        status_code=status_code,
        values=values,
        errors=errors,
        next_path=values.get("next", "/"),
        login_url=session.login_url(values.get("next", "/")),
        countries=country_options(),
        time_zones=time_zone_groups(),
        zone_aliases=browser_aliases(),
        detect_zone=detect_zone,
    )


@router.get("/login")
def login_page(request: Request, user: session.OptionalPageUser, next: str = "/") -> Response:
    """The log-in form; `next` is where to go afterwards (a path on this site only)."""
    target = session.safe_next(next)
    if user is not None:
        return RedirectResponse(target, status_code=303)
    return _login_form(request, email="", next_path=target, errors={})


@router.post("/login")
def login(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    client: ClientAddress,
    csrf: Text = "",
    email: Text = "",
    password: Text = "",
    next: Text = "/",
) -> Response:
    """Check the password (guesses limited per email and address) and sign in."""
    target = session.safe_next(next)
    if not session.csrf_valid(request, csrf):
        errors = {"": CSRF_MESSAGE}
        return _login_form(request, email=email, next_path=target, errors=errors, status_code=403)
    try:
        LoginIn(email=email, password=password)
        token = accounts.login(
            store=store, settings=settings, email=email, password=password, client=client
        )
    except ValidationError as exc:
        errors = validation_errors(exc, LOGIN_FIELDS)
        return _login_form(request, email=email, next_path=target, errors=errors, status_code=422)
    except InvalidCredentials as exc:
        errors = domain_errors(exc, LOGIN_FIELDS, default="password")
        return _login_form(request, email=email, next_path=target, errors=errors, status_code=401)
    except TooManyAttempts as exc:
        errors = {"email": f"Too many failed logins. {try_again(exc)}"}
        response = _login_form(
            request, email=email, next_path=target, errors=errors, status_code=429
        )
        return with_retry_after(response, exc)
    user = accounts.authenticate(store=store, settings=settings, token=token.token)
    session.start_session(request, user, token=token)
    return RedirectResponse(target, status_code=303)


def _login_form(
    request: Request, *, email: str, next_path: str, errors: FormErrors, status_code: int = 200
) -> Response:
    return render(
        request,
        "app/login.html",
        status_code=status_code,
        values={"email": email},
        next_path=next_path,
        errors=errors,
    )


@router.post("/logout")
def logout(request: Request, csrf: Text = "") -> Response:
    """Sign this browser out and go to the log-in page."""
    if session.current_user(request) is not None:
        if not session.csrf_valid(request, csrf):
            raise session.CsrfRejected
        session.end_session(request)
        session.flash(request, "You are logged out.", level="info")
    return RedirectResponse("/login", status_code=303)
