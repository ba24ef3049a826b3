"""405 answers whose `Allow` names every method of the resource (RFC 9110, section 15.5.6).

Starlette answers a method no route serves with the methods of the first route matching the
path only: `PATCH /api/profile` and `DELETE /api/profile` are routes of their own, so an
`OPTIONS /api/profile` was told `Allow: GET`. The resource is the path template of that first
route: `/api/entries/export` is the export, not an entry called "export".

Under the prefixes given to `hide_from_all_but` (the operations console), a 405 goes only to
whom the prefixes' check admits; anyone else gets the 404 of a path no route serves.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
HIDDEN_KEY = "hidden_paths"  # on `app.state`: [(path prefixes, who may see them)]
Admits = Callable[[Request], Awaitable[bool]]


def allowed_methods(request: Request) -> list[str]:
    """The methods the routes of the first path template matching the request's path serve."""
    route_path = _route_path(request)
    matching = [
        route
        for route in iter_route_contexts(request.app.router.routes)
        if getattr(route, "path_regex", None) is not None and route.path_regex.match(route_path)
    ]
    if not matching:
        return []
    template = matching[0].path_format
    served = {m for route in matching if route.path_format == template for m in route.methods or ()}
    return [method for method in METHODS if method in served]


def _route_path(request: Request) -> str:
    path: str = request.scope["path"]
    root: str = request.scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    """FastAPI's answer to an HTTPException, with the whole `Allow` on a 405."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405 and not await _admitted(request):
        exc = HTTPException(404)  # as a path no route serves: nothing tells the path exists
    elif exc.status_code == 405:
        headers = {**(exc.headers or {}), "Allow": ", ".join(allowed_methods(request))}
        exc = HTTPException(405, detail=exc.detail, headers=headers)
    return await http_exception_handler(request, exc)


async def _admitted(request: Request) -> bool:
    """False if the path is under a hidden prefix whose check does not admit the request."""
    route_path = _route_path(request)
    hidden: list[tuple[tuple[str, ...], Admits]] = getattr(request.app.state, HIDDEN_KEY, [])
    for prefixes, admits in hidden:
        if any(route_path == p or route_path.startswith(p + "/") for p in prefixes):
            return await admits(request)
    return True


def hide_from_all_but(app: FastAPI, prefixes: tuple[str, ...], admits: Admits) -> None:
    """Answer a wrong method under `prefixes` with a 405 only if `admits`, else a 404."""
    hidden: list[tuple[tuple[str, ...], Admits]] = getattr(app.state, HIDDEN_KEY, [])
    if (prefixes, admits) not in hidden:
        setattr(app.state, HIDDEN_KEY, [*hidden, (prefixes, admits)])


def install(app: FastAPI) -> None:
    """Answer HTTP exceptions as FastAPI does, but with a complete `Allow` on a 405."""
    app.add_exception_handler(HTTPException, handle_http_exception)
