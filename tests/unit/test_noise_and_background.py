"""One noise figure everywhere, and each background named for what it is (issue 16)."""

from __future__ import annotations

import re

import pytest

from carbontrack.explorer.data.manifest import OCO2_ANOMALIES_FILE, read_verified
from carbontrack.explorer.domain.anomalies import SOUNDING_NOISE_PPM, Anomaly
from carbontrack.explorer.domain.facts import SignalFact, SurfaceCo2Fact
from carbontrack.explorer.domain.rules_reasoning import explain
from carbontrack.explorer.services.anomalies import decode
from carbontrack.explorer.services.facts import FactFinder, get_fact_finder

# Any "<number> ppm noise" the text prints, and the phrasing the old text used for 1.0 ppm.
NOISE_IN_TEXT = re.compile(r"(\d+(?:\.\d+)?) ppm noise")
OLD_NOISE_WORDS = re.compile(r"about 1(?:\.0)? ppm|typical single-sounding noise")
AGAINST_WORDS = {
    "same_day": "that day's soundings outside the cities",
    "nearby_days": "soundings outside the cities on nearby days",
    "along_track_fit": "a fit along the satellite's track",
}


@pytest.fixture(scope="module")
def finder() -> FactFinder:
    return get_fact_finder()


@pytest.fixture(scope="module")
def anomalies() -> tuple[Anomaly, ...]:
    return decode(read_verified(OCO2_ANOMALIES_FILE))


def _sample(anomalies: tuple[Anomaly, ...]) -> list[Anomaly]:
    """The largest anomaly of each background method and severity in the product."""
    largest: dict[tuple[str, str], Anomaly] = {}
    for a in sorted(anomalies, key=lambda a: a.deviation_ppm):
        largest[(a.background, a.severity)] = a
    return list(largest.values())


def _facts_of(finder: FactFinder, a: Anomaly) -> tuple[SignalFact, SurfaceCo2Fact, str]:
    facts = finder.facts_for(
        a.lat,
        a.lon,
        a.date,
        wind=a.wind,
        deviation_ppm=a.deviation_ppm,
        xco2=a.xco2,
        background=a.background,
    )
    signal = next(f for f in facts if isinstance(f, SignalFact))
    surface_co2 = next(f for f in facts if isinstance(f, SurfaceCo2Fact))
    return signal, surface_co2, explain(facts)[0]


def test_the_sample_covers_every_background_and_severity(anomalies: tuple[Anomaly, ...]) -> None:
    sample = _sample(anomalies)
    assert {a.background for a in sample} == set(AGAINST_WORDS)
    assert {a.severity for a in sample} == {"low", "medium", "high"}


def test_a_known_anomalys_zscore_is_its_deviation_over_the_noise_the_text_prints(
    finder: FactFinder, anomalies: tuple[Anomaly, ...]
) -> None:
    for a in _sample(anomalies):
        signal, _, text = _facts_of(finder, a)
        assert signal.noise_ppm == SOUNDING_NOISE_PPM
        # The product's z-score, the fact's and the deviation over the noise agree.
        assert signal.zscore == a.zscore == round(a.deviation_ppm / SOUNDING_NOISE_PPM, 2)
        printed = {float(n) for n in NOISE_IN_TEXT.findall(text)}
        assert printed == {SOUNDING_NOISE_PPM}, text
        assert f"z-score of {a.zscore:g}" in text, text
        assert not OLD_NOISE_WORDS.search(text), text


def test_the_text_names_what_the_deviation_is_measured_against(
    finder: FactFinder, anomalies: tuple[Anomaly, ...]
) -> None:
    for a in _sample(anomalies):
        signal, surface_co2, text = _facts_of(finder, a)
        assert signal.background == a.background
        assert AGAINST_WORDS[a.background] in text, text
        # NOAA's record is named as a surface value, and as not the anomaly's background.
        assert surface_co2.kind == "surface_co2"
        assert "surface CO2 for" in text, text
        assert "not the column background the deviation is measured against" in text, text
        assert "NOAA's global surface background" not in text
