"""How this week's workouts adapt to last week: pure rules, one reason each, read when the week is shown.

The stored plan stays the base; what a week shows is the base scaled by :func:`adapt`'s factor, with
its quality session turned easy when the body needs rest. The rules, first match wins:

1. ``high_load``: today's acute:chronic ratio above 1.5 — 80 % of the volume, no quality session.
2. ``missed``: under half of last week's workouts done — 90 % of the volume, nothing made up.
3. ``faster``: the VDOT is at least 0.5 above the plan's — the paces follow it, the volume stays.
4. ``on_track``: nothing to change.
A plan's first week has no last week and is ``first_week``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final, Literal

from athlos.training.load import HIGH_RATIO

Reason = Literal["first_week", "high_load", "missed", "faster", "on_track"]
HIGH_LOAD_FACTOR: Final = 0.8
MISSED_FACTOR: Final = 0.9
FASTER_BY: Final = 0.5


@dataclass(frozen=True, slots=True)
class Adaptation:
    reason: Reason
    factor: float = 1.0
    ease_quality: bool = False
    planned_last_week: int = 0
    done_last_week: int = 0
    vdot_from: float | None = None
    vdot_to: float | None = None


def adapt(
    *,
    first_week: bool,
    planned_last_week: int,
    done_last_week: int,
    ratio: float | None,
    plan_vdot: float | None,
    vdot: float | None,
) -> Adaptation:
    base = Adaptation("on_track", planned_last_week=planned_last_week, done_last_week=done_last_week)
    if first_week:
        return replace(base, reason="first_week")
    if ratio is not None and ratio > HIGH_RATIO:
        return replace(base, reason="high_load", factor=HIGH_LOAD_FACTOR, ease_quality=True)
    if planned_last_week >= 2 and done_last_week * 2 < planned_last_week:
        return replace(base, reason="missed", factor=MISSED_FACTOR)
    if vdot is not None and plan_vdot is not None and vdot >= plan_vdot + FASTER_BY:
        return replace(base, reason="faster", vdot_from=plan_vdot, vdot_to=vdot)
    return base
