"""Passwords (argon2id) and access tokens (JWT, HS256 pinned)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from carbontrack.domain.errors import InvalidCredentials

JWT_ALGORITHM = "HS256"  # pinned: decode never trusts the token's own "alg" header
JWT_AUDIENCE = "carbontrack"
# A valid hash of a random password: verifying against it when the email is unknown
# costs the same time as a real check, so response time does not reveal accounts.
_DUMMY_PASSWORD = uuid.uuid4().hex


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id with the RFC 9106 low-memory profile


@cache
def _dummy_hash() -> str:
    return _hasher().hash(_DUMMY_PASSWORD)


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if the password matches; spends the same effort when there is no hash."""
    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True, slots=True)
class AccessToken:
    token: str
    expires_in_s: int


@dataclass(frozen=True, slots=True)
class TokenClaims:
    user_id: str
    token_version: int


def issue_token(*, user_id: str, token_version: int, key: str, lifetime_s: int) -> AccessToken:
    """Sign a short-lived access token for one user."""
    now = datetime.now(UTC)
    claims = {
        "sub": user_id,
        "ver": token_version,
        "aud": JWT_AUDIENCE,
        "iat": now,
        "exp": now + timedelta(seconds=lifetime_s),
        "jti": uuid.uuid4().hex,
    }
    return AccessToken(jwt.encode(claims, key, algorithm=JWT_ALGORITHM), lifetime_s)


def read_token(token: str, *, key: str) -> TokenClaims:
    """Verify signature, algorithm, audience and expiry; `InvalidCredentials` otherwise."""
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[JWT_ALGORITHM],
            audience=JWT_AUDIENCE,
            options={"require": ["sub", "exp", "iat", "aud", "ver"]},
        )
    except jwt.PyJWTError as exc:
        raise InvalidCredentials("invalid or expired token") from exc
    sub, ver = claims["sub"], claims["ver"]
    if not isinstance(sub, str) or not isinstance(ver, int):
        raise InvalidCredentials("invalid or expired token")
    return TokenClaims(user_id=sub, token_version=ver)
