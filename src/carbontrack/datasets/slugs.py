"""Turn publishers' labels into the URL-safe segments of factor ids."""

from __future__ import annotations

import re
import unicodedata
from functools import cache


@cache  # the same labels recur across hundreds of rows
def slug(text: str) -> str:
    """Return `text` as a lower-case id segment of [a-z0-9-], e.g. "UK (London)" -> "uk-london"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
