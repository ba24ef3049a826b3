"""Dependencies routes ask for by type: the store, the settings, the signed-in user."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from starlette.exceptions import HTTPException

from carbontrack.domain.errors import Forbidden, InvalidCredentials
from carbontrack.domain.models import User
from carbontrack.services import accounts, security, sessions
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
UNKNOWN_CLIENT = "unknown"


async def get_client_address(request: Request, settings: SettingsDep) -> str:
    """Where the request came from, for the limits on guessing (docs/security.md).

    The socket peer (on Lambda, Mangum's client: API Gateway's `requestContext.identity.
    sourceIp`); X-Forwarded-For only as far as `trusted_proxy_hops` says proxies we run
    wrote it, since anyone can send that header.
    """
    peer = request.client.host if request.client and request.client.host else UNKNOWN_CLIENT
    return forwarded_client(
        peer, request.headers.getlist("x-forwarded-for"), hops=settings.trusted_proxy_hops
    )


def forwarded_client(peer: str, forwarded_for: list[str], *, hops: int) -> str:
    """The address `hops` trusted proxies saw: the `hops`-th X-Forwarded-For entry from the end.

    As werkzeug's ProxyFix reads it: each proxy appends the address it received from, so
    only the last `hops` entries are written by proxies we trust; with fewer entries than
    that, the request did not come through them all and the peer is used.
    """
    entries = [entry.strip() for header in forwarded_for for entry in header.split(",")]
    if hops == 0 or len(entries) < hops or not entries[-hops]:
        return peer
    return entries[-hops]


ClientAddress = Annotated[str, Depends(get_client_address)]


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
    user = accounts.authenticate(store=store, settings=settings, token=_session_cookie(request))
    _check_csrf(request, settings, user.user_id)
    return user


async def get_token_claims(
    request: Request, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> security.TokenClaims:
    """The checked claims of the bearer token, or else of the session cookie; no store read.

    For the hot routes (docs/architecture.md, "Hot routes"): checking a signature, an expiry
    and a CSRF token is CPU only, so it runs here on the event loop, before the body and the
    query are validated, as `CurrentUser` does; the route then reads the user in its own
    thread with `accounts.signed_in_user`, one thread hop per request instead of two.
    """
    settings = await get_settings(request)  # not a dependency: each one solved costs
    key = settings.signing_key()
    if token:
        return security.read_token(token, key=key)
    claims = security.read_token(_session_cookie(request), key=key)
    _check_csrf(request, settings, claims.user_id)
    return claims


def _session_cookie(request: Request) -> str:
    cookie = request.cookies.get(sessions.SESSION_COOKIE)
    if not cookie:
        raise InvalidCredentials("not authenticated")
    return cookie


def _check_csrf(request: Request, settings: Settings, user_id: str) -> None:
    if request.method in sessions.UNSAFE_METHODS and not sessions.csrf_token_valid(
        key=settings.signing_key(),
        token=request.headers.get(sessions.CSRF_HEADER),
        binding=sessions.user_binding(user_id),
    ):
        raise Forbidden(f"missing or invalid {sessions.CSRF_HEADER} header")


CurrentUser = Annotated[User, Depends(get_current_user)]
SignedIn = Annotated[security.TokenClaims, Depends(get_token_claims)]


def get_operator(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    token: Annotated[str | None, Depends(oauth2_scheme)],
) -> User:
    """The signed-in user if an operator; otherwise the 404 of an unknown route.

    Anyone else, signed in or not, gets exactly the answer a path no route serves gets, so
    the operations console's routes cannot be told apart from ones that do not exist. Only
    an operator is told that a cookie request lacks its CSRF header (403).
    """
    try:
        user = get_current_user(request, store, settings, token)
    except InvalidCredentials:
        raise _unknown_route() from None
    except Forbidden:
        # Raised only after the cookie authenticated: hide the route unless it is an operator's.
        cookie = request.cookies.get(sessions.SESSION_COOKIE, "")
        if accounts.authenticate(store=store, settings=settings, token=cookie).operator:
            raise
        raise _unknown_route() from None
    if not user.operator:
        raise _unknown_route()
    return user


def _unknown_route() -> HTTPException:
    # Starlette's own 404 for a path no route matches: {"detail": "Not Found"}.
    return HTTPException(status_code=404)


OperatorUser = Annotated[User, Depends(get_operator)]
