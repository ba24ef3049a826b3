"""Goals, teams, achievements and recommendations in Debian's Chromium against a real server."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.api.factor_ids import PETROL_CAR
from tests.browser.a11y import assert_no_serious_violations
from tests.browser.conftest import NewPage
from tests.browser.harness import PHONE, save_screenshot

pytestmark = pytest.mark.e2e
PASSWORD = "a long enough password"


def sign_up(page: Page, *, name: str) -> None:
    page.goto("/register")
    page.get_by_label("Email").fill(f"teams-{uuid.uuid4().hex[:12]}@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Name").fill(name)
    page.get_by_label("Country").select_option("GB")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("/")


def log_car_km(page: Page, km: float) -> None:
    """Log a trip as the pages' scripts do: the session cookie and the page's CSRF token."""
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    assert token
    response = page.request.post(
        "/api/entries",
        data={"factorId": PETROL_CAR, "quantity": km, "unit": "km"},
        headers={"X-CSRF-Token": token},
    )
    assert response.status == 201, response.text()


def go_to(page: Page, link: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(link)


def test_set_a_goal_see_its_progress_and_act_on_a_recommendation(page: Page) -> None:
    sign_up(page, name="Goal Setter")
    log_car_km(page, 200)  # 200 km x 0.1743 kg/km = 34.86 kg CO2e
    go_to(page, "Goals")
    expect(page.get_by_role("heading", name="No goals yet")).to_be_visible()
    assert_no_serious_violations(page)

    budget = page.get_by_label("Budget (kg CO2e per period)")
    percent = page.get_by_label("Reduction (%)")
    expect(percent).to_be_hidden()  # goals.js shows only the target the kind takes
    page.get_by_label("Kind of goal").select_option("reduction")
    expect(percent).to_be_visible()
    expect(budget).to_be_hidden()
    page.get_by_label("Kind of goal").select_option("budget")
    page.get_by_label("Category").select_option("transport")
    budget.fill("100")
    page.get_by_role("button", name="Set goal").click()

    page.wait_for_url("/goals")
    expect(page.get_by_role("status")).to_contain_text("Goal set.")
    goal = page.locator("article.goal")
    expect(goal.get_by_role("heading")).to_have_text("Monthly budget of 100 kg CO2e · Transport")
    expect(goal).to_contain_text("34.9 kg of 100.0 kg CO2e this month (35%)")
    expect(goal.get_by_role("progressbar")).to_have_attribute("value", re.compile(r"^34\.8[5-7]"))
    assert_no_serious_violations(page)

    page.set_viewport_size(PHONE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"/goals is {width} px wide on a phone"
    save_screenshot(page, "goals-phone")
    page.set_viewport_size({"width": 1280, "height": 800})

    go_to(page, "Achievements")
    expect(page.locator("#achievement-first-goal")).to_contain_text("First goal")
    expect(page.get_by_role("heading", name="Level 1")).to_be_visible()
    assert_no_serious_violations(page)

    go_to(page, "Recommendations")
    rail = page.locator("#action-car-to-rail")
    # One trip today, no questionnaire: typical advice, no invented saving.
    expect(rail).to_contain_text("Typical advice")
    rail.get_by_role("button", name="I will do this: Take the train for some car trips").click()
    expect(page.get_by_role("status")).to_contain_text("You committed to")
    expect(page.locator("#action-car-to-rail")).to_contain_text("Committed")
    assert_no_serious_violations(page)


def test_create_a_team_and_a_second_user_joins_with_the_code(page: Page, new_page: NewPage) -> None:
    sign_up(page, name="Team Owner")
    log_car_km(page, 100)  # 17.4 kg CO2e
    go_to(page, "Teams")
    expect(page.get_by_role("heading", name="You are not in a team yet")).to_be_visible()
    assert_no_serious_violations(page)
    page.get_by_label("Team name").fill("Bike Club")
    page.get_by_role("button", name="Create team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bike Club")
    team_id = page.locator(".invite dd code").first.text_content()
    code = page.locator(".invite .join-code").text_content()
    assert team_id
    assert code

    other = new_page()
    sign_up(other, name="Second Rider")
    go_to(other, "Teams")
    other.get_by_label("Team id").fill(team_id)
    other.get_by_label("Join code").fill(code.lower())
    other.get_by_label("Your name in the team (optional)").fill("Rider Two")
    other.get_by_role("button", name="Join team").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Bike Club")
    expect(other.get_by_role("status")).to_contain_text("You joined the team.")
    board = other.locator("table.leaderboard tbody tr")
    expect(board).to_have_count(2)
    expect(board.nth(0)).to_contain_text("Team Owner")
    expect(board.nth(0)).to_contain_text("17.4")
    expect(board.nth(1)).to_contain_text("Rider Two (you)")
    expect(board.nth(1)).to_contain_text("not ranked")
    expect(other.locator(".join-code")).to_have_count(0)  # plain members do not invite
    assert_no_serious_violations(other)

    page.reload()
    expect(page.locator("table.leaderboard tbody tr")).to_have_count(2)
    page.get_by_text("Manage Rider Two").click()
    page.get_by_role("button", name="Make admin").click()
    expect(page.get_by_role("status")).to_contain_text("Role changed.")
    assert_no_serious_violations(page)
    save_screenshot(page, "team-desktop")
