"""The cookie session and CSRF scheme shared by the pages and the JSON API."""

from __future__ import annotations

import time

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner

from carbontrack.api.app import create_app
from carbontrack.services import security, sessions
from carbontrack.settings import Settings
from tests.web.helpers import api_headers, csrf_from, sign_in, sign_up, submit


def set_cookie(response: httpx.Response, name: str) -> str:
    """The Set-Cookie header a response sent for `name`."""
    found = [c for c in response.headers.get_list("set-cookie") if c.startswith(f"{name}=")]
    assert len(found) == 1, response.headers.get_list("set-cookie")
    return found[0]


def use_cookie(client: TestClient, name: str, value: str) -> None:
    """Replace the client's cookie `name`, as if the browser held `value`."""
    client.cookies.delete(name)
    client.cookies.set(name, value)


def user_id(client: TestClient) -> str:
    response = client.get("/api/profile")
    assert response.status_code == 200, response.text
    return str(response.json()["userId"])


def test_the_session_cookie_is_httponly_lax_and_lives_as_long_as_the_token(
    client: TestClient,
) -> None:
    account = sign_up(client)
    client.cookies.clear()
    cookie = set_cookie(sign_in(client, account), "ct_session")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Path=/" in cookie
    assert "Max-Age=1800" in cookie  # settings.access_token_minutes = 30
    assert "Secure" not in cookie  # development serves http://127.0.0.1


def test_production_cookies_are_secure(settings: Settings) -> None:
    production = settings.model_copy(update={"environment": "production"})
    # https: a client keeps Secure cookies only for secure origins, as browsers do.
    app = create_app(production)
    with TestClient(app, base_url="https://testserver") as client:
        login_page = client.get("/login")
        assert "Secure" in set_cookie(login_page, "ct_pre")
        response = client.post(
            "/register",
            data={
                "csrf": csrf_from(login_page.text),
                "email": "prod@example.org",
                "password": "long enough password",
                "name": "Prod",
                "time_zone": "UTC",
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        assert "Secure" in set_cookie(response, "ct_session")
        assert "Secure" in set_cookie(response, "ct_flash")
    app.state.store.close()


def test_a_reload_keeps_the_session(client: TestClient) -> None:
    account = sign_up(client, name="Reloaded")
    for _ in range(2):
        page = client.get("/profile")
        assert page.status_code == 200
        assert account.email in page.text


def test_a_token_past_half_its_life_is_reissued(client: TestClient, settings: Settings) -> None:
    sign_up(client)
    uid = user_id(client)
    old = security.issue_token(
        user_id=uid, token_version=0, key=settings.signing_key(), lifetime_s=10 * 60
    ).token
    use_cookie(client, "ct_session", old)
    response = client.get("/profile")
    assert response.status_code == 200
    cookie = set_cookie(response, "ct_session")
    assert "Max-Age=1800" in cookie
    assert old not in cookie
    fresh = security.issue_token(
        user_id=uid, token_version=0, key=settings.signing_key(), lifetime_s=25 * 60
    ).token
    use_cookie(client, "ct_session", fresh)
    assert "ct_session=" not in str(client.get("/profile").headers.get_list("set-cookie"))


def test_an_expired_session_is_cleared_and_sends_to_the_login_page(
    client: TestClient, settings: Settings
) -> None:
    sign_up(client)
    expired = security.issue_token(
        user_id=user_id(client), token_version=0, key=settings.signing_key(), lifetime_s=-1
    ).token
    use_cookie(client, "ct_session", expired)
    response = client.get("/profile?tab=password", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fprofile%3Ftab%3Dpassword"
    assert "Max-Age=0" in set_cookie(response, "ct_session")
    assert client.get("/api/profile").status_code == 401


def test_a_visitor_is_sent_to_log_in_and_comes_back(client: TestClient) -> None:
    account = sign_up(client)
    client.cookies.clear()
    response = client.get("/profile", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fprofile"
    login_page = client.get(response.headers["location"])
    assert '<input type="hidden" name="next" value="/profile">' in login_page.text
    assert sign_in(client, account, next_path="/profile").headers["location"] == "/profile"


def test_a_form_posted_without_a_session_goes_to_log_in(client: TestClient) -> None:
    response = client.post("/profile", data={"name": "X"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/steal",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\tprofile",
    ],
)
def test_login_never_redirects_off_site(client: TestClient, target: str) -> None:
    account = sign_up(client)
    client.cookies.clear()
    assert sign_in(client, account, next_path=target).headers["location"] == "/"
    client.cookies.clear()
    page = client.get("/login", params={"next": target})
    assert '<input type="hidden" name="next" value="/">' in page.text


def test_login_keeps_a_same_site_next_with_its_query(client: TestClient) -> None:
    account = sign_up(client)
    client.cookies.clear()
    response = sign_in(client, account, next_path="/profile?tab=password")
    assert response.headers["location"] == "/profile?tab=password"


def test_a_post_without_a_csrf_token_is_refused(client: TestClient) -> None:
    sign_up(client, name="Before")
    response = client.post("/profile", data={"name": "After", "time_zone": "UTC"})
    assert response.status_code == 403
    assert "This form was not sent" in response.text
    assert "Nothing was changed" in response.text
    assert client.get("/api/profile").json()["name"] == "Before"


def test_a_refused_form_links_back_to_its_page(client: TestClient) -> None:
    account = sign_up(client)
    fields = {"current_password": account.password, "new_password": "another password"}
    response = client.post("/profile/password", data={"csrf": "stale", **fields})
    assert response.status_code == 403
    assert '<a href="/profile">Go back</a>' in response.text
    assert submit(client, "/profile/password", fields, page="/profile").status_code == 303


@pytest.mark.parametrize("token", ["", "garbage", "dXNlcjox.aaaa.bbbb"])
def test_a_post_with_a_bad_csrf_token_is_refused(client: TestClient, token: str) -> None:
    sign_up(client, name="Before")
    response = client.post("/profile", data={"csrf": token, "name": "After", "time_zone": "UTC"})
    assert response.status_code == 403
    assert client.get("/api/profile").json()["name"] == "Before"


def test_another_users_csrf_token_is_refused(client: TestClient) -> None:
    other = TestClient(client.app)
    sign_up(other)
    their_token = csrf_from(other.get("/profile").text)
    sign_up(client, name="Victim")
    response = client.post(
        "/profile", data={"csrf": their_token, "name": "Hijacked", "time_zone": "UTC"}
    )
    assert response.status_code == 403
    assert client.get("/api/profile").json()["name"] == "Victim"


def test_a_visitors_token_does_not_work_once_signed_in(client: TestClient) -> None:
    visitor_token = csrf_from(client.get("/login").text)
    sign_up(client, name="Before")
    response = client.post("/profile", data={"csrf": visitor_token, "name": "After"})
    assert response.status_code == 403


def test_an_expired_csrf_token_is_refused(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_up(client, name="Before")
    issued_at = int(time.time()) - sessions.CSRF_MAX_AGE_S - 60
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: issued_at)
        old_token = csrf_from(client.get("/profile").text)
    response = client.post("/profile", data={"csrf": old_token, "name": "After"})
    assert response.status_code == 403
    assert submit(client, "/profile", {"name": "After", "time_zone": "UTC"}).status_code == 303


def test_the_login_form_is_bound_to_the_pre_session_cookie(client: TestClient) -> None:
    account = sign_up(client)
    client.cookies.clear()
    token = csrf_from(client.get("/login").text)
    use_cookie(client, "ct_pre", "another-browser")
    response = client.post(
        "/login", data={"csrf": token, "email": account.email, "password": account.password}
    )
    assert response.status_code == 403
    assert f'value="{account.email}"' in response.text  # the form comes back as typed
    assert "ct_session" not in client.cookies


def test_logout_needs_the_csrf_token(client: TestClient) -> None:
    sign_up(client)
    assert client.post("/logout", data={}).status_code == 403
    assert client.get("/profile", follow_redirects=False).status_code == 200


def test_a_flash_message_shows_once(client: TestClient) -> None:
    sign_up(client)
    response = submit(client, "/profile", {"name": "Grace", "time_zone": "UTC"})
    assert response.status_code == 303
    assert "Your profile is saved." in client.get("/profile").text
    assert "Your profile is saved." not in client.get("/profile").text


def test_a_forged_flash_cookie_is_ignored(client: TestClient) -> None:
    sign_up(client)
    use_cookie(client, "ct_flash", '[["error","<script>alert(1)</script>"]]')
    page = client.get("/profile")
    assert page.status_code == 200
    assert "alert(1)" not in page.text


def test_pages_carry_the_security_headers(client: TestClient) -> None:
    response = client.get("/login")
    policy = response.headers["content-security-policy"]
    for directive in (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ):
        assert directive in policy
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    assert "<script>" not in response.text  # no inline script: the policy would block it


class TestApiWithTheSessionCookie:
    """Scripts on the pages call the JSON API with the cookie and the page's CSRF token."""

    def test_a_read_needs_no_csrf_header(self, client: TestClient) -> None:
        account = sign_up(client)
        response = client.get("/api/profile")
        assert response.status_code == 200
        assert response.json()["email"] == account.email

    def test_a_write_without_the_header_is_refused(self, client: TestClient) -> None:
        sign_up(client, name="Before")
        response = client.patch("/api/profile", json={"name": "After"})
        assert response.status_code == 403
        assert response.json()["detail"] == "missing or invalid X-CSRF-Token header"
        assert client.delete("/api/profile").status_code == 403
        assert client.get("/api/profile").json()["name"] == "Before"

    def test_a_write_with_the_pages_token_is_accepted(self, client: TestClient) -> None:
        sign_up(client)
        response = client.patch("/api/profile", json={"name": "After"}, headers=api_headers(client))
        assert response.status_code == 200
        assert response.json()["name"] == "After"

    def test_another_users_token_in_the_header_is_refused(self, client: TestClient) -> None:
        other = TestClient(client.app)
        sign_up(other)
        sign_up(client)
        response = client.patch("/api/profile", json={"name": "X"}, headers=api_headers(other))
        assert response.status_code == 403

    def test_bearer_clients_are_unchanged(self, client: TestClient) -> None:
        account = sign_up(client, name="Cookie")
        bearer = TestClient(client.app)
        other = sign_up(bearer, name="Bearer")
        token = bearer.post(
            "/api/login", json={"email": other.email, "password": other.password}
        ).json()["access_token"]
        # The bearer token wins over the cookie, and needs no CSRF header.
        response = client.patch(
            "/api/profile", json={"name": "Bearer 2"}, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200
        assert response.json()["email"] == other.email
        assert client.get("/api/profile").json()["email"] == account.email

    def test_no_cookie_and_no_bearer_is_401(self, client: TestClient) -> None:
        response = client.get("/api/profile")
        assert response.status_code == 401
