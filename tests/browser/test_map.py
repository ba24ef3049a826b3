"""The CO2 anomaly map in Debian's Chromium against a real server, with no request leaving it."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.a11y import assert_no_serious_violations
from tests.browser.conftest import NewPage
from tests.browser.harness import DESKTOP, PHONE, NetworkGuard, save_screenshot

pytestmark = pytest.mark.e2e

PLANT_SPREAD = 0.4  # of the map's width, once the view has fitted the plants
VIEW_SETTLE_MS = 10_000
# True once the plant marks span at least `spread` of the map's width.
SPREAD_AT_LEAST = """(spread) => {
  const map = document.querySelector("#map").getBoundingClientRect();
  const xs = [...document.querySelectorAll("#map .plant-mark svg")].map((mark) => {
    const box = mark.getBoundingClientRect();
    return box.x + box.width / 2;
  });
  return xs.length > 0 && Math.max(...xs) - Math.min(...xs) >= spread * map.width;
}"""

# The busiest day of the 2018 oco2peak detections: 27 peaks (peaks_and_invent_1808.csv).
PEAK_DAY = "2018-08-25"
PEAK_DAY_LABEL = "25 August 2018, 27 anomalies"
PEAK_DAY_POINTS = 27
MAX_MONTH_STEPS = 120
# The third-largest 2018 peak, near Jiaozuo (issue 16): coal plants all around, a westerly wind.
JIAOZUO_DAY, JIAOZUO_LAT, JIAOZUO_LON = "2018-10-10", 35.28, 113.45
COMPASS = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"]
LABEL_MIN_ZOOM = 5  # labels.js


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


def long_date(day: str) -> str:
    parsed = date.fromisoformat(day)
    return f"{parsed.day} {parsed:%B %Y}"


def expect_explanation(page: Page) -> None:
    """The verdict comes first; the full text and the facts are folded until opened."""
    panel = page.locator("#panel")
    first = panel.locator("#panel-content > :first-child")
    expect(first.locator(".verdict")).to_have_text(re.compile(r"\w{3,}"))
    expect(panel.locator(".provenance")).to_contain_text("Written")
    expect(panel.locator(".attribution")).to_contain_text("Source: oco2peak")
    more = panel.locator("details.more")
    expect(more).not_to_have_attribute("open", "")
    expect(panel.locator(".facts li").first).to_be_hidden()
    more.locator("summary").click()
    expect(panel.locator(".reasoning")).to_have_text(re.compile(r"\w{3,}"))
    expect(panel.locator(".facts li").first).to_be_visible()


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
    expect_explanation(page)
    expect(page.locator("#panel .numbers")).to_contain_text("ppm")
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


def test_it_opens_on_the_busiest_recent_day_and_names_cities_when_zoomed_in(page: Page) -> None:
    dates = page.request.get("/api/anomalies/dates?from=2020-01-01&to=2020-12-31").json()
    busiest = dates["busiestRecentDay"]
    count = {row["date"]: row["count"] for row in dates["dates"]}[busiest]
    places = page.request.get("/map/places.geojson").json()["features"]

    page.emulate_media(reduced_motion="reduce")  # the map then zooms at once, not animated
    page.goto("/map")
    expect(page.locator("#points-title")).to_have_text(f"Points on {long_date(busiest)}")
    expect(page.locator("path.anomaly-marker")).to_have_count(count)
    assert query(page) == {}
    # The day's points lie close together, so the view is zoomed in: every city is named.
    labels = page.locator(".leaflet-labels-pane .city-label")
    expect(labels).to_have_count(len(places))
    for _ in range(3):
        page.get_by_role("button", name="Zoom out").click()
    expect(labels).to_have_count(0)  # at zoom < LABEL_MIN_ZOOM the names would crowd
    assert_no_serious_violations(page)


def plant_name(fact: dict[str, Any], cited: bool) -> str:
    """The accessible name a plant's mark must have: its name, fuel and distance."""
    km = math.floor(fact["distanceKm"] + 0.5)  # as JavaScript's toFixed(0): 8.5 is 9
    where = f"{km} km {fact['direction']} of the point"
    return f"{fact['name']}: {fact['fuel'].lower()} power plant, {where}" + (
        ", cited in the explanation" if cited else ""
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_point_shows_its_plants_and_the_wind_on_the_map_with_the_verdict_first(
    new_page: NewPage, viewport: ViewportSize
) -> None:
    page = new_page(viewport=viewport)
    page.goto(f"/map?date={JIAOZUO_DAY}")
    features = page.request.get(f"/api/anomalies?date={JIAOZUO_DAY}").json()["features"]
    peak = min(
        features,
        key=lambda f: math.dist(f["geometry"]["coordinates"], (JIAOZUO_LON, JIAOZUO_LAT)),
    )
    in_list = page.locator(f'#point-list button[data-anomaly-id="{peak["id"]}"]')
    with page.expect_response("**/api/reasoning") as answered:
        in_list.click()
    answer = answered.value.json()
    if viewport == PHONE:
        expect(page.locator("#panel")).to_be_focused()  # the sheet takes focus when it opens
    expect_explanation(page)

    the_map = page.locator("#map")
    plants = [fact for fact in answer["facts"] if fact["kind"] == "power_plant"]
    cited = set(answer["citedFactIds"])
    assert len(plants) >= 3, "plants all around Jiaozuo"
    for fact in plants:
        mark = the_map.get_by_role("img", name=plant_name(fact, fact["id"] in cited), exact=True)
        expect(mark).to_have_count(1)
    expect(the_map.locator(".plant-mark.cited svg").first).to_be_visible()
    # The view widens to the plants: they span much of the map, all inside it. Leaflet moves
    # the marks while it zooms, so wait for the view to settle there before measuring.
    page.wait_for_function(SPREAD_AT_LEAST, arg=PLANT_SPREAD, timeout=VIEW_SETTLE_MS)
    box = the_map.bounding_box()
    assert box is not None
    marks = [m.bounding_box() for m in the_map.locator(".plant-mark svg").all()]
    xs = [m["x"] + m["width"] / 2 for m in marks if m is not None]
    assert len(xs) == len(plants)
    assert min(xs) >= box["x"]
    assert max(xs) <= box["x"] + box["width"]
    assert max(xs) - min(xs) >= PLANT_SPREAD * box["width"]

    # The wind, from the anomaly's own u (east) and v (north) components: it blows from
    # atan2(-u, -v) and the arrow points the other way, where the wind goes.
    wind = peak["properties"]["wind"]
    from_deg = round(math.degrees(math.atan2(-wind["u"], -wind["v"]))) % 360
    towards = (from_deg + 180) % 360
    speed = math.hypot(wind["u"], wind["v"])
    arrow = the_map.get_by_role(
        "img",
        name=re.compile(
            rf"^Wind {speed:.1f} m\/s from the [NESW]+ \({from_deg}°\), "
            rf"blowing towards the {COMPASS[round(towards / 45) % 8]}$"
        ),
    )
    expect(arrow).to_have_count(1)
    expect(arrow.locator("g")).to_have_attribute("transform", f"rotate({towards} 40 40)")
    expect(arrow.locator("svg")).to_be_visible()

    if viewport == PHONE:
        # A bottom sheet over the map's lower part, inside the screen; dismissible.
        sheet = page.locator("#panel").bounding_box()
        assert sheet is not None
        assert sheet["y"] >= viewport["height"] / 3
        assert sheet["y"] + sheet["height"] == pytest.approx(viewport["height"], abs=1)
        shown = arrow.locator("svg").bounding_box()
        assert shown is not None
        assert shown["y"] >= 0, "on the screen"
        assert shown["y"] + shown["height"] <= sheet["y"], "above the sheet"
        assert_no_serious_violations(page)
        page.get_by_role("button", name="Close the explanation").click()
        expect(in_list).to_be_focused()  # focus goes back to what opened the sheet
        expect(page.locator("body.sheet-open")).to_have_count(0)
        in_list.click()
        page.keyboard.press("Escape")
        expect(page.locator("body.sheet-open")).to_have_count(0)
    else:
        page.locator("details.glossary summary").click()
        expect(page.locator(".glossary dt")).to_have_text(["ppm", "XCO2", "Background", "z-score"])
        assert_no_serious_violations(page)
    save_screenshot(page, f"map-point-plants-{viewport['width']}")
