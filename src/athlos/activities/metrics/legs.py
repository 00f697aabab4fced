"""A multisport activity's figures: each leg summarized as an activity of its own sport, and the
whole as the sum of its legs (a leg is measured exactly as the same stretch would be alone)."""

from __future__ import annotations

from typing import Any, Final

from athlos.activities.metrics.json_ready import rounded
from athlos.activities.metrics.motion import KM

# Figures of the whole that are the sum of its legs' (device totals where the legs have them).
SUMMED: Final = (
    "distance_m",
    "elapsed_time_s",
    "moving_time_s",
    "elevation_gain_m",
    "elevation_loss_m",
    "calories",
)
# What a leg keeps of its summary, beside its sport, start and samples.
LEG_FIGURES: Final = (*SUMMED, "avg_heart_rate", "max_heart_rate")


def leg_figures(summary: dict[str, Any], sport: str, first_sample: int, end_sample: int) -> dict[str, Any]:
    """One leg as the activity keeps it: its sport, start, figures and its slice of the track."""
    return {
        "sport": sport,
        "start_time": summary["start_time"],
        **{key: summary.get(key) for key in LEG_FIGURES},
        "source": summary["source"],
        "first_sample": first_sample,
        "end_sample": end_sample,
    }


def _sum(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known), 1) if known else None


def _weighted_heart_rate(legs: list[dict[str, Any]]) -> float | None:
    """The legs' average heart rates weighted by their moving times."""
    weighted = [
        (leg["avg_heart_rate"], leg.get("moving_time_s") or 0.0)
        for leg in legs
        if leg.get("avg_heart_rate") is not None
    ]
    total = sum(seconds for _, seconds in weighted)
    if not weighted:
        return None
    if total <= 0:
        return rounded(sum(rate for rate, _ in weighted) / len(weighted))
    return rounded(sum(rate * seconds for rate, seconds in weighted) / total)


def with_leg_totals(
    whole: dict[str, Any], legs: list[dict[str, Any]], leg_computed: list[dict[str, Any]]
) -> dict[str, Any]:
    """``whole`` (the summary of the entire track) with its totals replaced by the sums of ``legs``
    and its ``computed`` figures by the sums of the legs' ``leg_computed``; the legs under ``legs``."""
    totals: dict[str, Any] = {key: _sum([leg.get(key) for leg in legs]) for key in SUMMED}
    if totals["calories"] is not None:
        totals["calories"] = round(totals["calories"])
    maxima = [leg["max_heart_rate"] for leg in legs if leg.get("max_heart_rate") is not None]
    totals["max_heart_rate"] = max(maxima) if maxima else None
    totals["avg_heart_rate"] = _weighted_heart_rate(legs)
    speed = (
        totals["distance_m"] / totals["moving_time_s"]
        if totals["distance_m"] and totals["moving_time_s"]
        else None
    )
    totals["avg_speed_mps"] = rounded(speed, 3)
    totals["avg_pace_s_per_km"] = rounded(KM / speed if speed else None)
    computed = dict(whole.get("computed") or {})
    computed.update({key: _sum([c.get(key) for c in leg_computed]) for key in SUMMED})
    every_device = all(leg["source"] == "device" for leg in legs)
    return {
        **whole,
        **totals,
        "source": "device" if every_device else "computed",
        "computed": computed,
        # Kilometre splits across a swim, a ride and a run compare nothing; each leg has its figures.
        "splits": {"km": [], "mile": []},
        "legs": legs,
    }
