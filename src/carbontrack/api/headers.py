"""Security headers on every response, errors and crashes included (pure ASGI middleware).

Each response gets `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`,
`Referrer-Policy: no-referrer` and a Content-Security-Policy, unless it set its own: pages
send the policy they need, built by `page_policy` (templating.py, map_page.py, docs.py,
pages.py); everything else (JSON, CSV, static files, errors) gets `API_POLICY`, which allows
nothing at all. An exception no handler caught becomes a JSON 500 with these headers and
`Connection: close` (the server then drops the connection, so the client is told so), and is
raised again for the server to log, as Starlette does.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_POLICY = "default-src 'none'; frame-ancestors 'none'"
_DEFAULTS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", API_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)
_NAMES = frozenset(name for name, _ in _DEFAULTS)
_INLINE = {tag: re.compile(f"<{tag}>(.*?)</{tag}>", re.DOTALL) for tag in ("script", "style")}


def inline_hashes(html: str, tag: str) -> str:
    """The CSP sources ('sha256-...') that allow each inline `<script>` or `<style>` of a page."""
    return " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
        for body in _INLINE[tag].findall(html)
    )


def page_policy(*sources: str, form_action: str = "'none'") -> str:
    """A page's CSP: nothing but `sources` (directives), forms to `form_action`, never framed."""
    return "; ".join(
        (
            "default-src 'none'",
            *sources,
            f"form-action {form_action}",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        )
    )


class SecurityHeaders:
    """Add the headers a response lacks; answer an uncaught exception with a JSON 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = _with_defaults(message.get("headers", []))
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            if started:
                raise  # the status is sent already; the server can only drop the connection
            await _server_error(scope, receive, send_with_headers)
            raise


def _with_defaults(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    present = {name.lower() for name, _ in headers if name.lower() in _NAMES}
    if len(present) == len(_NAMES):
        return headers
    return [*headers, *(item for item in _DEFAULTS if item[0] not in present)]


async def _server_error(scope: Scope, receive: Receive, send: Send) -> None:
    response = JSONResponse(
        {"detail": "internal server error"}, status_code=500, headers={"Connection": "close"}
    )
    await response(scope, receive, send)
