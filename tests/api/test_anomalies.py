"""The public anomaly API: calendar dates, one day's GeoJSON, one anomaly, and bad input."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from carbontrack.explorer.data import oco2
from carbontrack.explorer.data.manifest import OCO2_ANOMALIES_FILE, read_verified
from carbontrack.settings import Settings
from tests.api.helpers import app_client
from tests.conftest import TEST_SECRET

# The first peak of 2018 in the oco2peak files: sounding 2018010106102532, off Western Australia,
# delta 1.7222 ppm, wind u = 1.8117 m/s, v = 11.6759 m/s (a southerly).
PEAK_ID = "oco2peak-2018010106102532"
FEATURE_KEYS = {"type", "id", "geometry", "properties"}
PROPERTY_KEYS = {
    "date", "xco2", "deviationPpm", "zscore", "severity", "wind", "source", "citation",
    "background",
}  # fmt: skip


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One app for the read-only tests of this module: anomalies never touch the store."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("var"), jwt_secret=TEST_SECRET)  # type: ignore[arg-type]
    with app_client(settings) as client:
        yield client


def ok(client: TestClient, url: str, **params: str) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def test_a_day_is_a_geojson_feature_collection_on_both_stores(client: TestClient) -> None:
    body = ok(client, "/api/anomalies", date="2015-01-02")
    assert body["type"] == "FeatureCollection"
    assert body["features"]
    for feature in body["features"]:
        assert set(feature) == FEATURE_KEYS
        assert set(feature["properties"]) == PROPERTY_KEYS
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert 33.5 <= lat <= 34.4  # Los Angeles, [lon, lat] in GeoJSON order
        assert -118.9 <= lon <= -117.0


def test_the_calendar_lists_days_with_counts_that_match_the_days(api: TestClient) -> None:
    body = ok(api, "/api/anomalies/dates", **{"from": "2018-01-01", "to": "2018-01-31"})
    assert (body["from"], body["to"]) == ("2018-01-01", "2018-01-31")
    assert body["dataFrom"] <= "2014-10-31"
    assert body["dataTo"] >= "2020-01-01"
    peaks_on_new_year = sum(p.day == date(2018, 1, 1) for p in oco2.load_peaks())
    assert body["dates"][0] == {"date": "2018-01-01", "count": peaks_on_new_year}
    assert "2018-01-04" not in {d["date"] for d in body["dates"]}
    assert all("2018-01-01" <= d["date"] <= "2018-01-31" for d in body["dates"])
    for entry in body["dates"][:3]:
        features = ok(api, "/api/anomalies", date=entry["date"])["features"]
        assert len(features) == entry["count"]


def test_a_year_of_peaks_fits_in_one_calendar_request(api: TestClient) -> None:
    body = ok(api, "/api/anomalies/dates", **{"from": "2018-01-01", "to": "2018-12-31"})
    assert sum(d["count"] for d in body["dates"]) >= 1388


def test_the_calendar_names_the_busiest_day_of_the_last_90_days(api: TestClient) -> None:
    body = ok(api, "/api/anomalies/dates", **{"from": "2018-01-01", "to": "2018-01-31"})
    # Counted here from the product file's rows ([id, date, ...]), not by the catalogue.
    rows = json.loads(read_verified(OCO2_ANOMALIES_FILE))["anomalies"]
    counts = Counter(date.fromisoformat(row[1]) for row in rows)
    last = max(counts)
    recent = {day: n for day, n in counts.items() if (last - day).days < 90}
    most = max(recent.values())
    busiest = max(day for day, n in recent.items() if n == most)  # ties: the later day
    assert body["busiestRecentDay"] == busiest.isoformat()
    assert most > 1  # not a lone point: the map opens on a day with several


def test_one_peak_carries_its_wind_source_and_citation(api: TestClient) -> None:
    feature = ok(api, f"/api/anomalies/{PEAK_ID}")
    assert feature["id"] == PEAK_ID
    assert feature["geometry"] == {"type": "Point", "coordinates": [113.4592, -26.4644]}
    properties = feature["properties"]
    assert properties["date"] == "2018-01-01"
    assert (properties["xco2"], properties["deviationPpm"]) == (None, 1.72)
    assert properties["source"] == "oco2peak"
    assert "Data For Good" in properties["citation"]
    wind = properties["wind"]
    assert (wind["u"], wind["v"]) == (1.81, 11.68)
    assert wind["speedMs"] == pytest.approx(math.hypot(1.81, 11.68), abs=0.01)
    # Blowing towards the north-north-east, so coming from just west of south.
    assert wind["fromDeg"] == pytest.approx(188.8, abs=0.1)
    assert properties["zscore"] > 0
    assert properties["severity"] in {"low", "medium", "high"}


def test_our_own_anomaly_has_xco2_and_no_wind(api: TestClient) -> None:
    feature = ok(api, "/api/anomalies", date="2015-01-02")["features"][0]
    one = ok(api, f"/api/anomalies/{feature['id']}")
    assert one == feature
    properties = one["properties"]
    assert properties["source"] == "carbontrack"
    assert properties["wind"] is None
    # The day's column background: the median of 22 soundings outside the cities within 9 days
    # (2015-01-02 has none of its own outside Los Angeles).
    assert properties["xco2"] - properties["deviationPpm"] == pytest.approx(399.1, abs=0.01)
    assert properties["background"] == "nearby_days"
    assert properties["zscore"] >= 2


@pytest.mark.parametrize(
    "bad", ["2018-02-30", "2018-13-01", "18-01-01", "2018/01/01", "1514764800", "2018-01-01T00:00"]
)
def test_non_iso_or_impossible_dates_are_422(api: TestClient, bad: str) -> None:
    response = api.get("/api/anomalies", params={"date": bad})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "date"]
    calendar = api.get("/api/anomalies/dates", params={"from": "2018-01-01", "to": bad})
    assert calendar.status_code == 422


def test_a_day_without_data_is_404_with_where_the_data_is(api: TestClient) -> None:
    for day in ("2018-01-04", "1990-06-01", "2099-12-31"):
        response = api.get("/api/anomalies", params={"date": day})
        assert response.status_code == 404
        detail = response.json()["detail"]
        assert detail.startswith(f"no anomalies on {day}; data runs from 2014-")
        assert "/api/anomalies/dates" in detail


def test_calendar_ranges_must_be_ordered_given_and_at_most_400_days(api: TestClient) -> None:
    reversed_range = api.get(
        "/api/anomalies/dates", params={"from": "2018-02-01", "to": "2018-01-01"}
    )
    assert reversed_range.status_code == 422
    assert reversed_range.json() == {
        "detail": "from (2018-02-01) is after to (2018-01-01)",
        "field": "from",
    }
    ok(api, "/api/anomalies/dates", **{"from": "2018-01-01", "to": "2019-02-04"})  # 400 days
    too_long = api.get("/api/anomalies/dates", params={"from": "2018-01-01", "to": "2019-02-05"})
    assert too_long.status_code == 422
    assert too_long.json()["detail"] == "ask for at most 400 days at a time"
    missing = api.get("/api/anomalies/dates", params={"from": "2018-01-01"})
    assert missing.status_code == 422
    assert missing.json()["detail"][0]["loc"] == ["query", "to"]
    assert api.get("/api/anomalies").status_code == 422


def test_unknown_and_oversized_ids(api: TestClient) -> None:
    response = api.get("/api/anomalies/oco2peak-1")
    assert response.status_code == 404
    assert response.json() == {"detail": "no anomaly 'oco2peak-1'"}
    assert api.get(f"/api/anomalies/{'x' * 81}").status_code == 422
