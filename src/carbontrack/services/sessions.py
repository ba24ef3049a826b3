"""Browser sessions: the cookie the pages and the API share, and CSRF tokens bound to it.

A signed-in browser holds the API's own access token (`accounts.issue_token`) in an HttpOnly
cookie, so a page and a script calling the JSON API are one session. A cookie is sent by the
browser on its own, so every unsafe request it authenticates must also carry a CSRF token: a
value signed with the app's key, bound to the user (or, before login, to a random pre-session
cookie), which another site can neither read nor forge.
"""

from __future__ import annotations

from itsdangerous import BadSignature, URLSafeTimedSerializer

SESSION_COOKIE = "ct_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_MAX_AGE_S = 2 * 60 * 60
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_CSRF_SALT = "carbontrack.csrf"


def user_binding(user_id: str) -> str:
    """What a signed-in user's CSRF tokens are bound to."""
    return f"user:{user_id}"


def visitor_binding(pre_session: str) -> str:
    """What a visitor's (not yet signed-in) CSRF tokens are bound to."""
    return f"pre:{pre_session}"


def issue_csrf_token(*, key: str, binding: str) -> str:
    """A CSRF token for one binding, valid for CSRF_MAX_AGE_S."""
    return str(URLSafeTimedSerializer(key, salt=_CSRF_SALT).dumps(binding))


def csrf_token_valid(*, key: str, token: str | None, binding: str) -> bool:
    """True if `token` was issued for `binding` by this key and has not expired."""
    if not token:
        return False
    try:
        signed = URLSafeTimedSerializer(key, salt=_CSRF_SALT).loads(token, max_age=CSRF_MAX_AGE_S)
    except BadSignature:  # SignatureExpired is a BadSignature too
        return False
    return bool(signed == binding)
