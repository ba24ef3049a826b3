"""The browser harness itself: its guard must be able to fail a test, on the real Chromium."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.browser.harness import CHROMIUM, NetworkGuard

pytestmark = pytest.mark.e2e


def wait_for(page: Page, condition: Callable[[], object], what: str) -> None:
    """Let the page run (events reach the guard only while Playwright waits) until `condition`."""
    for _ in range(50):
        if condition():
            return
        page.wait_for_timeout(100)
    pytest.fail(f"never saw {what}")


def test_the_guard_catches_a_request_that_would_leave_the_machine(
    page: Page, guard: NetworkGuard
) -> None:
    # about:blank: every page of the app has a Content-Security-Policy that would stop the
    # fetch before it reached the network and the guard.
    page.goto("about:blank")
    page.evaluate("fetch('https://example.org/beacon').catch(() => null)")
    wait_for(page, lambda: guard.foreign, "the request to example.org")
    assert guard.foreign == ["https://example.org/beacon"]
    with pytest.raises(AssertionError, match=r"requests left .*example\.org/beacon"):
        guard.assert_clean()
    guard.foreign.clear()  # refused, as it should be; everything else must still be clean
    guard.expect_console_error("ERR_BLOCKED_BY_CLIENT")
    guard.assert_clean()


def test_the_guard_catches_an_uncaught_error_in_the_page(page: Page, guard: NetworkGuard) -> None:
    page.goto("/")
    page.evaluate("setTimeout(() => { throw new Error('boom') }, 0)")
    wait_for(page, lambda: guard.page_errors, "the page error")
    with pytest.raises(AssertionError, match="boom"):
        guard.assert_clean()
    guard.page_errors.clear()


def test_playwright_drives_debians_chromium(page: Page) -> None:
    page.goto("/")
    browser = page.context.browser
    assert browser is not None
    printed = subprocess.run(
        [CHROMIUM, "--version"], capture_output=True, text=True, check=True
    ).stdout
    assert printed.startswith("Chromium ")
    assert browser.version in printed
