"""Sign up, log in and log out through the forms."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.helpers import PASSWORD, csrf_from, sign_in, sign_out, sign_up, submit


def field_error(html: str, name: str) -> str:
    """The message shown under one field (macros.html: id f-<name>-error)."""
    found = re.search(rf'<small id="f-{name}-error" class="field-error">([^<]*)</small>', html)
    assert found is not None, f"no error shown for {name}"
    return found.group(1)


def registration(**changes: str) -> dict[str, str]:
    fields = {
        "email": "new@example.org",
        "password": PASSWORD,
        "name": "Grace",
        "country": "FR",
        "time_zone": "Europe/Paris",
    }
    return {**fields, **changes}


def test_the_sign_up_form_has_labelled_fields_and_detects_the_time_zone(
    client: TestClient,
) -> None:
    page = client.get("/register")
    assert page.status_code == 200
    for name in ("email", "password", "name", "country", "time_zone"):
        assert f'<label for="f-{name}">' in page.text
        assert f'id="f-{name}" name="{name}"' in page.text
    assert "data-detect-zone" in page.text
    assert '<script type="module" src="/static/app/timezone.js"></script>' in page.text
    assert client.get("/static/app/timezone.js").status_code == 200
    assert '<option value="UTC" selected>' in page.text
    assert 'minlength="8"' in page.text  # the browser checks what the server checks


def test_signing_up_signs_in_and_saves_the_profile(client: TestClient) -> None:
    response = submit(client, "/register", registration(email="Grace@Example.org"))
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    profile = client.get("/api/profile").json()
    assert profile["email"] == "grace@example.org"
    assert profile["name"] == "Grace"
    assert profile["country"] == "FR"
    assert profile["timeZone"] == "Europe/Paris"
    assert "Welcome to CarbonTrack, Grace" in client.get("/").text


def test_a_country_is_optional(client: TestClient) -> None:
    assert submit(client, "/register", registration(country="")).status_code == 303
    assert client.get("/api/profile").json()["country"] is None


def test_bad_sign_up_shows_each_error_next_to_its_field_and_keeps_what_was_typed(
    client: TestClient,
) -> None:
    typed = registration(email="not-an-email", password="short", name="Grace Hopper")
    response = submit(client, "/register", typed)
    assert response.status_code == 422
    html = response.text
    assert field_error(html, "email") == "Enter an email address like name@example.org."
    assert 'id="f-email" name="email" type="email" value="not-an-email" aria-invalid="true"' in html
    assert 'aria-describedby="f-email-error"' in html
    assert 'value="Grace Hopper"' in html
    assert '<option value="FR" selected>' in html
    assert '<option value="Europe/Paris" selected>' in html
    assert "short" not in html  # the password is never sent back
    assert 'href="#f-email"' in html  # the summary links to the field
    assert "ct_session" not in client.cookies


def test_a_short_password_is_explained(client: TestClient) -> None:
    response = submit(client, "/register", registration(password="short"))
    assert response.status_code == 422
    assert field_error(response.text, "password") == "Use at least 8 characters for your password."
    assert 'aria-describedby="f-password-error f-password-hint"' in response.text


def test_an_unknown_time_zone_or_country_is_refused(client: TestClient) -> None:
    response = submit(client, "/register", registration(time_zone="Mars/Olympus", country="XX"))
    assert response.status_code == 422
    assert field_error(response.text, "time_zone") == "Choose a time zone from the list."
    assert field_error(response.text, "country") == "Choose your country from the list."


def test_a_taken_email_is_shown_on_the_email_field(client: TestClient) -> None:
    account = sign_up(client)
    client.cookies.clear()
    response = submit(client, "/register", registration(email=account.email.upper()))
    assert response.status_code == 409
    assert field_error(response.text, "email") == "Email already registered"
    assert f'value="{account.email.upper()}"' in response.text


def test_log_in_and_out(client: TestClient) -> None:
    account = sign_up(client, name="Lin")
    sign_out(client)
    assert "ct_session" not in client.cookies
    login_page = client.get("/login")
    assert "You are logged out." in login_page.text
    assert client.get("/profile", follow_redirects=False).status_code == 303
    response = sign_in(client, account)
    assert response.headers["location"] == "/"
    assert account.email in client.get("/profile").text


def test_a_wrong_password_is_shown_next_to_the_password_and_keeps_the_email(
    client: TestClient,
) -> None:
    account = sign_up(client)
    client.cookies.clear()
    response = submit(client, "/login", {"email": account.email, "password": "wrong password"})
    assert response.status_code == 401
    assert field_error(response.text, "password") == "Incorrect email or password"
    assert f'value="{account.email}"' in response.text
    assert "wrong password" not in response.text


def test_repeated_failures_are_throttled_with_a_clear_message(client: TestClient) -> None:
    account = sign_up(client)
    client.cookies.clear()
    for _ in range(3):  # settings.login_max_failures
        submit(client, "/login", {"email": account.email, "password": "wrong password"})
    response = submit(client, "/login", {"email": account.email, "password": account.password})
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) > 0
    message = field_error(response.text, "email")
    assert message.startswith("Too many failed logins. Try again in ")
    assert "ct_session" not in client.cookies


def test_empty_log_in_fields_are_explained(client: TestClient) -> None:
    response = submit(client, "/login", {"email": "", "password": ""})
    assert response.status_code == 422
    assert field_error(response.text, "email") == "Enter your email address."
    assert field_error(response.text, "password") == "Enter your password."


def test_a_signed_in_user_skips_the_forms(client: TestClient) -> None:
    sign_up(client)
    assert client.get("/login", follow_redirects=False).headers["location"] == "/"
    assert client.get("/register", follow_redirects=False).headers["location"] == "/"


def test_logout_of_an_ended_session_just_goes_to_log_in(client: TestClient) -> None:
    token = csrf_from(client.get("/login").text)
    response = client.post("/logout", data={"csrf": token}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_the_header_offers_sign_up_to_visitors_and_the_app_to_members(client: TestClient) -> None:
    visitor = client.get("/login").text
    assert '<a href="/register">Sign up</a>' in visitor
    assert 'action="/logout"' not in visitor
    sign_up(client)
    member = client.get("/profile").text
    for href in ("/", "/log", "/history", "/goals", "/teams", "/achievements"):
        assert f'<a href="{href}"' in member
    assert '<a href="/profile" aria-current="page">Profile</a>' in member
    assert 'action="/logout"' in member


def test_a_visitor_at_the_root_gets_the_first_screen(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 200
    assert 'href="/register"' in response.text
    assert 'href="/login"' in response.text
