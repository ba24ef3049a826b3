"""Cookies a page sets while it runs, written onto whatever response it returns.

A dependency (the sliding session, a new pre-session) or a route (log in, a flash message)
queues a cookie in the request's `CookieJar`; `SessionCookies`, an ASGI middleware, adds the
queued `Set-Cookie` headers to the response, be it a page, a redirect or a CSV download. Later
writes of one name replace earlier ones, so a route can still change its mind.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

JAR_KEY = "carbontrack.cookies"


class CookieJar:
    """The cookies one request will set (name -> Set-Cookie value)."""

    def __init__(self) -> None:
        self._headers: dict[str, str] = {}

    def set(
        self, name: str, value: str, *, max_age: int | None, secure: bool, http_only: bool = True
    ) -> None:
        """Queue a cookie for the whole site, SameSite=Lax; max_age None ends with the browser."""
        cookie: SimpleCookie = SimpleCookie()
        cookie[name] = value
        morsel = cookie[name]
        morsel["path"] = "/"
        morsel["samesite"] = "Lax"
        morsel["httponly"] = http_only
        morsel["secure"] = secure
        if max_age is not None:
            morsel["max-age"] = max_age
        self._headers[name] = morsel.OutputString()

    def delete(self, name: str, *, secure: bool) -> None:
        """Queue the removal of a cookie."""
        self.set(name, "", max_age=0, secure=secure)

    def headers(self) -> list[str]:
        """The Set-Cookie values, in the order first queued."""
        return list(self._headers.values())


def jar(request: Request) -> CookieJar:
    """The jar of this request (made by `SessionCookies`)."""
    found = request.scope.get(JAR_KEY)
    if not isinstance(found, CookieJar):
        raise RuntimeError("SessionCookies middleware is not installed")
    return found


class SessionCookies:
    """ASGI middleware: give each HTTP request a `CookieJar` and send what it holds."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = CookieJar()
        scope[JAR_KEY] = cookies

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for value in cookies.headers():
                    headers.append("set-cookie", value)
            await send(message)

        await self.app(scope, receive, send_with_cookies)
