"""Dependencies routes ask for by type: the store, the settings, the signed-in user."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from carbontrack.domain.errors import Forbidden, InvalidCredentials
from carbontrack.domain.models import User
from carbontrack.services import accounts, sessions
from carbontrack.settings import Settings
from carbontrack.store.base import Store

# auto_error=False: a missing token goes through our own 401 with a JSON detail.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/login", auto_error=False)


# async: plain attribute reads need no thread-pool hop (FastAPI runs sync deps in threads).
async def get_store(request: Request) -> Store:
    """The store built by `create_app`."""
    return cast(Store, request.app.state.store)


async def get_settings(request: Request) -> Settings:
    """The settings `create_app` was given."""
    return cast(Settings, request.app.state.settings)


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_current_user(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> User:
    """The user of the bearer token, or else of the pages' session cookie.

    The browser sends a cookie on its own, also on requests another site makes it send, so an
    unsafe method authenticated by the cookie must carry the page's CSRF token in a header.
    """
    if token:
        return accounts.authenticate(store=store, settings=settings, token=token)
    cookie = request.cookies.get(sessions.SESSION_COOKIE)
    if not cookie:
        raise InvalidCredentials("not authenticated")
    user = accounts.authenticate(store=store, settings=settings, token=cookie)
    if request.method in sessions.UNSAFE_METHODS and not sessions.csrf_token_valid(
        key=settings.signing_key(),
        token=request.headers.get(sessions.CSRF_HEADER),
        binding=sessions.user_binding(user.user_id),
    ):
        raise Forbidden(f"missing or invalid {sessions.CSRF_HEADER} header")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]
