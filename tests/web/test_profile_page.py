"""The profile page: details, password change, account deletion."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.helpers import Account, sign_in, sign_up, submit
from tests.web.test_auth_pages import field_error


def test_the_page_shows_the_saved_details(client: TestClient) -> None:
    account = sign_up(client, name="Ada", country="DE", time_zone="Europe/Berlin")
    page = client.get("/profile")
    assert page.status_code == 200
    assert account.email in page.text
    assert 'value="Ada"' in page.text
    assert '<option value="DE" selected>' in page.text
    assert '<option value="Europe/Berlin" selected>' in page.text
    assert page.text.count("<h1>") == 1


def test_saving_details_changes_the_profile(client: TestClient) -> None:
    sign_up(client)
    fields = {"name": "Ada L.", "country": "IE", "time_zone": "Europe/Dublin"}
    response = submit(client, "/profile", fields)
    assert response.status_code == 303
    assert response.headers["location"] == "/profile"
    profile = client.get("/api/profile").json()
    assert (profile["name"], profile["country"], profile["timeZone"]) == (
        "Ada L.",
        "IE",
        "Europe/Dublin",
    )


def test_not_set_clears_the_country(client: TestClient) -> None:
    sign_up(client, country="GB")
    response = submit(client, "/profile", {"name": "Ada", "country": "", "time_zone": "UTC"})
    assert response.status_code == 303
    assert client.get("/api/profile").json()["country"] is None


def test_bad_details_keep_what_was_typed(client: TestClient) -> None:
    sign_up(client, name="Ada", time_zone="Europe/London")
    response = submit(client, "/profile", {"name": "  ", "country": "FR", "time_zone": "Nowhere"})
    assert response.status_code == 422
    assert field_error(response.text, "name") == "Enter your name."
    assert field_error(response.text, "time_zone") == "Choose a time zone from the list."
    assert '<option value="FR" selected>' in response.text
    assert client.get("/api/profile").json()["timeZone"] == "Europe/London"


def test_a_wrong_current_password_is_shown_on_that_field(client: TestClient) -> None:
    sign_up(client)
    fields = {"current_password": "not my password", "new_password": "a new long password"}
    response = submit(client, "/profile/password", fields, page="/profile")
    assert response.status_code == 422
    assert field_error(response.text, "current_password") == "Current password is incorrect"
    assert "a new long password" not in response.text


def test_a_short_new_password_is_refused(client: TestClient) -> None:
    account = sign_up(client)
    fields = {"current_password": account.password, "new_password": "short"}
    response = submit(client, "/profile/password", fields, page="/profile")
    assert response.status_code == 422
    assert "at least 8 characters" in field_error(response.text, "new_password")


def test_changing_the_password_signs_out_everywhere_else(client: TestClient) -> None:
    account = sign_up(client)
    laptop = TestClient(client.app)
    sign_in(laptop, account)
    bearer = client.post(
        "/api/login", json={"email": account.email, "password": account.password}
    ).json()["access_token"]
    fields = {"current_password": account.password, "new_password": "a new long password"}
    response = submit(client, "/profile/password", fields, page="/profile")
    assert response.status_code == 303
    assert client.get("/profile", follow_redirects=False).status_code == 200  # this browser stays
    assert laptop.get("/profile", follow_redirects=False).status_code == 303  # others are out
    old = client.get("/api/profile", headers={"Authorization": f"Bearer {bearer}"})
    assert old.status_code == 401
    laptop.cookies.clear()
    sign_in(laptop, Account(account.email, "a new long password", account.name))


def test_deleting_needs_the_email_typed(client: TestClient) -> None:
    sign_up(client)
    response = submit(
        client, "/profile/delete", {"confirm_email": "someone@else.org"}, page="/profile"
    )
    assert response.status_code == 422
    assert "to confirm" in field_error(response.text, "confirm_email")
    assert 'value="someone@else.org"' in response.text
    assert client.get("/api/profile").status_code == 200


def test_deleting_the_account_removes_it_and_signs_out(client: TestClient) -> None:
    account = sign_up(client)
    response = submit(
        client, "/profile/delete", {"confirm_email": account.email.upper()}, page="/profile"
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert "ct_session" not in client.cookies
    assert "Your account and all its data are deleted." in client.get("/login").text
    failed = submit(client, "/login", {"email": account.email, "password": account.password})
    assert failed.status_code == 401
