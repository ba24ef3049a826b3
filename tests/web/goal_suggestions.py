"""Read a suggested goal's one-tap form from the /goals page."""

from __future__ import annotations

import html
import re

FORM = re.compile(r"<form [^>]*>(.*?)</form>", re.DOTALL)
HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')


def suggestion_fields(page: str, suggestion_id: str) -> dict[str, str]:
    """The hidden fields of the form whose button is `data-suggestion="<suggestion_id>"`."""
    for form in FORM.findall(page):
        if f'data-suggestion="{suggestion_id}"' in form:
            return {k: html.unescape(v) for k, v in HIDDEN.findall(form) if k != "csrf"}
    raise AssertionError(f"no suggestion {suggestion_id}")
