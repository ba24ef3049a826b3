"""Opaque pagination cursors shared by the store backends.

A cursor is unpadded urlsafe base64 of compact, key-sorted JSON:
`{"b": backend, "v": version, "p": position}`. It is opaque, not secret: the position
only says where the previous page stopped, and every backend reads it inside the
caller's own partition, so a cursor handed to another user reveals nothing of theirs.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping

from carbontrack.domain.errors import InvalidInput

CURSOR_VERSION = 1
MAX_CURSOR_CHARS = 1024
_ALPHABET = re.compile(r"[A-Za-z0-9_-]+")


def encode_cursor(backend: str, position: Mapping[str, str]) -> str:
    """Wrap a backend's position in an opaque, canonical cursor string."""
    payload = {"b": backend, "v": CURSOR_VERSION, "p": dict(position)}
    text = json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=True)
    return base64.urlsafe_b64encode(text.encode("ascii")).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str, *, backend: str) -> dict[str, str]:
    """Return the position inside a cursor made by `backend`; `InvalidInput` otherwise."""
    if not isinstance(cursor, str) or len(cursor) > MAX_CURSOR_CHARS:
        raise _invalid()
    if not _ALPHABET.fullmatch(cursor):
        raise _invalid()
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError):
        raise _invalid() from None
    position = _position(payload, backend)
    # Only the exact bytes we would have written are accepted: re-encoding catches
    # edited, re-padded or hand-made cursors that happen to parse.
    if encode_cursor(backend, position) != cursor:
        raise _invalid()
    return position


def _position(payload: object, backend: str) -> dict[str, str]:
    """Check the envelope and return its string-to-string position."""
    if not isinstance(payload, dict) or payload.keys() != {"b", "v", "p"}:
        raise _invalid()
    if payload["b"] != backend or payload["v"] != CURSOR_VERSION:
        raise _invalid()
    position = payload["p"]
    if not isinstance(position, dict) or not position:
        raise _invalid()
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in position.items()):
        raise _invalid()
    return position


def _invalid() -> InvalidInput:
    return InvalidInput("invalid cursor", field="cursor")
