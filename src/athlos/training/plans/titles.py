"""A planned workout's one-line title ("Easy run · 5.4 km", "Intervals · 5 × 3 min"), in a language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from athlos.training.plans.library import SESSIONS_BY_KEY
from athlos.training.plans.models import PlannedWorkout
from athlos.web.forms import N_
from athlos.web.i18n import translations

KIND_NAMES: Final = {
    "easy": N_("Easy run"),
    "long": N_("Long run"),
    "threshold": N_("Threshold run"),
    "intervals": N_("Intervals"),
    "race": N_("Race day"),
    "session": N_("Session"),
}


def workout_title(workout: PlannedWorkout, gettext: Callable[[str], str]) -> str:
    if workout.session in SESSIONS_BY_KEY:
        session = SESSIONS_BY_KEY[workout.session]
        return f"{gettext(session.title)} · {round(session.duration_s / 60)} {gettext('min')}"
    name = gettext(KIND_NAMES.get(workout.kind, workout.kind))
    repeat = next((step for step in workout.steps if step.get("kind") == "repeat"), None)
    if repeat is not None:
        work = repeat["steps"][0]
        return f"{name} · {repeat['repeat']} × {round(work['duration_s'] / 60)} {gettext('min')}"
    if workout.distance_m:
        return f"{name} · {workout.distance_m / 1000:.1f} {gettext('km')}"
    return name


def title_in(locale: str) -> Callable[[PlannedWorkout], str]:
    gettext = translations(locale).gettext
    return lambda workout: workout_title(workout, gettext)
