"""Passwords: argon2id with the RFC 9106 low-memory profile in the product.

The rest of the suite hashes at argon2's minimum cost (tests/conftest.py); these tests opt out
with the `real_argon2` marker, so the profile users get is the one tested here.
"""

from __future__ import annotations

import pytest
from argon2 import Parameters, Type, extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY

from carbontrack.services import security

pytestmark = pytest.mark.real_argon2


def test_passwords_are_hashed_with_argon2id_at_the_rfc_9106_low_memory_profile() -> None:
    hashed = security.hash_password("correct horse battery staple")
    parameters = extract_parameters(hashed)
    assert parameters.type is Type.ID
    assert parameters == Parameters(
        type=Type.ID,
        version=19,
        salt_len=RFC_9106_LOW_MEMORY.salt_len,
        hash_len=RFC_9106_LOW_MEMORY.hash_len,
        time_cost=RFC_9106_LOW_MEMORY.time_cost,
        memory_cost=RFC_9106_LOW_MEMORY.memory_cost,
        parallelism=RFC_9106_LOW_MEMORY.parallelism,
    )
    assert hashed != security.hash_password("correct horse battery staple")  # salted


def test_verify_accepts_only_the_right_password() -> None:
    hashed = security.hash_password("correct horse battery staple")
    assert security.verify_password(hashed, "correct horse battery staple") is True
    assert security.verify_password(hashed, "Correct horse battery staple") is False
    assert security.verify_password(None, "anything") is False  # no account: still an argon2 check
    assert security.verify_password("not a hash", "anything") is False
