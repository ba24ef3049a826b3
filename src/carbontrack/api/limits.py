"""Request-size limits enforced before a body reaches a route (ASGI middleware)."""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from carbontrack.api.errors import domain_error_response
from carbontrack.domain.errors import PayloadTooLarge

# Methods whose bodies are not read here (they carry none that any route reads).
UNLIMITED_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BodySizeLimit:
    """Answer 413 when a body is over its limit, whether or not Content-Length is honest.

    The body is read (at most `limit` bytes) before the app runs and replayed to it, so an
    oversized upload is refused before any route or parser sees it.
    """

    def __init__(self, app: ASGIApp, *, default_bytes: int, limits: dict[str, int]) -> None:
        self.app = app
        self.default_bytes = default_bytes
        self.limits = limits  # exact path -> bytes, for uploads that may be larger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in UNLIMITED_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope["path"], self.default_bytes)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # client went away; let the app see the disconnect
            size += len(message.get("body", b""))
            if size > limit:
                await _too_large(limit)(scope, receive, send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _too_large(limit: int) -> JSONResponse:
    return domain_error_response(PayloadTooLarge(f"request body is larger than {limit} bytes"))
