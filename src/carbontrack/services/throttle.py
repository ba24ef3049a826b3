"""Limits on guessing passwords and on sign-ups, counted in the store before the work they guard.

Each attempt is counted first, by one atomic store call per key that returns this attempt's
own count, and only an attempt within every limit goes on to the argon2 check: concurrent
requests cannot all pass a check made before any of them was recorded, and a burst of N
guesses verifies at most the limit. A right password takes its attempt back. The keys and
numbers, and why, are in docs/security.md.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from carbontrack.domain.errors import TooManyAttempts
from carbontrack.settings import Settings
from carbontrack.store.base import Store

GUESSES_REFUSED = "too many failed attempts; try again later"
SIGN_UPS_REFUSED = "too many sign-ups from this address; try again later"
IPV6_PREFIX = 64  # one subscriber's usual share: a host can pick any address inside it
MAX_ADDRESS_CHARS = 100


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `max_attempts` under `key` per fixed window of `window_s` seconds."""

    key: str
    max_attempts: int
    window_s: int
    cleared_by_success: bool = False


@dataclass(frozen=True, slots=True)
class Counted:
    """One attempt counted under a limit, in the window that ends at `window_end`."""

    limit: Limit
    window_end: datetime


def password_limits(settings: Settings, *, email: str, client: str) -> tuple[Limit, ...]:
    """The limits on guessing the password of `email` from `client`, narrowest first."""
    address = address_key(client)
    return (
        Limit(
            f"pw:pair:{address} {email}",
            settings.login_max_failures,
            settings.login_window_seconds,
            cleared_by_success=True,
        ),
        Limit(
            f"pw:addr:{address}", settings.login_address_max_failures, settings.login_window_seconds
        ),
        Limit(
            f"pw:email:{email}",
            settings.login_email_max_failures,
            settings.login_email_window_seconds,
        ),
    )


def sign_up_limits(settings: Settings, *, client: str) -> tuple[Limit, ...]:
    """The limit on sign-up attempts from `client`."""
    key = f"signup:addr:{address_key(client)}"
    return (Limit(key, settings.register_max_per_address, settings.register_window_seconds),)


def count_attempt(
    *, store: Store, limits: Sequence[Limit], now: datetime, message: str
) -> list[Counted]:
    """Count one attempt under each limit in turn; `TooManyAttempts` at the first one over.

    An attempt refused by one limit is not counted by the wider ones after it: a flood that
    the (email, address) limit stops never reaches the email's ceiling, which the owner's
    logins from other addresses depend on.
    """
    counted: list[Counted] = []
    for limit in limits:
        count, window_end = store.login_throttle.record_attempt(
            limit.key, now=now, window_s=limit.window_s
        )
        if count > limit.max_attempts:
            retry_after = max(1, math.ceil((window_end - now).total_seconds()))
            raise TooManyAttempts(message, retry_after_s=retry_after)
        counted.append(Counted(limit, window_end))
    return counted


def succeeded(*, store: Store, counted: Sequence[Counted]) -> None:
    """A right password: clear this client's failures for the account, take this one back."""
    for attempt in counted:
        if attempt.limit.cleared_by_success:
            store.login_throttle.reset(attempt.limit.key)
        else:
            store.login_throttle.withdraw_attempt(attempt.limit.key, window_end=attempt.window_end)


def address_key(client: str) -> str:
    """The form of a client address that limits count under: IPv6 by its /64 network."""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return client[:MAX_ADDRESS_CHARS]  # not an IP (a test client's name): as given
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, IPV6_PREFIX), strict=False))
    return str(address)
