"""The CO2 anomaly map in Debian's Chromium against a real server, with no request leaving it."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import NewPage
from tests.browser.harness import PHONE, NetworkGuard, save_screenshot

pytestmark = pytest.mark.e2e

# The busiest day of the 2018 oco2peak detections: 27 peaks (peaks_and_invent_1808.csv).
PEAK_DAY = "2018-08-25"
PEAK_DAY_LABEL = "25 August 2018, 27 anomalies"
PEAK_DAY_POINTS = 27
MAX_MONTH_STEPS = 120


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def go_to_month(page: Page, title: str) -> None:
    """Step back through the months with data, as a person would, until `title` shows."""
    month = page.locator("#month-title")
    expect(month).not_to_be_empty()
    for _ in range(MAX_MONTH_STEPS):
        if month.text_content() == title:
            return
        page.get_by_role("button", name="Previous month with data").click()
    pytest.fail(f"the calendar never showed {title}")


def expect_explanation(page: Page) -> None:
    panel = page.locator("#panel")
    expect(panel.locator(".reasoning")).to_have_text(re.compile(r"\w{3,}"))
    expect(panel.locator(".facts li").first).to_be_visible()
    expect(panel.locator(".provenance")).to_contain_text("Explained by")
    expect(panel.locator(".attribution")).to_contain_text("Source: oco2peak")


def test_pick_a_day_click_a_point_and_read_its_explanation(page: Page, guard: NetworkGuard) -> None:
    response = page.goto("/map")
    assert response is not None
    assert "default-src 'none'" in response.headers["content-security-policy"]
    expect(page.locator("path.country").first).to_be_attached()

    go_to_month(page, "August 2018")
    page.get_by_role("button", name=PEAK_DAY_LABEL).click()
    markers = page.locator("path.anomaly-marker")
    expect(markers).to_have_count(PEAK_DAY_POINTS)
    assert query(page) == {"date": [PEAK_DAY]}

    top = markers.last  # the largest deviation, drawn last so that it is on top
    point_id = top.get_attribute("data-anomaly-id")
    top.click()
    expect(page.locator("#panel-title")).to_have_text("Anomaly on 25 August 2018")
    expect(page.locator("#panel .numbers")).to_contain_text("ppm")
    expect_explanation(page)
    assert query(page) == {"date": [PEAK_DAY], "point": [point_id]}

    path = save_screenshot(page, "map-explained-point")
    assert path.stat().st_size > 10_000
    guard.assert_clean()
    assert all(url.startswith(guard.origin) for url in guard.requests)
    assert any(url.endswith("/api/reasoning") for url in guard.requests)


def test_the_url_restores_the_selection_on_reload(page: Page, guard: NetworkGuard) -> None:
    page.goto(f"/map?date={PEAK_DAY}")
    expect(page.get_by_role("button", name=PEAK_DAY_LABEL)).to_have_attribute(
        "aria-pressed", "true"
    )
    third = page.locator("#point-list button").nth(2)
    point_id = third.get_attribute("data-anomaly-id")
    third.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#panel")).to_be_focused()
    expect_explanation(page)
    assert query(page) == {"date": [PEAK_DAY], "point": [point_id]}

    page.reload()
    expect(page.get_by_role("button", name=PEAK_DAY_LABEL)).to_have_attribute(
        "aria-pressed", "true"
    )
    chosen = page.locator(f'#point-list button[data-anomaly-id="{point_id}"]')
    expect(chosen).to_have_attribute("aria-pressed", "true")
    expect(
        page.locator(f'path.anomaly-marker.selected[data-anomaly-id="{point_id}"]')
    ).to_be_attached()
    expect(page.locator("#panel-title")).to_have_text("Anomaly on 25 August 2018")
    expect_explanation(page)

    page.go_back()  # the day alone, as before the point was picked
    expect(page.locator("#panel .hint")).to_contain_text("Pick a point")
    assert query(page) == {"date": [PEAK_DAY]}
    guard.assert_clean()


def test_a_phone_sized_screen_shows_the_whole_page_without_sideways_scrolling(
    new_page: NewPage,
) -> None:
    page = new_page(viewport=PHONE)
    page.goto(f"/map?date={PEAK_DAY}")
    expect(page.locator("path.anomaly-marker")).to_have_count(PEAK_DAY_POINTS)
    page.locator("#point-list button").first.click()
    expect_explanation(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    save_screenshot(page, "map-phone")


def test_a_link_to_an_unknown_point_says_so(page: Page) -> None:
    page.goto(f"/map?date={PEAK_DAY}&point=no-such-point")
    expect(page.locator("#panel [role=alert]")).to_contain_text("no-such-point is not among")


def test_the_calendar_works_from_the_keyboard(page: Page) -> None:
    page.goto(f"/map?date={PEAK_DAY}")
    picked = page.get_by_role("button", name=PEAK_DAY_LABEL)
    expect(picked).to_have_attribute("tabindex", "0")
    picked.focus()
    page.keyboard.press("ArrowRight")  # 26 August has data; 27 and 28 too
    expect(page.get_by_role("button", name="26 August 2018, 4 anomalies")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#points-title")).to_have_text("Points on 26 August 2018")
    assert query(page) == {"date": ["2018-08-26"]}
    page.keyboard.press("PageUp")
    expect(page.locator("#month-title")).to_have_text("July 2018")


def test_a_day_without_data_says_so_without_asking_the_api(page: Page, guard: NetworkGuard) -> None:
    page.goto("/map?date=2018-08-03")
    expect(page.locator("#point-list")).to_contain_text("No anomalies on 3 August 2018")
    assert not any("/api/anomalies?date=" in url for url in guard.requests)
