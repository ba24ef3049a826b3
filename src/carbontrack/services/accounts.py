"""Account use cases: register, log in, authenticate, profile, password, deletion."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from carbontrack.domain.errors import InvalidCredentials, InvalidInput, NotFound
from carbontrack.domain.models import DISTANCE_UNITS, User
from carbontrack.services import security, teams, throttle
from carbontrack.settings import Settings
from carbontrack.store.base import Store

BAD_LOGIN = "incorrect email or password"


def normalise_email(email: str) -> str:
    """The form of an email used for uniqueness and look-up."""
    return email.strip().lower()


def sign_up(
    *, store: Store, settings: Settings, client: str, email: str, password: str, name: str
) -> User:
    """Register an account for a request from `client`; sign-ups are limited per address."""
    limits = throttle.sign_up_limits(settings, client=client)
    throttle.count_attempt(
        store=store, limits=limits, now=datetime.now(UTC), message=throttle.SIGN_UPS_REFUSED
    )
    return register(store=store, email=email, password=password, name=name)


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


def login(
    *, store: Store, settings: Settings, email: str, password: str, client: str
) -> security.AccessToken:
    """Check a password sent from `client` (an address) and issue a token; guesses are limited."""
    key = normalise_email(email)
    counted = _count_guess(store=store, settings=settings, email=key, client=client)
    user = store.users.get_by_email(key)
    if not security.verify_password(user.password_hash if user else None, password) or not user:
        raise InvalidCredentials(BAD_LOGIN)
    throttle.succeeded(store=store, counted=counted)
    return issue_token(settings=settings, user=user)


def _count_guess(
    *, store: Store, settings: Settings, email: str, client: str
) -> list[throttle.Counted]:
    """Count a guess at `email`'s password before checking it; 429 over a limit."""
    limits = throttle.password_limits(settings, email=email, client=client)
    now = datetime.now(UTC)
    return throttle.count_attempt(
        store=store, limits=limits, now=now, message=throttle.GUESSES_REFUSED
    )


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
    return signed_in_user(
        store=store, claims=security.read_token(token, key=settings.signing_key())
    )


def signed_in_user(*, store: Store, claims: security.TokenClaims) -> User:
    """The user of checked token claims, unless the user is gone or the token was revoked.

    The second half of `authenticate`, the half that reads the store: the API's hot routes
    check the token on the event loop and call this in their own thread (`api/deps.py`).
    """
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
    distance_unit: str | None = None  # "km" or "mi"


def update_profile(*, store: Store, user: User, changes: ProfileChanges) -> User:
    """Apply profile changes (already validated at the edge); only they are written."""
    if changes.distance_unit is not None and changes.distance_unit not in DISTANCE_UNITS:
        raise InvalidInput("distanceUnit must be 'km' or 'mi'", field="distanceUnit")
    return store.users.update_profile(
        user.user_id,
        name=changes.name.strip() if changes.name is not None else None,
        country=changes.country or None,
        time_zone=changes.time_zone or None,
        clear_country=changes.clear_country,
        distance_unit=changes.distance_unit,
    )


def change_password(
    *,
    store: Store,
    settings: Settings,
    client: str,
    user: User,
    current_password: str,
    new_password: str,
) -> User:
    """Replace the password and revoke every token issued before.

    The current password is a guess like a login's (a stolen token must not become an
    unlimited oracle for it): it draws on the same limits, for the user's email and `client`.
    """
    counted = _count_guess(store=store, settings=settings, email=user.email, client=client)
    if not security.verify_password(user.password_hash, current_password):
        # Not a 401: the session is fine, the form field is wrong.
        raise InvalidInput("current password is incorrect", field="currentPassword")
    throttle.succeeded(store=store, counted=counted)
    # Conditional on the token version this request was authenticated with: of two changes
    # racing from one version, the second is a 409, never a silent undo of the first.
    password_hash = security.hash_password(new_password)
    version = store.users.change_password(
        user.user_id, password_hash=password_hash, expected_token_version=user.token_version
    )
    return replace(user, password_hash=password_hash, token_version=version)


def delete_account(*, store: Store, user: User) -> None:
    """Remove the account and all its data; teams it owns pass to a successor first."""
    teams.hand_over_teams(store=store, user=user)
    store.users.delete(user.user_id)


def grant_operator(*, store: Store, email: str, operator: bool = True) -> User:
    """Grant (or with `operator=False` revoke) the operations console to the user of `email`.

    Only the CLI calls this: no API route can make anyone an operator. `NotFound` if no
    user has that email.
    """
    user = store.users.get_by_email(normalise_email(email))
    if user is None:
        raise NotFound("no user has that email", field="email")
    return store.users.set_operator(user.user_id, operator)
