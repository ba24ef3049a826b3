"""One-tap "log again" on the log page's recent and most-used activities.

Each shortcut is a small form (no JavaScript needed) that posts its factor, quantity and unit
as last logged; the entry is saved now, through the same service as the log form.
"""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from carbontrack.api.deps import StoreDep
from carbontrack.domain.errors import InvalidInput
from carbontrack.services import entries
from carbontrack.web.app import session
from carbontrack.web.app.activities import Text, saved_message

router = APIRouter()


@router.post("/log/again")
def log_again(
    request: Request,
    user: session.PageUser,
    store: StoreDep,
    csrf: Text = "",
    factor_id: Annotated[str, Form(alias="factorId")] = "",
    quantity: Text = "",
    unit: Text = "",
) -> Response:
    """Save a shortcut's activity again, now, with the quantity and unit it was last logged with."""
    if not session.csrf_valid(request, csrf):
        raise session.CsrfRejected
    data = entries.EntryInput(factor_id=factor_id, quantity=_quantity(quantity), unit=unit)
    entry = entries.create_entry(store=store, user=user, data=data)
    session.flash(request, saved_message(entry, store=store))
    return RedirectResponse("/log", status_code=303)


def _quantity(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise InvalidInput("quantity must be a number", field="quantity") from None
    if not math.isfinite(value):
        raise InvalidInput("quantity must be a finite number", field="quantity")
    return value
