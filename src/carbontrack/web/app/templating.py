"""Rendering pages: one Jinja2 environment (autoescaping) and `render`, with the security headers.

Every page gets `user` (or None), `csrf_token`, `nav` (the current path) and `flash` (messages
to show once) in its context, and is served with a strict Content-Security-Policy: scripts,
styles and connections from this origin only, no inline script or style, forms posting here only.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader

from carbontrack.api.headers import page_policy
from carbontrack.services import food
from carbontrack.web.app import session

CONTENT_SECURITY_POLICY = page_policy(
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "manifest-src 'self'",  # /manifest.webmanifest, for adding the app to a home screen
    form_action="'self'",
)
PAGE_HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    # Pages show one person's data: never from a shared cache, nor from history after logout.
    "Cache-Control": "no-store",
}


@cache
def environment() -> Environment:
    """The templates under carbontrack/web/templates, HTML-escaped by default."""
    env = Environment(
        loader=PackageLoader("carbontrack.web", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["food_caveat"] = food.CAVEAT  # shown wherever a food number is (macros.html)
    return env


def render(
    request: Request, template_name: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render `templates/<template_name>` with the session's context and the security headers."""
    values: dict[str, Any] = {
        "request": request,
        "user": session.current_user(request),
        "csrf_token": session.csrf_token(request),
        "nav": request.url.path,
        "flash": session.take_flashes(request),
        **context,
    }
    body = environment().get_template(template_name).render(values)
    return HTMLResponse(body, status_code=status_code, headers=dict(PAGE_HEADERS))
