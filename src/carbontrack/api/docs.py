"""/docs: Swagger UI from fastapi-offline's files, under a policy that names its inline script.

The page gets `lang="en"` and a stylesheet of colours that pass WCAG AA, so that axe-core finds
no serious violation there either (tests/browser/test_axe_every_page.py).

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
CONTRAST_CSS_URL = "/static/docs/swagger-contrast.css"  # web/static/docs/, WCAG AA colours


@router.get(DOCS_PATH)
async def swagger_ui(request: Request) -> HTMLResponse:
    """The interactive API documentation."""
    root = request.scope.get("root_path", "")
    app = request.app
    swagger = get_swagger_ui_html(
        openapi_url=f"{root}{app.openapi_url}",
        title=f"{app.title} - Swagger UI",
        swagger_js_url=f"{root}{STATIC_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{STATIC_URL}/swagger-ui.css",
        swagger_favicon_url=f"{root}{STATIC_URL}/favicon.png",
        # Deep links put a link inside each operation's button (swagger-api/swagger-ui#9570),
        # which axe-core reports as nested interactive controls.
        swagger_ui_parameters={**(app.swagger_ui_parameters or {}), "deepLinking": False},
    )
    page = accessible(bytes(swagger.body).decode(), root=root)
    return HTMLResponse(page, headers={"Content-Security-Policy": content_security_policy(page)})


def accessible(page: str, *, root: str) -> str:
    """Swagger UI's page with a language and our contrast fixes after its stylesheet."""
    page = page.replace("<html>", '<html lang="en">', 1)
    fixes = f'<link type="text/css" rel="stylesheet" href="{root}{CONTRAST_CSS_URL}">'
    return page.replace("</head>", f"{fixes}\n</head>", 1)


def content_security_policy(page: str) -> str:
    """This origin for everything, and the page's own inline script by its hash."""
    return page_policy(
        f"script-src 'self' {inline_hashes(page, 'script')}",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
    )
