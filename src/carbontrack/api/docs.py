"""/docs: Swagger UI from fastapi-offline's files, under a policy that names its inline script.

FastAPIOffline serves Swagger UI's files at `STATIC_URL`; its page, built here with the same
arguments, starts the UI from one inline script whose text depends on the root path (a
stage's prefix on API Gateway). The script is allowed by its SHA-256 rather than by
'unsafe-inline', which would also let any injected script run.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from carbontrack.api.headers import inline_hashes, page_policy

router = APIRouter(include_in_schema=False)
DOCS_PATH = "/docs"
STATIC_URL = "/static-offline-docs"  # FastAPIOffline's default mount for Swagger UI's files


@router.get(DOCS_PATH)
async def swagger_ui(request: Request) -> HTMLResponse:
    """The interactive API documentation."""
    root = request.scope.get("root_path", "")
    app = request.app
    page = get_swagger_ui_html(
        openapi_url=f"{root}{app.openapi_url}",
        title=f"{app.title} - Swagger UI",
        swagger_js_url=f"{root}{STATIC_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{STATIC_URL}/swagger-ui.css",
        swagger_favicon_url=f"{root}{STATIC_URL}/favicon.png",
        swagger_ui_parameters=app.swagger_ui_parameters,
    )
    page.headers["Content-Security-Policy"] = content_security_policy(bytes(page.body).decode())
    return page


def content_security_policy(page: str) -> str:
    """This origin for everything, and the page's own inline script by its hash."""
    return page_policy(
        f"script-src 'self' {inline_hashes(page, 'script')}",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
    )
