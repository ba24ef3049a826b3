"""Account use cases: register, log in, authenticate, profile, password, deletion."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from carbontrack.domain.errors import InvalidCredentials, InvalidInput, TooManyAttempts
from carbontrack.domain.models import User
from carbontrack.services import security, teams
from carbontrack.settings import Settings
from carbontrack.store.base import Store

BAD_LOGIN = "incorrect email or password"


def normalise_email(email: str) -> str:
    """The form of an email used for uniqueness and look-up."""
    return email.strip().lower()


def register(*, store: Store, email: str, password: str, name: str) -> User:
    """Create an account; `AlreadyExists` if the email is taken."""
    user = User(
        user_id=str(uuid.uuid4()),
        email=normalise_email(email),
        name=name.strip(),
        password_hash=security.hash_password(password),
        created_at=datetime.now(UTC),
    )
    store.users.add(user)
    return user


def login(*, store: Store, settings: Settings, email: str, password: str) -> security.AccessToken:
    """Check a password and issue a token; throttled per email after repeated failures."""
    key = normalise_email(email)
    now = datetime.now(UTC)
    failures, window_end = store.login_throttle.failures(key, now=now)
    if failures >= settings.login_max_failures and window_end is not None:
        retry_after = max(1, math.ceil((window_end - now).total_seconds()))
        raise TooManyAttempts("too many failed logins; try again later", retry_after_s=retry_after)
    user = store.users.get_by_email(key)
    if not security.verify_password(user.password_hash if user else None, password) or not user:
        store.login_throttle.record_failure(key, now=now, window_s=settings.login_window_seconds)
        raise InvalidCredentials(BAD_LOGIN)
    if failures:
        store.login_throttle.reset(key)
    return issue_token(settings=settings, user=user)


def issue_token(*, settings: Settings, user: User) -> security.AccessToken:
    """A fresh access token for a user."""
    return security.issue_token(
        user_id=user.user_id,
        token_version=user.token_version,
        key=settings.signing_key(),
        lifetime_s=settings.access_token_minutes * 60,
    )


def authenticate(*, store: Store, settings: Settings, token: str) -> User:
    """The user a token belongs to, if the token is valid and not revoked."""
    claims = security.read_token(token, key=settings.signing_key())
    user = store.users.get(claims.user_id)
    if user is None or user.token_version != claims.token_version:
        raise InvalidCredentials("invalid or expired token")
    return user


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    """Fields a user may change; None leaves a field as it is (see `clear_country`)."""

    name: str | None = None
    country: str | None = None
    time_zone: str | None = None
    clear_country: bool = False


def update_profile(*, store: Store, user: User, changes: ProfileChanges) -> User:
    """Apply profile changes (already validated at the edge)."""
    updated = replace(
        user,
        name=changes.name.strip() if changes.name is not None else user.name,
        country=None if changes.clear_country else (changes.country or user.country),
        time_zone=changes.time_zone or user.time_zone,
    )
    store.users.update(updated)
    return updated


def change_password(*, store: Store, user: User, current_password: str, new_password: str) -> User:
    """Replace the password and revoke every token issued before."""
    if not security.verify_password(user.password_hash, current_password):
        # Not a 401: the session is fine, the form field is wrong.
        raise InvalidInput("current password is incorrect", field="currentPassword")
    updated = replace(
        user,
        password_hash=security.hash_password(new_password),
        token_version=user.token_version + 1,
    )
    store.users.update(updated)
    return updated


def delete_account(*, store: Store, user: User) -> None:
    """Remove the account and all its data; teams it owns pass to a successor first."""
    teams.hand_over_teams(store=store, user=user)
    store.users.delete(user.user_id)
