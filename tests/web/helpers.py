"""Drive the pages like a browser does: read the CSRF token from a page, submit its forms.

account = sign_up(client)  # a fresh account; the client keeps its session cookie
response = submit(client, "/log", {...})  # POST with the CSRF token of the page at /log
token = csrf_from(client.get("/profile").text)
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx
from fastapi.testclient import TestClient

_counter = itertools.count()
_CSRF_INPUT = re.compile(r'<input type="hidden" name="csrf" value="([^"]+)">')
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
PASSWORD = "correct horse battery"


def without_csrf(html: str) -> str:
    """A page with its CSRF tokens blanked: they are signed with the time, to the second, so two
    renders of the same page differ in them and in nothing else."""
    for pattern in (_CSRF_INPUT, _CSRF_META):
        html = pattern.sub(lambda m: m.group(0).replace(m.group(1), "-"), html)
    return html


@dataclass(frozen=True)
class Account:
    """Who `sign_up` created: sign in again with email and password."""

    email: str
    password: str
    name: str


def csrf_from(html: str) -> str:
    """The CSRF token of a rendered page (from a form, else from its <meta>)."""
    found = _CSRF_INPUT.search(html) or _CSRF_META.search(html)
    assert found is not None, "no CSRF token on the page"
    return found.group(1)


def submit(
    client: TestClient,
    action: str,
    data: dict[str, Any],
    *,
    page: str | None = None,
    files: dict[str, Any] | None = None,
    follow_redirects: bool = False,
) -> httpx.Response:
    """POST a form to `action` with the CSRF token of `page` (default: the page at `action`)."""
    token = csrf_from(client.get(page or action).text)
    return client.post(
        action,
        data={"csrf": token, **data},
        files=files,
        follow_redirects=follow_redirects,
    )


def sign_up(
    client: TestClient,
    *,
    email: str | None = None,
    password: str = PASSWORD,
    name: str = "Ada",
    country: str = "GB",
    time_zone: str = "Europe/London",
) -> Account:
    """Create an account through the sign-up form; the client is then signed in."""
    email = email or f"person{next(_counter)}@example.org"
    fields = {
        "email": email,
        "password": password,
        "name": name,
        "country": country,
        "time_zone": time_zone,
    }
    response = submit(client, "/register", fields)
    assert response.status_code == 303, response.text
    return Account(email=email, password=password, name=name)


def sign_in(client: TestClient, account: Account, *, next_path: str = "/") -> httpx.Response:
    """Log in through the form; returns the redirect (303) response."""
    fields = {"email": account.email, "password": account.password, "next": next_path}
    response = submit(client, "/login", fields)
    assert response.status_code == 303, response.text
    return response


def sign_out(client: TestClient) -> None:
    """Log out through the header's form."""
    response = submit(client, "/logout", {}, page="/profile")
    assert response.status_code == 303, response.text


def api_headers(client: TestClient, *, page: str = "/profile") -> dict[str, str]:
    """Headers a page's script sends to the JSON API with the session cookie (CSRF header)."""
    return {"X-CSRF-Token": csrf_from(client.get(page).text)}
