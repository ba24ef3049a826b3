"""Sign up, log out, log in in Debian's Chromium; accessible and usable on a phone."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.a11y import assert_no_serious_violations
from tests.browser.conftest import NewPage
from tests.browser.harness import PHONE, NetworkGuard, save_screenshot
from tests.live import LiveServer

pytestmark = pytest.mark.e2e
PASSWORD = "a long enough password"


def new_email() -> str:
    return f"browser-{uuid.uuid4().hex[:12]}@example.org"


def sign_up(page: Page, email: str, *, name: str = "Browser Ada") -> None:
    page.goto("/register")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Country").select_option("GB")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("/")


def assert_no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px phone"


def test_sign_up_log_out_log_in_and_reload(page: Page) -> None:
    email = new_email()
    page.goto("/register")
    assert_no_serious_violations(page)
    sign_up(page, email)
    expect(page.get_by_role("status")).to_contain_text("Welcome to CarbonTrack, Browser Ada")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.get_by_text(email)).to_be_visible()
    assert_no_serious_violations(page)

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("/login")
    expect(page.get_by_role("status")).to_contain_text("You are logged out.")
    assert_no_serious_violations(page)

    page.goto("/profile")
    page.wait_for_url("/login?next=%2Fprofile")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("/profile")
    page.reload()
    expect(page.get_by_text(email)).to_be_visible()  # the session survives a reload


def test_a_wrong_password_shows_the_error_by_the_field_and_keeps_the_email(
    page: Page, guard: NetworkGuard
) -> None:
    guard.expect_console_error("401")  # the failed login's status, logged by Chromium
    page.goto("/login")
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    password = page.get_by_label("Password")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-password-error")).to_have_text("Incorrect email or password")
    expect(page.get_by_label("Email")).to_have_value("nobody@example.org")
    expect(password).to_have_value("")
    # By name: the empty offline banner is also an alert, and counts as shown until the
    # stylesheet that hides it (:empty) has loaded, as one run under load found.
    summary = page.get_by_role("alert", name="There is a problem")
    expect(summary).to_contain_text("Incorrect email or password")
    assert_no_serious_violations(page)


def test_the_browser_checks_the_form_before_sending_it(page: Page) -> None:
    page.goto("/register")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name="Create account").click()
    assert page.url.endswith("/register")  # the browser kept the form: nothing was sent
    valid = page.get_by_label("Email").evaluate("(input) => input.validity.valid")
    assert valid is False


def test_the_sign_up_form_preselects_the_browsers_time_zone(
    browser: Browser, live_server: LiveServer, guard: NetworkGuard
) -> None:
    context = browser.new_context(base_url=live_server.url, timezone_id="Asia/Tokyo")
    guard.watch(context)
    page = context.new_page()
    guard.watch_page(page)
    try:
        page.goto("/register")
        expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    finally:
        context.close()
    guard.assert_clean()


def test_a_phone_gets_a_menu_and_no_sideways_scroll(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE)
    page.goto("/register")
    assert_no_sideways_scroll(page)
    page.goto("/login")
    assert_no_sideways_scroll(page)
    sign_up(page, new_email())
    page.goto("/profile")
    assert_no_sideways_scroll(page)
    assert_no_serious_violations(page)
    save_screenshot(page, "profile-phone")
    menu = page.get_by_text("Menu", exact=True)
    expect(menu).to_be_visible()
    menu.click()
    page.get_by_role("link", name="Achievements").click()
    page.wait_for_url("/achievements")
