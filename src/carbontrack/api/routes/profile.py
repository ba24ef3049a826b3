"""The signed-in user's own account."""

from __future__ import annotations

from fastapi import APIRouter, Response

from carbontrack.api.deps import ClientAddress, CurrentUser, SettingsDep, StoreDep
from carbontrack.api.responses import model_response
from carbontrack.api.schemas import PasswordChange, ProfilePatch, UserOut
from carbontrack.services import accounts

router = APIRouter(prefix="/api/profile", tags=["profile"])


@router.get("", response_model=UserOut)
def read_profile(user: CurrentUser) -> Response:
    """The signed-in user's profile."""
    return model_response(UserOut, user)


@router.patch("", response_model=UserOut)
def update_profile(body: ProfilePatch, user: CurrentUser, store: StoreDep) -> Response:
    """Change name, country (ISO 3166-1 alpha-2; null clears it), IANA time zone or km/mi."""
    changes = accounts.ProfileChanges(
        name=body.name,
        country=body.country,
        time_zone=body.time_zone,
        clear_country="country" in body.model_fields_set and body.country is None,
        distance_unit=body.distance_unit,
    )
    return model_response(UserOut, accounts.update_profile(store=store, user=user, changes=changes))


@router.post("/password", status_code=204)
def change_password(
    body: PasswordChange,
    user: CurrentUser,
    store: StoreDep,
    settings: SettingsDep,
    client: ClientAddress,
) -> Response:
    """Set a new password; earlier tokens stop working. Wrong current passwords are limited."""
    accounts.change_password(
        store=store,
        settings=settings,
        client=client,
        user=user,
        current_password=body.current_password,
        new_password=body.new_password,
    )
    return Response(status_code=204)


@router.delete("", status_code=204)
def delete_profile(user: CurrentUser, store: StoreDep) -> Response:
    """Delete the account and all its data."""
    accounts.delete_account(store=store, user=user)
    return Response(status_code=204)
