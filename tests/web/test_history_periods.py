"""A bill over a period is one row of the history, which names its period."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.entry_pages import log_quarterly_bill
from tests.web.helpers import sign_up


def test_a_quarterly_bill_is_one_row_naming_its_period(client: TestClient) -> None:
    sign_up(client, time_zone="UTC")
    bill = log_quarterly_bill(client)
    page = client.get("/history").text
    assert re.findall(r'href="/history/([0-9a-f-]{36})/edit', page) == [bill["entryId"]]
    assert "spread over 2026-01-01 to 2026-03-31" in page
