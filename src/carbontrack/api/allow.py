"""405 answers whose `Allow` names every method of the resource (RFC 9110, section 15.5.6).

Starlette answers a method no route serves with the methods of the first route matching the
path only: `PATCH /api/profile` and `DELETE /api/profile` are routes of their own, so an
`OPTIONS /api/profile` was told `Allow: GET`. The resource is the path template of that first
route: `/api/entries/export` is the export, not an entry called "export".
"""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.routing import iter_route_contexts
from starlette.exceptions import HTTPException

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """The methods the routes of the first path template matching the request's path serve."""
    path, root = request.scope["path"], request.scope.get("root_path", "")
    route_path = path[len(root) :] if root and path.startswith(root) else path
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


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    """FastAPI's answer to an HTTPException, with the whole `Allow` on a 405."""
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        headers = {**(exc.headers or {}), "Allow": ", ".join(allowed_methods(request))}
        exc = HTTPException(405, detail=exc.detail, headers=headers)
    return await http_exception_handler(request, exc)


def install(app: FastAPI) -> None:
    """Answer HTTP exceptions as FastAPI does, but with a complete `Allow` on a 405."""
    app.add_exception_handler(HTTPException, handle_http_exception)
