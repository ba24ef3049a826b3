"""/docs in Chromium, under its own Content-Security-Policy.

The guard fails a test on any console error, and a script or style the policy blocks is one.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PAGE_TIMEOUT_MS
from tests.browser.harness import NetworkGuard

pytestmark = pytest.mark.e2e


def test_swagger_ui_runs_under_a_policy_without_unsafe_inline(
    page: Page, guard: NetworkGuard
) -> None:
    response = page.goto("/docs")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "'sha256-" in policy
    assert "unsafe-inline" not in policy
    title = page.locator(".swagger-ui .info .title")
    # The first /openapi.json builds the schema: slow on two busy cores.
    expect(title).to_contain_text("CarbonTrack", timeout=PAGE_TIMEOUT_MS)
    expect(
        page.locator(".opblock-summary-path").filter(has_text="/api/entries").first
    ).to_be_visible()
    page.get_by_role("button", name="Authorize").click()
    expect(page.locator(".auth-container").first).to_be_visible()
    guard.assert_clean()
