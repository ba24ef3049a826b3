"""axe-core on every page of the app, at desktop and phone width: 0 serious or critical violations.

`VISITS` is the one list of pages: a new page is one line there. Each viewport gets one browser
context on this module's own server; the pages are visited in sequence, signed out (a visitor),
as a newcomer with no data, or as the demo account (a year of data, a team, and an operator, so
that /ops shows too). On failure each violation is listed with its rule id, impact, help URL and
the elements it found; a screenshot goes to test-artifacts/browser/.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from carbontrack.services import demo
from tests.browser.a11y import FAILING_IMPACTS, axe_violations
from tests.browser.conftest import PAGE_TIMEOUT_MS
from tests.browser.harness import ARTIFACTS_DIR, DESKTOP, PHONE, NetworkGuard, save_screenshot
from tests.live import LiveServer, running_server

pytestmark = pytest.mark.e2e

PASSWORD = "a long enough password"
BEEF = "owid:poore-nemecek-2018:beef-beef-herd"  # a food factor: /log offers its portions
PEAK_DAY = "2018-08-25"  # the map's busiest day of anomalies (test_map.py)
REFUSED = re.compile(r"the server responded with a status of 4\d\d")
SHOWN_TARGETS = 8  # elements listed per violation; the rest are counted
VIEWPORTS: dict[str, ViewportSize] = {"desktop": DESKTOP, "phone": PHONE}


def show_calendar(page: Page) -> None:
    """Wait for the map's calendar to draw its month (from /api/anomalies/dates)."""
    expect(page.locator("#calendar-days button.has-data").first).to_be_visible()


def show_operations(page: Page) -> None:
    """Wait for Swagger UI to draw the operations (the first /openapi.json is slow to build)."""
    expect(page.locator(".opblock-summary-method").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)


def open_first_point(page: Page) -> None:
    """Open the explanation of the day's first point, as a person would from the list."""
    page.locator("#point-list button").first.click()
    expect(page.locator("#panel .reasoning")).not_to_be_empty()


def submit_as_is(page: Page) -> None:
    """Send the main form as it is, past the browser's own checks (the server's answer shows)."""
    form = page.locator("main form").first
    form.evaluate("form => { form.noValidate = true; }")
    with page.expect_navigation():
        form.locator("button[type=submit], button:not([type])").first.click()
    expect(page.locator("h1").first).to_be_visible()


def suggest_activities(page: Page) -> None:
    """Type into /log's search so that its list of suggestions is open."""
    page.get_by_role("combobox", name="Search activities").press_sequentially("car")
    expect(page.get_by_role("listbox", name="Matching activities")).to_be_visible()


def open_menu(page: Page) -> None:
    """On a phone the main navigation folds into a menu; open it so that axe sees it too."""
    menu = page.get_by_role("navigation", name="Main").get_by_text("Menu").first
    if menu.is_visible():
        menu.click()


VISITOR, DEMO, NEWCOMER = "visitor", "demo", "newcomer"  # who is signed in: nobody, or whom


@dataclass(frozen=True)
class Visit:
    """One page to check, as `who`; `{entry_id}`, `{team_id}`, `{invite}` in `path` are filled."""

    path: str
    who: str = DEMO  # the demo account: a year of entries, a goal, a team; also an operator
    then: Callable[[Page], None] | None = None  # what to do on the page before axe runs
    name: str = ""
    status: int = 200
    may_refuse: bool = False  # a 4xx is a fine answer here (Chromium logs it as an error)

    def __str__(self) -> str:
        return self.name or self.path


VISITS = (
    Visit("/", who=VISITOR, name="front door"),
    Visit("/login", who=VISITOR),
    Visit("/register", who=VISITOR),
    Visit("/register", who=VISITOR, then=submit_as_is, name="register errors", may_refuse=True),
    Visit("/map", who=VISITOR, then=show_calendar),
    Visit(f"/map?date={PEAK_DAY}", who=VISITOR, then=open_first_point, name="map point"),
    Visit("/docs", who=VISITOR, then=show_operations),
    Visit("/", who=NEWCOMER, name="first dashboard"),
    Visit("/join/{invite}", who=NEWCOMER, name="join"),
    Visit("/start", who=NEWCOMER),
    Visit("/start", who=NEWCOMER, then=submit_as_is, name="start answered", may_refuse=True),
    Visit("/start/result", who=NEWCOMER),
    Visit("/", who=NEWCOMER, name="dashboard with a baseline"),
    Visit("/", then=open_menu, name="dashboard"),
    Visit("/log"),
    Visit("/log", then=submit_as_is, name="log errors", may_refuse=True),
    Visit("/log", then=suggest_activities, name="log suggestions"),
    Visit("/log?q=train", name="log search"),
    Visit("/log?activity=flight", name="log flight"),
    Visit(f"/log?factor={BEEF}", name="log food"),
    Visit("/history"),
    Visit("/history/{entry_id}/edit", name="history edit"),
    Visit("/history/{entry_id}/delete", name="history delete"),
    Visit("/history/import"),
    Visit("/goals"),
    Visit("/teams"),
    Visit("/teams/{team_id}", name="team"),
    Visit("/achievements"),
    Visit("/recommendations"),
    Visit("/profile"),
    Visit("/map", then=show_calendar, name="map signed in"),
    Visit("/ops"),
    Visit(f"/teams/{uuid.UUID(int=0)}", status=404, name="error page", may_refuse=True),
)


@dataclass
class Scene:
    """Each signed-in person's session cookies, and the ids the pages' paths need."""

    cookies: dict[str, list[Any]]
    ids: dict[str, str]


@dataclass
class Tab:
    """One viewport's page, in its own context, and the guard watching it."""

    page: Page
    guard: NetworkGuard
    scene: Scene


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[LiveServer]:
    """This module's own server: its demo account is changed here (operator, a team)."""
    log_path = ARTIFACTS_DIR / f"axe-server-{worker_id}.log"
    data_dir = tmp_path_factory.mktemp("axe-server")
    with running_server(data_dir, log_path=log_path) as server:
        server.cli("demo")
        server.cli("users", "grant-operator", demo.DEMO_EMAIL)
        yield server


@pytest.fixture(scope="module")
def scene(browser: Browser, live_server: LiveServer) -> Iterator[Scene]:
    """Sign in the demo account (its team created, an entry's id noted) and a newcomer."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    log_in(page, demo.DEMO_EMAIL, demo.DEMO_PASSWORD)
    page.goto("/history")
    edit = page.locator('a[href^="/history/"][href*="/edit"]').first.get_attribute("href")
    assert edit is not None
    page.goto("/teams")
    page.get_by_label("Team name").fill("Axe Club")
    page.get_by_role("button", name="Create team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Axe Club")
    team_id = page.url.rstrip("/").rsplit("/", 1)[1]
    code = page.locator(".invite .join-code").text_content() or ""
    ids = {"entry_id": edit.split("/")[2], "team_id": team_id, "invite": f"{team_id}.{code}"}
    cookies = {DEMO: context.cookies()}
    context.clear_cookies()
    newcomer = f"axe-{uuid.uuid4().hex[:12]}@example.org"
    registered = page.request.post(
        "/api/register", data={"email": newcomer, "password": PASSWORD, "name": "New Comer"}
    )
    assert registered.ok, registered.text()
    log_in(page, newcomer, PASSWORD)
    cookies[NEWCOMER] = context.cookies()
    yield Scene(cookies=cookies, ids=ids)
    context.close()


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def tab(
    request: pytest.FixtureRequest, browser: Browser, live_server: LiveServer, scene: Scene
) -> Iterator[Tab]:
    """One browser context for every page at this viewport."""
    context: BrowserContext = browser.new_context(
        base_url=live_server.url,
        viewport=VIEWPORTS[request.param],
        locale="en-GB",
        timezone_id="UTC",
        service_workers="block",
    )
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    guard = NetworkGuard(origin=live_server.url)
    guard.watch(context)
    page = context.new_page()
    guard.watch_page(page)
    yield Tab(page=page, guard=guard, scene=scene)
    context.close()


@pytest.mark.parametrize("visit", VISITS, ids=str)
def test_no_serious_or_critical_axe_violations(tab: Tab, visit: Visit) -> None:
    page = tab.page
    forget_problems(tab.guard)  # those of an earlier page were reported there
    page.context.clear_cookies()
    if visit.who != VISITOR:
        page.context.add_cookies(tab.scene.cookies[visit.who])
    response = page.goto(visit.path.format(**tab.scene.ids))
    assert response is not None
    assert response.status == visit.status, f"{visit.path}: {response.status}"
    expect(page.locator("h1").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    if visit.then is not None:
        visit.then(page)
    serious = [v for v in axe_violations(page) if v["impact"] in FAILING_IMPACTS]
    if serious:
        save_screenshot(page, f"axe-{visit}-{page.viewport_size}")
    assert not serious, f"axe on {page.url} ({page.viewport_size}):\n" + "\n".join(
        describe(v) for v in serious
    )
    assert_guard_clean(tab.guard, may_refuse=visit.may_refuse)


def describe(violation: dict[str, Any]) -> str:
    """One violation: its id, impact, help URL, and where (every node's target)."""
    nodes = violation["nodes"]
    targets = "\n    ".join(" ".join(node["target"]) for node in nodes[:SHOWN_TARGETS])
    more = f"\n    ... and {len(nodes) - SHOWN_TARGETS} more" if len(nodes) > SHOWN_TARGETS else ""
    return (
        f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
        f"  {violation['helpUrl']}\n    {targets}{more}"
    )


def assert_guard_clean(guard: NetworkGuard, *, may_refuse: bool) -> None:
    """Fail on a request that left the origin or an error on this page (but a 4xx it expects)."""
    console = [text for text in guard.console_errors if not (may_refuse and REFUSED.search(text))]
    problems = guard.foreign + guard.page_errors + console
    assert not problems


def forget_problems(guard: NetworkGuard) -> None:
    """Start a page's check afresh: the guard watches the context through every page."""
    guard.foreign.clear()
    guard.page_errors.clear()
    guard.console_errors.clear()
