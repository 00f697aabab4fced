"""Points along a straight line for recording tests: north from a start at a steady speed."""

from __future__ import annotations

import time
from typing import Any

START_LAT = 52.52
START_LON = 13.405
# Metres per degree of latitude near Berlin (WGS84), close enough for tolerances of a percent.
M_PER_DEG_LAT = 111_257.0


def line_points(
    t0: float, seconds: int, *, speed_mps: float = 3.0, from_m: float = 0.0, hr: float | None = 140
) -> list[dict[str, Any]]:
    """One fix a second for ``seconds`` seconds, ``from_m`` metres north of the start onwards."""
    return [
        {
            "t": t0 + i,
            "lat": START_LAT + (from_m + i * speed_mps) / M_PER_DEG_LAT,
            "lon": START_LON,
            "alt": 35.0,
            "hr": hr,
            "accuracy": 5.0,
        }
        for i in range(seconds)
    ]


def a_while_ago(seconds: float) -> float:
    return time.time() - seconds
