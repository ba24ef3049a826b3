"""CSV cells a spreadsheet cannot run (services/spreadsheet.py), read back exactly."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.csv_injection import FORMULA_STARTS, PAYLOADS, formula_like

from carbontrack.services.spreadsheet import neutralise, restore

# Notes that merely look like an escaped formula.
LOOKALIKES = ["'=1+2", "''=1", "'", "'hello", "''", "x=1", "it's =fine", "-", "'-"]


@pytest.mark.parametrize("cell", PAYLOADS)
def test_a_formula_like_cell_is_written_after_a_single_quote(cell: str) -> None:
    assert neutralise(cell) == "'" + cell
    assert restore(neutralise(cell)) == cell


@pytest.mark.parametrize("cell", LOOKALIKES)
def test_a_cell_that_looks_escaped_already_reads_back_as_it_was(cell: str) -> None:
    assert not neutralise(cell).startswith(tuple(FORMULA_STARTS))
    assert restore(neutralise(cell)) == cell


def test_only_cells_the_export_changed_are_changed_back() -> None:
    assert neutralise("'hello") == "'hello"
    assert restore("'hello") == "'hello"  # a hand-made file's quote is kept
    assert restore("'=1") == "=1"


cells = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)


@settings(max_examples=500, deadline=None)
@given(cell=cells | formula_like(cells, max_quotes=3))
def test_no_cell_starts_a_formula_and_every_cell_reads_back(cell: str) -> None:
    written = neutralise(cell)
    assert not written.startswith(tuple(FORMULA_STARTS))
    assert restore(written) == cell


@settings(max_examples=300, deadline=None)
@given(row=st.lists(cells | formula_like(cells, max_quotes=3), min_size=1, max_size=4))
def test_a_row_survives_csv_with_crlf_and_newline_none(row: list[str]) -> None:
    """As transfer.py writes (CRLF, so a bare CR is quoted) and reads (newline="")."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([neutralise(c) for c in row])
    (read,) = csv.reader(io.StringIO(buffer.getvalue(), newline=""))
    assert [restore(c) for c in read] == row
