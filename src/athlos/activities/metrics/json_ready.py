"""Figures made ready for JSON: times as ISO 8601 UTC, numbers rounded and never NaN."""

from __future__ import annotations

import math
from datetime import UTC, datetime


def iso_utc(epoch_seconds: float) -> str:
    """``2013-08-16T18:05:10Z`` for an epoch time (fractions dropped)."""
    return datetime.fromtimestamp(math.floor(epoch_seconds), UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), digits)
