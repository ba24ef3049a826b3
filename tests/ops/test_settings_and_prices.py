"""The inventory settings as an operator writes them, Cost Explorer's window and the price table."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from carbontrack.ops.cost import cost_window, prices
from carbontrack.settings import Settings

ROLE = "arn:aws:iam::222222222222:role/carbontrack-inventory"


def test_roles_and_regions_come_comma_separated_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = "arn:aws:iam::333333333333:role/path/inventory"
    monkeypatch.setenv("CARBONTRACK_INVENTORY_ROLE_ARNS", f" {ROLE}, {other},{ROLE}")
    monkeypatch.setenv("CARBONTRACK_INVENTORY_REGIONS", "eu-west-1, ap-southeast-2")
    monkeypatch.setenv("CARBONTRACK_PRIMARY_REGION", "eu-west-1")
    settings = Settings()
    assert settings.inventory_role_arns == (ROLE, other)
    assert settings.inventory_region_names == ("eu-west-1", "ap-southeast-2")


def test_regions_default_to_the_primary_and_us_east_1() -> None:
    assert Settings().inventory_region_names == ("eu-central-1", "us-east-1")
    assert Settings(primary_region="us-east-1").inventory_region_names == ("us-east-1",)
    assert Settings(inventory_regions="all").inventory_region_names == ("all",)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("inventory_role_arns", "arn:aws:iam::222222222222:user/someone"),
        ("inventory_role_arns", "arn:aws:iam::2222:role/short-account"),
        ("inventory_regions", "all,eu-west-1"),
        ("inventory_regions", "Europe"),
        ("primary_region", "eu_central_1"),
    ],
)
def test_a_wrong_role_or_region_is_refused(name: str, value: str) -> None:
    with pytest.raises(ValidationError, match=name):
        Settings(**{name: value})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("today", "start"),
    [
        (date(2026, 12, 7), date(2026, 11, 1)),
        (date(2026, 1, 1), date(2025, 12, 1)),  # on the 1st: last month only (End is exclusive)
        (date(2024, 3, 31), date(2024, 2, 1)),
    ],
)
def test_cost_explorer_reads_from_the_first_of_last_month_to_today(
    today: date, start: date
) -> None:
    assert cost_window(today) == (start, today)


def test_every_price_is_dated_and_cited() -> None:
    table = prices()
    assert {"lambda_requests", "apigateway_rest_requests", "dynamodb_storage", "s3_storage"} <= set(
        table
    )
    for price in table.values():
        assert price.source.startswith("https://")
        assert date.fromisoformat(price.read_on).year >= 2026  # a real, dated reading
        assert price.usd > 0
