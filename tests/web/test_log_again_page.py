"""One-tap "log again" on the log page's shortcuts: one POST, CSRF-protected, no JavaScript."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.entry_pages import (
    DEFRA_PETROL_CAR_PER_KM,
    KM_PER_MILE,
    PETROL_CAR,
    flashes,
    my_entries,
)
from tests.web.helpers import sign_up, submit


def _log_car(client: TestClient, miles: str) -> None:
    fields = {"factorId": PETROL_CAR, "quantity": miles, "unit": "mile"}
    response = submit(client, "/log", {**fields, "timestamp": "2025-03-14T08:00", "intent": "save"})
    assert response.status_code == 303, response.text


def _again_forms(page: str) -> list[dict[str, str]]:
    forms = re.findall(
        r'<form method="post" action="/log/again" class="log-again">(.*?)</form>', page, re.S
    )
    return [dict(re.findall(r'name="(\w+)" value="([^"]*)"', form)) for form in forms]


def test_each_shortcut_has_a_log_again_form_with_the_last_amount(client: TestClient) -> None:
    sign_up(client)
    _log_car(client, "12.5")
    [form] = _again_forms(client.get("/log").text)
    assert (form["factorId"], form["quantity"], form["unit"]) == (PETROL_CAR, "12.5", "mile")
    assert form["csrf"]


def test_log_again_saves_the_same_amount_now_in_one_post(client: TestClient) -> None:
    sign_up(client)
    _log_car(client, "12.5")
    [form] = _again_forms(client.get("/log").text)
    response = client.post("/log/again", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/log"
    newest, first = my_entries(client)
    assert (newest["quantity"], newest["unit"]) == (12.5, "mile")
    # 12.5 miles x 1.609344 km/mile x 0.1743 kg/km (DEFRA 2020 average petrol car) = 3.5063 kg.
    assert abs(newest["co2eKg"] - 12.5 * KM_PER_MILE * DEFRA_PETROL_CAR_PER_KM) < 1e-9
    assert newest["timestamp"] > first["timestamp"]  # saved now, not at the old time
    assert flashes(client.get("/log").text)[0].startswith("Saved: ")


def test_log_again_without_a_valid_csrf_token_is_refused(client: TestClient) -> None:
    sign_up(client)
    _log_car(client, "3")
    form = {**_again_forms(client.get("/log").text)[0], "csrf": "forged"}
    response = client.post("/log/again", data=form, follow_redirects=False)
    assert response.status_code == 403
    assert len(my_entries(client)) == 1


def test_log_again_with_a_bad_quantity_is_a_clear_4xx(client: TestClient) -> None:
    sign_up(client)
    _log_car(client, "3")
    form = {**_again_forms(client.get("/log").text)[0], "quantity": "lots"}
    response = client.post("/log/again", data=form, follow_redirects=False)
    assert response.status_code == 422
    assert "quantity must be a number" in response.text
    assert len(my_entries(client)) == 1
