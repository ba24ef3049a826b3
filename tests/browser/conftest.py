"""Browser-test fixtures: one real server and one Chromium per session, a guarded page per test.

A test asks for `page` (desktop size) or calls `new_page(viewport=PHONE)`; relative URLs go to
the live server. When the test ends, every page it opened is checked by its `guard`: a request
that left http://127.0.0.1:<port>, an uncaught page error or an unexpected console error fails
it. A failed test leaves a screenshot of each open page in test-artifacts/browser/.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from tests.browser.harness import (
    ARTIFACTS_DIR,
    DESKTOP,
    NetworkGuard,
    launch_chromium,
    save_screenshot,
)
from tests.live import LiveServer, running_server

NewPage = Callable[..., Page]
_CALL_REPORT = pytest.StashKey[pytest.TestReport]()
PAGE_TIMEOUT_MS = 20_000  # two cores shared with other work: be patient, not flaky


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep the call phase's report, so fixtures can tell whether the test failed."""
    report = yield
    if call.when == "call":
        item.stash[_CALL_REPORT] = report
    return report


@pytest.fixture(scope="package")
def live_server(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[LiveServer]:
    """`carbontrack serve` on 127.0.0.1 with a free port and an empty data dir.

    Each pytest-xdist worker that runs browser tests starts its own, logging to a file of its
    own (`worker_id` is "master" without xdist).
    """
    log_name = "server.log" if worker_id == "master" else f"server-{worker_id}.log"
    data_dir = tmp_path_factory.mktemp("live-server")
    # Every browser test signs up its users from 127.0.0.1, on one server per worker.
    unlimited = {"CARBONTRACK_REGISTER_MAX_PER_ADDRESS": "100000"}
    with running_server(data_dir, log_path=ARTIFACTS_DIR / log_name, extra_env=unlimited) as server:
        yield server


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (/usr/bin/chromium), headless, started once for the browser tests.

    Package scope, not session: Playwright's sync API keeps an asyncio loop running in the
    main thread while it is open, and later tests that run a loop of their own there (the
    Lambda handler's Mangum) would fail with "This event loop is already running".
    """
    with sync_playwright() as playwright:
        try:
            chromium = launch_chromium(playwright)
        except RuntimeError as missing:
            pytest.fail(str(missing))
        yield chromium
        chromium.close()


@pytest.fixture
def guard(live_server: LiveServer) -> NetworkGuard:
    """The network and error guard of this test's pages."""
    return NetworkGuard(origin=live_server.url)


@pytest.fixture
def new_page(
    request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer, guard: NetworkGuard
) -> Iterator[NewPage]:
    """Open a guarded page in a fresh browser context (own cookies and storage)."""
    pages: list[Page] = []

    def open_page(*, viewport: ViewportSize = DESKTOP, timezone_id: str = "UTC") -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=viewport,
            locale="en-GB",
            timezone_id=timezone_id,
            service_workers="block",
        )
        guard.watch(context)
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        page = context.new_page()
        guard.watch_page(page)
        pages.append(page)
        return page

    yield open_page
    report = request.node.stash.get(_CALL_REPORT, None)
    for index, page in enumerate(pages):
        if report is not None and report.failed:
            save_screenshot(page, f"FAILED-{request.node.name}-{index}")
        page.context.close()
    if pages:
        guard.assert_clean()


@pytest.fixture
def page(new_page: NewPage) -> Page:
    """A guarded desktop-sized page on the live server."""
    return new_page()
