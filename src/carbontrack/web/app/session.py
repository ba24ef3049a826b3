"""The pages' session: who is signed in, CSRF tokens for forms, and flash messages.

- Session: cookie `ct_session` holds the API's access token (HttpOnly, SameSite=Lax, Secure in
  production, max-age = the token's lifetime). A request with less than half the lifetime left
  gets a fresh token (sliding); a bad, expired or revoked one is cleared.
- `PageUser` is the signed-in user, or a 303 to /login?next=<this page>; `OptionalPageUser` is
  the user or None.
- CSRF: every POST form carries `csrf`, a token signed with the app's key and bound to the user
  (before login: to the random cookie `ct_pre`). `CsrfChecked` rejects a POST without a valid
  one with 403; `csrf_valid` lets a form check it itself and re-render with what was typed.
- Flash: `flash(request, text)` before a redirect; the next rendered page shows it once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Literal, cast
from urllib.parse import urlencode, urlsplit

import jwt
from fastapi import Depends, Request
from itsdangerous import BadData, URLSafeTimedSerializer
from starlette.concurrency import run_in_threadpool

from carbontrack.domain.errors import InvalidCredentials
from carbontrack.domain.models import User
from carbontrack.services import accounts, sessions
from carbontrack.services.security import AccessToken
from carbontrack.settings import Settings
from carbontrack.store.base import Store
from carbontrack.web.app.cookies import jar

SESSION_COOKIE = sessions.SESSION_COOKIE
PRE_SESSION_COOKIE = "ct_pre"
FLASH_COOKIE = "ct_flash"
CSRF_FIELD = "csrf"
PRE_SESSION_MAX_AGE_S = 24 * 60 * 60
FLASH_MAX_AGE_S = 10 * 60
_USER = "carbontrack_user"  # request.state attributes, cached for one request
_PRE = "carbontrack_pre_session"
_FLASHES = "carbontrack_flashes"

FlashLevel = Literal["success", "info", "error"]


class LoginRequired(Exception):
    """A page needs a signed-in user; answered by a redirect to the login page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class CsrfRejected(Exception):
    """A POST without a valid CSRF token for this session; answered with 403."""


@dataclass(frozen=True, slots=True)
class Flash:
    """A one-time message shown on the next page."""

    level: FlashLevel
    text: str


def _settings(request: Request) -> Settings:
    return cast(Settings, request.app.state.settings)


def _store(request: Request) -> Store:
    return cast(Store, request.app.state.store)


def secure_cookies(settings: Settings) -> bool:
    """Cookies carry Secure in production (served over HTTPS); local http://127.0.0.1 works."""
    return settings.environment == "production"


def current_user(request: Request) -> User | None:
    """The signed-in user, once per request; re-issues the cookie past half its life."""
    if hasattr(request.state, _USER):
        return cast(User | None, getattr(request.state, _USER))
    user = _user_from_cookie(request)
    setattr(request.state, _USER, user)
    return user


def _user_from_cookie(request: Request) -> User | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    settings = _settings(request)
    try:
        user = accounts.authenticate(store=_store(request), settings=settings, token=token)
    except InvalidCredentials:
        jar(request).delete(SESSION_COOKIE, secure=secure_cookies(settings))
        return None
    lifetime_s = settings.access_token_minutes * 60
    if _seconds_left(token) < lifetime_s / 2:
        start_session(request, user)
    return user


def _seconds_left(token: str) -> float:
    # Read after `authenticate` verified signature and expiry; only the time is needed here.
    claims = jwt.decode(token, options={"verify_signature": False})
    return float(claims["exp"]) - datetime.now(UTC).timestamp()


def start_session(request: Request, user: User, *, token: AccessToken | None = None) -> None:
    """Sign `user` in on this browser: `token` (or a fresh one) in the session cookie."""
    settings = _settings(request)
    token = token or accounts.issue_token(settings=settings, user=user)
    jar(request).set(
        SESSION_COOKIE, token.token, max_age=token.expires_in_s, secure=secure_cookies(settings)
    )
    setattr(request.state, _USER, user)


def end_session(request: Request) -> None:
    """Sign this browser out (the token itself stays valid until it expires, as the API's)."""
    jar(request).delete(SESSION_COOKIE, secure=secure_cookies(_settings(request)))
    setattr(request.state, _USER, None)


def page_user(request: Request) -> User:
    """The signed-in user, or LoginRequired (a redirect to /login?next=<this page>)."""
    user = current_user(request)
    if user is None:
        if request.method not in ("GET", "HEAD"):
            raise LoginRequired("/")  # a form's action is no page to come back to
        query = f"?{request.url.query}" if request.url.query else ""
        raise LoginRequired(request.url.path + query)
    return user


def optional_page_user(request: Request) -> User | None:
    """The signed-in user, or None for a visitor."""
    return current_user(request)


PageUser = Annotated[User, Depends(page_user)]
OptionalPageUser = Annotated[User | None, Depends(optional_page_user)]


def login_url(next_path: str) -> str:
    """The login page, coming back to `next_path` afterwards."""
    return "/login" if next_path == "/" else f"/login?{urlencode({'next': next_path})}"


def safe_next(value: str | None) -> str:
    """`value` if it is a path on this site, else "/": never an open redirect."""
    if not value or not value.startswith("/") or value.startswith("//"):
        return "/"
    if "\\" in value or any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return "/"
    parts = urlsplit(value)
    return value if not parts.scheme and not parts.netloc else "/"


def _binding(request: Request) -> str:
    user = current_user(request)
    if user is not None:
        return sessions.user_binding(user.user_id)
    return sessions.visitor_binding(_pre_session(request))


def _pre_session(request: Request) -> str:
    """The visitor's random pre-session value, set on first use."""
    value = getattr(request.state, _PRE, None) or request.cookies.get(PRE_SESSION_COOKIE)
    if not value:
        value = secrets.token_urlsafe(24)
        jar(request).set(
            PRE_SESSION_COOKIE,
            value,
            max_age=PRE_SESSION_MAX_AGE_S,
            secure=secure_cookies(_settings(request)),
        )
    setattr(request.state, _PRE, value)
    return str(value)


def csrf_token(request: Request) -> str:
    """A CSRF token for this session (for forms and `<meta name="csrf-token">`)."""
    key = _settings(request).signing_key()
    return sessions.issue_csrf_token(key=key, binding=_binding(request))


def csrf_valid(request: Request, token: str | None) -> bool:
    """True if `token` is a valid CSRF token of this session."""
    key = _settings(request).signing_key()
    return sessions.csrf_token_valid(key=key, token=token, binding=_binding(request))


async def require_csrf(request: Request) -> None:
    """Reject (403) a request whose form field `csrf` or X-CSRF-Token header is not valid.

    Declare it after `PageUser`, so a visitor whose session ended is sent to log in first.
    """
    token = request.headers.get(sessions.CSRF_HEADER)
    if token is None:
        form = await request.form()
        field = form.get(CSRF_FIELD)
        token = field if isinstance(field, str) else None
    # In a thread: without a PageUser before it, finding the user reads the store.
    if not await run_in_threadpool(csrf_valid, request, token):
        raise CsrfRejected


CsrfChecked = Annotated[None, Depends(require_csrf)]


def _flash_signer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_settings(request).signing_key(), salt="carbontrack.flash")


def flash(request: Request, text: str, *, level: FlashLevel = "success") -> None:
    """Show `text` once on the next page rendered (this one, or the one redirected to)."""
    pending = _pending_flashes(request)
    pending.append(Flash(level, text))
    value = _flash_signer(request).dumps([[f.level, f.text] for f in pending])
    jar(request).set(
        FLASH_COOKIE, value, max_age=FLASH_MAX_AGE_S, secure=secure_cookies(_settings(request))
    )


def take_flashes(request: Request) -> list[Flash]:
    """The messages to show now (from the cookie and this request); shown once."""
    pending = list(_pending_flashes(request))
    _pending_flashes(request).clear()
    incoming = _read_flash_cookie(request)
    if incoming or pending:
        jar(request).delete(FLASH_COOKIE, secure=secure_cookies(_settings(request)))
    return incoming + pending


def _pending_flashes(request: Request) -> list[Flash]:
    if not hasattr(request.state, _FLASHES):
        setattr(request.state, _FLASHES, [])
    return cast(list[Flash], getattr(request.state, _FLASHES))


def _read_flash_cookie(request: Request) -> list[Flash]:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return []
    try:
        items = _flash_signer(request).loads(raw, max_age=FLASH_MAX_AGE_S)
    except BadData:  # tampered, expired or from an older key: drop it
        return []
    return [Flash(level, text) for level, text in items]
