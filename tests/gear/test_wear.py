"""Wear limits per kind, an item's own limit first, and the thresholds reached."""

from __future__ import annotations

from athlos.gear.wear import KIND_WEAR_LIMITS_M, KINDS, reached_threshold, wear_limit, worn_share


def test_every_kind_has_a_default_and_shoes_last_700_km() -> None:
    assert set(KINDS) == set(KIND_WEAR_LIMITS_M)
    assert wear_limit("shoes", None) == 700_000
    assert wear_limit("chain", None) == 3_000_000
    assert wear_limit("other", None) is None
    assert wear_limit("shoes", 900_000) == 900_000  # the product's own lifespan wins


def test_thresholds_are_80_and_100_percent() -> None:
    assert reached_threshold(559_999, 700_000) == 0
    assert reached_threshold(560_000, 700_000) == 80
    assert reached_threshold(700_000, 700_000) == 100
    assert reached_threshold(1_400_000, 700_000) == 100
    assert reached_threshold(10_000_000, None) == 0
    assert worn_share(350_000, 700_000) == 0.5
    assert worn_share(1, None) is None
