"""The signed-in user's own account at /profile: details, password, deletion.

Each form posts to its own URL; a failure re-renders the whole page with that form's values and
errors, a success redirects back with a message (post/redirect/get).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from carbontrack.api.deps import ClientAddress, SettingsDep, StoreDep
from carbontrack.api.schemas import PasswordChange, ProfilePatch
from carbontrack.domain.errors import InvalidInput, TooManyAttempts
from carbontrack.domain.models import User
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
from carbontrack.web.app.templating import render
from carbontrack.web.app.time_zones import time_zone_groups

router = APIRouter()

DETAIL_FIELDS = {
    "name": "name",
    "country": "country",
    "timeZone": "time_zone",
    "distanceUnit": "distance_unit",
}
DISTANCE_OPTIONS = (("km", "Kilometres (km)"), ("mi", "Miles"))
PASSWORD_FIELDS = {"currentPassword": "current_password", "newPassword": "new_password"}
Text = Annotated[str, Form()]


@router.get("/profile")
def profile_page(request: Request, user: session.PageUser) -> Response:
    """Name, country and time zone; password; account deletion."""
    return _page(request, user)


@router.post("/profile")
def update_details(
    request: Request,
    user: session.PageUser,
    store: StoreDep,
    _: session.CsrfChecked,
    name: Text = "",
    country: Text = "",
    time_zone: Text = "",
    distance_unit: Text = "",
) -> Response:
    """Save name, country, time zone and distance unit (left as it is when not sent)."""
    values = {"name": name, "country": country, "time_zone": time_zone}
    values["distance_unit"] = distance_unit or user.distance_unit
    try:
        patch = ProfilePatch(
            name=name,
            country=country or None,
            time_zone=time_zone,
            distance_unit=distance_unit or None,
        )
    except ValidationError as exc:
        errors = validation_errors(exc, DETAIL_FIELDS)
        return _page(request, user, details=values, details_errors=errors, status_code=422)
    changes = accounts.ProfileChanges(
        name=patch.name,
        country=patch.country,
        time_zone=patch.time_zone,
        clear_country=patch.country is None,
        distance_unit=patch.distance_unit,
    )
    accounts.update_profile(store=store, user=user, changes=changes)
    session.flash(request, "Your profile is saved.")
    return RedirectResponse("/profile", status_code=303)


@router.post("/profile/password")
def change_password(
    request: Request,
    user: session.PageUser,
    store: StoreDep,
    settings: SettingsDep,
    client: ClientAddress,
    _: session.CsrfChecked,
    current_password: Text = "",
    new_password: Text = "",
) -> Response:
    """Set a new password: every other session ends, this one gets a fresh cookie."""
    try:
        PasswordChange(current_password=current_password, new_password=new_password)
        updated = accounts.change_password(
            store=store,
            settings=settings,
            client=client,
            user=user,
            current_password=current_password,
            new_password=new_password,
        )
    except ValidationError as exc:
        errors = validation_errors(exc, PASSWORD_FIELDS)
        return _page(request, user, password_errors=errors, status_code=422)
    except InvalidInput as exc:
        errors = domain_errors(exc, PASSWORD_FIELDS, default="current_password")
        return _page(request, user, password_errors=errors, status_code=422)
    except TooManyAttempts as exc:
        errors = {"current_password": f"Too many wrong passwords. {try_again(exc)}"}
        response = _page(request, user, password_errors=errors, status_code=429)
        return with_retry_after(response, exc)
    session.start_session(request, updated)
    session.flash(request, "Your password is changed. Other devices are signed out.")
    return RedirectResponse("/profile", status_code=303)


@router.post("/profile/delete")
def delete_account(
    request: Request,
    user: session.PageUser,
    store: StoreDep,
    _: session.CsrfChecked,
    confirm_email: Text = "",
) -> Response:
    """Delete the account and all its data, once the user has typed their email."""
    if accounts.normalise_email(confirm_email) != user.email:
        errors = {"confirm_email": f"Type {user.email} to confirm."}
        values = {"confirm_email": confirm_email}
        return _page(request, user, delete=values, delete_errors=errors, status_code=422)
    accounts.delete_account(store=store, user=user)
    session.end_session(request)
    session.flash(request, "Your account and all its data are deleted.", level="info")
    return RedirectResponse("/login", status_code=303)


def _page(request: Request, user: User, *, status_code: int = 200, **forms: Any) -> Response:
    details = {"name": user.name, "country": user.country or "", "time_zone": user.time_zone}
    details["distance_unit"] = user.distance_unit
    context: dict[str, Any] = {
        "details": details,
        "details_errors": {},
        "password_errors": {},
        "delete": {},
        "delete_errors": {},
        **forms,
    }
    errors: FormErrors = {
        **context["details_errors"],
        **context["password_errors"],
        **context["delete_errors"],
    }
    return render(
        request,
        "app/profile.html",
        status_code=status_code,
        errors=errors,
        countries=country_options(),
        time_zones=time_zone_groups(user.time_zone),  # a legacy id stored before stays offered
        distance_units=DISTANCE_OPTIONS,
        **context,
    )
