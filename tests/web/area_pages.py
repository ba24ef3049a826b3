"""What the goals, teams, achievements and recommendations page tests share."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.api.factor_ids import PETROL_CAR
from tests.web.helpers import api_headers, sign_up

FLASH = re.compile(r'<p class="flash flash-(\w+)">([^<]*)</p>')


def field_error(page: str, name: str) -> str:
    """The message shown under one field (macros.html: id f-<name>-error)."""
    found = re.search(rf'<small id="f-{name}-error" class="field-error">([^<]*)</small>', page)
    assert found is not None, f"no error shown for {name}"
    return html.unescape(found.group(1))


def field_errors(page: str) -> set[str]:
    """The names of the fields that show an error."""
    return set(re.findall(r'<small id="f-(\w+)-error" class="field-error">', page))


def value_of(page: str, name: str) -> str:
    """The value attribute of the input with id f-<name>, unescaped."""
    found = re.search(rf'<input id="f-{name}" name="{name}"[^>]*\bvalue="([^"]*)"', page)
    assert found is not None, f"no value in #f-{name}"
    return html.unescape(found.group(1))


def selected(page: str, name: str) -> str:
    """The selected option's value of the select with id f-<name>."""
    found = re.search(rf'<select id="f-{name}".*?</select>', page, re.DOTALL)
    assert found is not None, f"no select #f-{name}"
    option = re.search(r'<option value="([^"]*)" selected>', found.group(0))
    assert option is not None, f"nothing selected in #f-{name}"
    return html.unescape(option.group(1))


def flashes(page: str) -> list[tuple[str, str]]:
    """(level, text) of each flash message on the page."""
    return [(level, html.unescape(text)) for level, text in FLASH.findall(page)]


def log_car_km(
    client: TestClient, km: float, *, note: str | None = None, days_ago: int = 0
) -> dict[str, Any]:
    """Log a petrol-car trip the way the pages' scripts do (session cookie and CSRF header)."""
    body: dict[str, Any] = {"factorId": PETROL_CAR, "quantity": km, "unit": "km", "note": note}
    if days_ago:
        body["timestamp"] = (datetime.now(UTC) - timedelta(days=days_ago)).isoformat()
    response = client.post("/api/entries", json=body, headers=api_headers(client))
    assert response.status_code == 201, response.text
    return dict(response.json())


def another_browser(client: TestClient, *, name: str) -> TestClient:
    """A second browser on the same app (its own cookies), signed up as a fresh user."""
    other = TestClient(client.app)
    sign_up(other, name=name)
    return other
