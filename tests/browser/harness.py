"""What every browser test needs: a real server, Debian's Chromium, and a network guard.

- `running_server` (from `tests.live`) starts `carbontrack serve` on 127.0.0.1 and stops it.
- `launch_chromium` starts /usr/bin/chromium through Playwright with the flags this closed
  network needs; Playwright gives every launch a fresh, empty profile (user-data-dir) and never
  downloads a browser of its own here.
- `NetworkGuard` records every request of the browser contexts it watches, aborts any that
  would leave the app's origin, and fails the test on such a request, on an uncaught page error
  and on an unexpected console error (a blocked Content-Security-Policy load is one).
- `save_screenshot` writes PNGs under test-artifacts/browser/ (gitignored).
"""

from __future__ import annotations

import os
import re
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Playwright,
    Request,
    Response,
    Route,
    ViewportSize,
    WebSocket,
    expect,
)
from playwright.sync_api import Error as PlaywrightError

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = (
    Path(os.environ.get("CARBONTRACK_TEST_ARTIFACTS", REPO_ROOT / "test-artifacts")) / "browser"
)
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps calling Google's hosts, which this
# machine's closed network refuses; QUIC, sync and component updates would do the same. The
# resolver rule makes any host name fail at once, so a stray request cannot hang a test.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 375, "height": 740}


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with the flags for a machine with no internet."""
    if not CHROMIUM.exists():
        raise RuntimeError(
            f"{CHROMIUM} is missing: `make test` installs Debian's chromium package "
            "(Playwright must not download a browser of its own)"
        )
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS)
    )


@dataclass
class NetworkGuard:
    """Watches browser contexts: every request must stay on `origin`, and nothing may break."""

    origin: str
    requests: list[str] = field(default_factory=list)
    websockets: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    expected_console_errors: list[re.Pattern[str]] = field(default_factory=list)

    def is_local(self, url: str) -> bool:
        """True for a URL on the app's own origin (http://127.0.0.1:<port>/...)."""
        return url == self.origin or url.startswith(f"{self.origin}/")

    def watch(self, context: BrowserContext) -> None:
        """Record every request of `context`; abort (and record) those leaving the origin."""
        context.on("request", self._record)
        context.route(lambda url: not self.is_local(url), self._refuse)

    def watch_page(self, page: Page) -> None:
        """Record a page's web sockets, uncaught errors and console."""
        page.on("websocket", self._record_websocket)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        page.on("console", self._record_console)

    def expect_console_error(self, pattern: str) -> None:
        """Allow console errors matching `pattern` (e.g. a 401 the test provokes on purpose)."""
        self.expected_console_errors.append(re.compile(pattern))

    def assert_clean(self) -> None:
        """Fail unless every request stayed local and the pages raised and logged no error."""
        assert self.requests, "the guard saw no request at all: is it watching the context?"
        assert not self.foreign, f"requests left {self.origin}: {self.foreign}"
        assert not self.page_errors, f"uncaught errors in the page: {self.page_errors}"
        unexpected = [
            text
            for text in self.console_errors
            if not any(p.search(text) for p in self.expected_console_errors)
        ]
        assert not unexpected, f"console errors: {unexpected}"

    def _record(self, request: Request) -> None:
        self.requests.append(request.url)
        if not self.is_local(request.url):
            self.foreign.append(request.url)

    def _refuse(self, route: Route) -> None:
        if route.request.url not in self.foreign:
            self.foreign.append(route.request.url)
        # The page may have gone meanwhile; the request is recorded all the same.
        with suppress(PlaywrightError):
            route.abort("blockedbyclient")

    def _record_websocket(self, websocket: WebSocket) -> None:
        self.websockets.append(websocket.url)
        if not websocket.url.startswith(self.origin.replace("http", "ws", 1) + "/"):
            self.foreign.append(websocket.url)

    def _record_console(self, message: ConsoleMessage) -> None:
        text = f"{message.type}: {message.text}"
        self.console.append(text)
        if message.type == "error":
            self.console_errors.append(text)


def save_screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of the page as test-artifacts/browser/<name>.png and return its path."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=path, full_page=full_page)
    return path


def search_activities(page: Page, query: str, activity: str) -> tuple[Locator, list[str]]:
    """Type into /log's combobox; return it and the suggestions for the whole query, once shown."""
    box = page.get_by_role("combobox", name="Search activities")
    box.fill("")

    def for_query(response: Response) -> bool:
        url = urlsplit(response.url)
        return url.path == "/api/activities" and parse_qs(url.query).get("q") == [query]

    with page.expect_response(for_query) as found:
        box.press_sequentially(query)
    body = found.value.json()
    # The options: everyday activities (a flight too), then raw factors (log.js).
    activities = [item["name"] for item in body["items"]]
    names = activities + [factor["activity"] for factor in body["factors"]]
    assert activity in names, names
    listbox = page.get_by_role("listbox", name="Matching activities")
    expect(listbox).to_be_visible()
    # Only these names: a list shown for a shorter prefix while typing is gone by now.
    expect(listbox.locator(".option-name")).to_have_text(names)
    expect(box).to_have_attribute("aria-expanded", "true")
    return box, names
