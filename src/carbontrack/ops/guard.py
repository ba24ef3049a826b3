"""Where the operations console lives, and who may learn that it does.

Every operator path starts with one of `PREFIXES`. Anyone but an operator gets the 404 of a
path no route serves there, also where FastAPI would otherwise answer before the route's own
operator check: a wrong method (the app's 405, api/allow.py, asks `is_operator`) and a body
that does not parse (the routes read it in a dependency on the operator check).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from carbontrack.api import allow, deps
from carbontrack.domain.errors import Forbidden

API_PREFIX = "/api/inventory"
PAGE = "/ops"
PREFIXES = (API_PREFIX, PAGE)  # every operator route's path starts with one of these


async def is_operator(request: Request) -> bool:
    """True if the request's bearer token, else its session cookie, is an operator's."""
    token = await deps.oauth2_scheme(request)
    store, settings = await deps.get_store(request), await deps.get_settings(request)
    try:
        # get_operator reads the store: off the event loop, as FastAPI runs it for a route.
        await run_in_threadpool(deps.get_operator, request, store, settings, token)
    except HTTPException:
        return False
    except Forbidden:
        return True  # raised only for an operator's cookie without its CSRF header
    return True


def install(app: FastAPI) -> None:
    """Answer a wrong method under `PREFIXES` with a 405 to operators only."""
    allow.hide_from_all_but(app, PREFIXES, is_operator)
