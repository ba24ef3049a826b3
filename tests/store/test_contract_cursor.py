"""The shared cursor helpers: round trip, and refusal of anything not made by them."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carbontrack.domain.errors import InvalidInput
from carbontrack.store.cursor import MAX_CURSOR_CHARS, decode_cursor, encode_cursor

POSITION = {"t": "2026-03-01T12:00:00.000000Z", "id": "entry-1"}


def _b64(payload: object) -> str:
    text = json.dumps(payload, separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


@settings(deadline=None)
@given(st.dictionaries(st.text(min_size=1), st.text(), min_size=1, max_size=3))
def test_round_trip(position: dict[str, str]) -> None:
    cursor = encode_cursor("sqlite", position)
    assert len(cursor) > 0
    if len(cursor) <= MAX_CURSOR_CHARS:
        assert decode_cursor(cursor, backend="sqlite") == position


def test_cursor_is_urlsafe_and_unpadded() -> None:
    cursor = encode_cursor("sqlite", {"id": "é/+?&=" * 5})
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "====",
        "ab$d",
        _b64([1, 2]),
        _b64({"b": "sqlite", "v": 1}),
        _b64({"b": "sqlite", "v": 2, "p": POSITION}),
        _b64({"b": "sqlite", "v": True, "p": POSITION}),
        _b64({"b": "dynamodb", "v": 1, "p": POSITION}),
        _b64({"b": "sqlite", "v": 1, "p": {}}),
        _b64({"b": "sqlite", "v": 1, "p": {"t": 5}}),
        _b64({"b": "sqlite", "v": 1, "p": POSITION, "x": 1}),
        encode_cursor("sqlite", POSITION) + "==",
        encode_cursor("sqlite", POSITION).lower(),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        base64.urlsafe_b64encode(b"[" * 700).decode(),  # deep nesting, not a payload
        "A" * (MAX_CURSOR_CHARS + 1),
    ],
)
def test_malformed_cursor_is_invalid_input(cursor: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        decode_cursor(cursor, backend="sqlite")
    assert (raised.value.message, raised.value.field) == ("invalid cursor", "cursor")


def test_non_canonical_json_is_refused() -> None:
    spaced = base64.urlsafe_b64encode(
        json.dumps({"b": "sqlite", "v": 1, "p": POSITION}).encode()
    ).decode()
    with pytest.raises(InvalidInput):
        decode_cursor(spaced.rstrip("="), backend="sqlite")
