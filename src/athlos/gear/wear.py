"""How far each kind of gear lasts, and which wear reminders an item's distance calls for. Pure."""

from __future__ import annotations

from typing import Final

KINDS: Final = ("shoes", "bike", "chain", "tyres", "skis", "other")

# Sensible replacement distances in metres when the product gives none: running shoes lose their
# cushioning after 500–800 km, a chain stretches after about 3,000 km, tyres wear out after about
# 4,000 km; a whole bike wants its big service at about 15,000 km. "Other" has no limit of its own.
KIND_WEAR_LIMITS_M: Final[dict[str, float | None]] = {
    "shoes": 700_000.0,
    "bike": 15_000_000.0,
    "chain": 3_000_000.0,
    "tyres": 4_000_000.0,
    "skis": 5_000_000.0,
    "other": None,
}

# Percent of the wear limit at which the owner is told, in rising order.
THRESHOLDS: Final = (80, 100)


def wear_limit(kind: str, own_limit_m: float | None) -> float | None:
    """The item's own limit (the product's lifespan) if it has one, else its kind's."""
    if own_limit_m is not None:
        return own_limit_m
    return KIND_WEAR_LIMITS_M.get(kind)


def worn_share(total_m: float, limit_m: float | None) -> float | None:
    """How much of its life the item has used (1.0 = all of it, may exceed 1); None without a limit."""
    if not limit_m:
        return None
    return total_m / limit_m


def reached_threshold(total_m: float, limit_m: float | None) -> int:
    """The highest threshold the distance has reached (0 when none)."""
    share = worn_share(total_m, limit_m)
    if share is None:
        return 0
    reached = [t for t in THRESHOLDS if share * 100 >= t]
    return reached[-1] if reached else 0
