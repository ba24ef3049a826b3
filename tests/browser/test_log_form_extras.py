"""The rest of the log form in Chromium (issue 13): the suggestions list at phone width,
the unit help after choosing, and one-tap "log again"."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import PHONE, save_screenshot, search_activities

pytestmark = pytest.mark.e2e


def sign_up(page: Page) -> None:
    page.goto("/register")
    page.get_by_label("Email").fill(f"extras-{uuid.uuid4().hex[:12]}@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Name").fill("Form Extras")
    page.get_by_label("Country").select_option("GB")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("/")


def _on_top(page: Page, selector: str) -> bool:
    """Whether the centre of the element is what the page shows there (not clipped or covered)."""
    return bool(
        page.eval_on_selector(
            selector,
            """(element) => {
                const box = element.getBoundingClientRect();
                const x = box.x + box.width / 2;
                const hit = document.elementFromPoint(x, box.y + box.height / 2);
                return hit !== null && element.contains(hit);
            }""",
        )
    )


def test_the_suggestions_are_not_clipped_at_phone_width(page: Page) -> None:
    sign_up(page)
    page.set_viewport_size(PHONE)
    page.goto("/log")
    search_activities(page, "electricity", "Electricity at home")
    listbox = page.get_by_role("listbox", name="Matching activities")
    box = listbox.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    field = page.get_by_role("combobox", name="Search activities").bounding_box()
    assert field is not None
    assert box["y"] >= field["y"] + field["height"] - 1, (box, field)  # below what is typed
    # A list that scrolls clips its content at its corners: they must stay smaller than the
    # options' own padding, or the first letters of a line are cut (Pico's search forms
    # round to 5rem).
    radius, padding = listbox.evaluate(
        """(list) => [
            parseFloat(getComputedStyle(list).borderBottomLeftRadius),
            parseFloat(getComputedStyle(list.querySelector("li")).paddingLeft),
        ]"""
    )
    assert radius <= padding, (radius, padding)
    options = listbox.get_by_role("option")
    last = options.last
    last.scroll_into_view_if_needed()
    save_screenshot(page, "log-suggestions-phone", full_page=False)
    for index in (0, options.count() - 1):
        options.nth(index).scroll_into_view_if_needed()
        option_id = options.nth(index).get_attribute("id")
        assert _on_top(page, f"#{option_id}"), f"option {index} is covered or clipped"


def test_the_units_are_explained_once_an_activity_is_chosen(page: Page) -> None:
    sign_up(page)
    page.goto("/log")
    search, _ = search_activities(page, "train", "Train (national rail)")
    search.press("ArrowDown")
    search.press("Enter")
    help_ = page.locator("#unit-help")
    expect(help_).to_be_visible()
    help_.locator("summary").click()
    # DEFRA rail is per passenger-km; 1 mile = 1.609344 km (NIST SP811 B.8).
    expect(help_.locator("li")).to_contain_text(
        ["kilometre", "mile: the statute mile; 1 mile = 1.609 km"]
    )
    expect(help_.locator("li").last).to_contain_text(
        "passenger-km: one person carried one kilometre"
    )


def test_log_again_is_one_tap(page: Page) -> None:
    sign_up(page)
    page.goto("/log")
    search, _ = search_activities(page, "train", "Train (national rail)")
    search.press("ArrowDown")
    # Wait for each step to land before the next key: an Enter that arrives before the option
    # is active, or before the pick fills the unit, submits a form with no activity.
    expect(search).to_have_attribute("aria-activedescendant", re.compile(r".+"))
    search.press("Enter")
    expect(page.get_by_label("Unit")).to_have_value("km")
    page.get_by_label("Quantity").press_sequentially("50")
    page.get_by_label("Quantity").press("Enter")
    page.wait_for_url("/log")
    again = re.compile(r"^Log again\W+Rail: national rail, per passenger km, 50 km, now$")
    page.get_by_role("button", name=again).first.click()
    page.wait_for_url("/log")
    # DEFRA 2020 national rail: 50 passenger km x 0.03694 kg CO2e = 1.847 kg.
    expect(page.locator(".flash")).to_contain_text(
        "Saved: Rail: national rail, per passenger km, 50 km: 1.85 kg CO2e"
    )
    expect(page.locator(".log-shortcuts")).to_contain_text("logged 2 times")


def test_a_profile_in_miles_gets_trips_in_miles(page: Page) -> None:
    sign_up(page)
    page.goto("/profile")
    page.get_by_label("Distances in").select_option("mi")
    page.get_by_role("button", name="Save details").click()
    page.wait_for_url("/profile")
    page.goto("/log")
    search, _ = search_activities(page, "train", "Train (national rail)")
    search.press("ArrowDown")
    search.press("Enter")
    expect(page.get_by_label("Unit")).to_have_value("mile")
    page.get_by_label("Quantity").press_sequentially("10")
    # DEFRA 2020 national rail: 10 miles x 1.609344 km x 0.03694 kg/passenger-km = 0.594 kg.
    expect(page.locator("#preview")).to_contain_text("About 0.594 kg CO2e")
