"""Offline reverse geocoding of known points to ISO 3166 countries and regions."""

from __future__ import annotations

import pytest

from athlos.analytics.places import Place, fold, locate, region_code


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [
        (52.52, 13.405, Place("DE", "DE-BE")),  # Berlin
        (48.137, 11.575, Place("DE", "DE-BY")),  # Munich: "Bavaria" is "Bayern"
        (50.94, 6.96, Place("DE", "DE-NW")),  # Cologne
        (55.75, 37.62, Place("RU", "RU-MOW")),  # Moscow
        (56.84, 60.6, Place("RU", "RU-SVE")),  # Yekaterinburg: "Sverdlovsk Oblast"
        (40.71, -74.0, Place("US", "US-NY")),  # New York
        (-37.81, 144.96, Place("AU", "AU-VIC")),  # Melbourne
        (48.85, 2.35, Place("FR", "FR-IDF")),  # Paris
        (51.5, -0.12, Place("GB", "GB-ENG")),  # London
    ],
)
def test_known_points(lat: float, lon: float, expected: Place) -> None:
    assert locate(lat, lon) == expected


@pytest.mark.parametrize(("lat", "lon"), [(None, 13.4), (52.5, None), (91.0, 0.0), (0.0, 181.0)])
def test_no_place_without_a_valid_point(lat: float | None, lon: float | None) -> None:
    assert locate(lat, lon) == Place(None, None)


def test_region_names_are_matched_only_when_sure() -> None:
    assert fold("Île-de-France") == "ile de france"
    assert region_code("RU", "Kaliningrad Oblast") == "RU-KGD"
    assert region_code("DE", "Atlantis") is None
    assert region_code("DE", None) is None
