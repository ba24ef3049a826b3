"""Which address a request's guesses count under: the peer, trusted proxies' entries, /64s."""

from __future__ import annotations

import pytest

from carbontrack.api.deps import forwarded_client
from carbontrack.services.throttle import address_key
from carbontrack.settings import Settings

PEER = "192.0.2.10"


@pytest.mark.parametrize(
    ("headers", "hops", "expected"),
    [
        ([], 0, PEER),
        (["203.0.113.5"], 0, PEER),  # never trusted unless configured
        (["203.0.113.5"], 1, "203.0.113.5"),
        (["6.6.6.6, 203.0.113.5"], 1, "203.0.113.5"),  # a client may write anything first
        (["6.6.6.6, 203.0.113.5, 10.0.0.2"], 2, "203.0.113.5"),
        (["6.6.6.6", "203.0.113.5,10.0.0.2"], 2, "203.0.113.5"),  # headers are one list
        (["203.0.113.5"], 2, PEER),  # fewer entries than proxies: not through them all
        (["203.0.113.5, "], 1, PEER),  # an empty entry is no address
    ],
)
def test_forwarded_client(headers: list[str], hops: int, expected: str) -> None:
    assert forwarded_client(PEER, headers, hops=hops) == expected


@pytest.mark.parametrize(
    ("client", "expected"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),  # IPv4-mapped: the IPv4 address
        ("testclient", "testclient"),
        ("x" * 500, "x" * 100),
    ],
)
def test_address_key(client: str, expected: str) -> None:
    assert address_key(client) == expected


def test_one_address_may_not_reach_the_email_ceiling() -> None:
    # 3600 s overlaps up to 13 windows of 300 s, 5 guesses each: 65 from one address.
    Settings(login_max_failures=5, login_email_max_failures=66)
    with pytest.raises(ValueError, match="LOGIN_EMAIL_MAX_FAILURES"):
        Settings(login_max_failures=5, login_email_max_failures=65)
