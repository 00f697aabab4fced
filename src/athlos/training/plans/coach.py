"""What the Record page's voice coach follows: a planned workout as a timeline of steps (repeats
unrolled), each with the sentence that announces it and its pace range, in the person's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from athlos.activities.display import duration
from athlos.web.forms import N_

STEP_NAMES: Final = {
    "warmup": N_("Warm-up"),
    "run": N_("Run"),
    "recover": N_("Recovery jog"),
    "cooldown": N_("Cool-down"),
    "exercise": N_("Exercise"),
}
COACH_TEXTS: Final = {
    "faster": N_("A bit faster."),
    "slower": N_("Ease off a little."),
    "next": N_("Next: {step}."),
    "done": N_("Workout done. Well done!"),
}


def unrolled(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The steps in the order they are done, each repeat written out."""
    found: list[dict[str, Any]] = []
    for step in steps:
        if step.get("kind") == "repeat":
            for _ in range(int(step.get("repeat", 1))):
                found.extend(unrolled(step.get("steps", [])))
        else:
            found.append(step)
    return found


def timeline(
    steps: list[dict[str, Any]],
    targets: dict[str, dict[str, Any]],
    zone_names: dict[str, str],
    gettext: Callable[[str], str],
) -> dict[str, Any]:
    """Each step with how long it lasts (``seconds`` or ``metres``), its pace range in seconds per km
    (``slow``, ``fast``) when the zone has one, and the sentence that announces it."""
    shown = []
    for step in unrolled(steps):
        name = (
            gettext(step["label"])
            if step.get("label")
            else gettext(STEP_NAMES.get(step["kind"], step["kind"]))
        )
        parts = [name]
        if step.get("duration_s"):
            parts.append(duration(step["duration_s"]) or "")
        if step.get("distance_m"):
            parts.append(f"{step['distance_m'] / 1000:.1f} {gettext('km')}")
        target = targets.get(step.get("zone") or "")
        slow = fast = None
        if step.get("zone"):
            parts.append(gettext(zone_names.get(step["zone"], step["zone"])))
        if target and target.get("slow_s_per_km") is not None:
            slow, fast = target["slow_s_per_km"], target["fast_s_per_km"]
            parts.append(f"{duration(fast)}–{duration(slow)} {gettext('/km')}")
        elif target and target.get("low_bpm") is not None:
            parts.append(f"{int(target['low_bpm'])}–{int(target['high_bpm'])} {gettext('bpm')}")
        shown.append(
            {
                "seconds": step.get("duration_s"),
                "metres": step.get("distance_m"),
                "slow": slow,
                "fast": fast,
                "announce": ", ".join(part for part in parts if part),
            }
        )
    return {"steps": shown, "texts": {key: gettext(text) for key, text in COACH_TEXTS.items()}}
