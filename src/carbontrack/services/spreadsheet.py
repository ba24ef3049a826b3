"""CSV cells that a spreadsheet shows as text, never runs as a formula (OWASP "CSV Injection").

A cell that starts with `=`, `+`, `-`, `@`, tab or CR may be read as a formula by Excel,
LibreOffice or Google Sheets; OWASP's advice is to prefix it with a single quote, which they
show as text. To read our own export back exactly, the prefix must be undone, and only where
it was added: a cell that already starts with quotes followed by one of those characters
(a note that really is `'=x`) gets one more quote, so `restore` removes exactly one quote from
any cell that starts with quotes and then such a character, and leaves every other cell as
it is. `restore(neutralise(text)) == text` for every text.
"""

from __future__ import annotations

import re

FORMULA_STARTS = "=+-@\t\r"
_NEEDS_QUOTE = re.compile(f"'*[{re.escape(FORMULA_STARTS)}]")
_QUOTED = re.compile(f"'+[{re.escape(FORMULA_STARTS)}]")
_LEADS = frozenset(FORMULA_STARTS + "'")  # a first character test spares most cells the regex


def neutralise(cell: str) -> str:
    """The cell as written to a CSV file: a single quote before a formula-like start."""
    return "'" + cell if cell[:1] in _LEADS and _NEEDS_QUOTE.match(cell) else cell


def restore(cell: str) -> str:
    """The cell as `neutralise` was given it: one leading quote fewer where it added one."""
    return cell[1:] if cell[:1] == "'" and _QUOTED.match(cell) else cell
