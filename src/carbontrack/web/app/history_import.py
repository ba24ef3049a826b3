"""CSV import at /history/import: upload the export's format, see every bad row, or the count.

`services.transfer.import_csv` is all or nothing: it checks every row first and writes only
when all are good, so a file with one bad row imports nothing. The page says exactly that, and
lists each bad row with its number (the header is row 1), column and reason, so the user can
fix the file and upload it again; importing the same file twice is refused, never doubled.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from carbontrack.api.deps import StoreDep
from carbontrack.domain.errors import AlreadyExists, InvalidInput, InvalidRows
from carbontrack.services import transfer
from carbontrack.web.app import session
from carbontrack.web.app.forms import domain_errors
from carbontrack.web.app.handlers import CSRF_MESSAGE
from carbontrack.web.app.templating import render

router = APIRouter()

IMPORT_PATH = "/history/import"
Text = Annotated[str, Form()]
FILE_FIELD = {"file": "file"}


@router.get(IMPORT_PATH)
def import_page(request: Request, user: session.PageUser) -> Response:
    """The upload form and what the file must look like."""
    return _import_form(request)


@router.post(IMPORT_PATH)
def import_entries(
    request: Request,
    user: session.PageUser,
    store: StoreDep,
    file: Annotated[UploadFile | None, File()] = None,
    csrf: Text = "",
) -> Response:
    """Import the file's entries, all or none; say which rows are wrong if any is."""
    if not session.csrf_valid(request, csrf):
        return _import_form(request, errors={"": CSRF_MESSAGE}, status_code=403)
    if file is None or not file.filename:
        return _import_form(request, errors={"file": "Choose a CSV file."}, status_code=422)
    try:
        text = file.file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        message = "The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again."
        return _import_form(request, errors={"file": message}, status_code=422)
    try:
        count = transfer.import_csv(store=store, user=user, text=text)
    except InvalidRows as exc:
        return _import_form(request, rows=exc.rows, filename=file.filename, status_code=422)
    except (InvalidInput, AlreadyExists) as exc:
        errors = domain_errors(exc, FILE_FIELD, default="file")
        status_code = 409 if isinstance(exc, AlreadyExists) else 422
        return _import_form(request, errors=errors, status_code=status_code)
    noun = "entry" if count == 1 else "entries"
    session.flash(request, f"Imported {count} {noun} from {file.filename}.")
    return RedirectResponse("/history", status_code=303)


def _import_form(
    request: Request,
    *,
    errors: dict[str, str] | None = None,
    rows: list[dict[str, object]] | None = None,
    filename: str = "",
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "app/history_import.html",
        status_code=status_code,
        errors=errors or {},
        rows=rows or [],
        filename=filename,
        capped=len(rows or []) >= transfer.MAX_ROW_ERRORS,
        max_row_errors=transfer.MAX_ROW_ERRORS,
        columns=transfer.COLUMNS,
        required=transfer.REQUIRED,
    )
