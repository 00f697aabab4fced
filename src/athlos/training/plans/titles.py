"""A planned workout's one-line title ("Easy run · 5.4 km", "Intervals · 5 × 3 min"), in a language."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

from athlos.training.plans.adaptive import Adaptation
from athlos.training.plans.library import SESSIONS_BY_KEY
from athlos.web.forms import N_
from athlos.web.i18n import translations


class Titled(Protocol):
    """What a title is made of: a stored planned workout, or one as its week shows it."""

    @property
    def kind(self) -> str: ...
    @property
    def steps(self) -> list[dict[str, Any]]: ...
    @property
    def distance_m(self) -> float | None: ...
    @property
    def session(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Described:
    """A workout as an event describes it (``kind``, ``steps``, ``distance_m``, ``session``)."""

    kind: str
    steps: list[dict[str, Any]]
    distance_m: float | None
    session: str | None

    @classmethod
    def of(cls, facts: Mapping[str, Any]) -> Described:
        return cls(facts["kind"], list(facts["steps"]), facts.get("distance_m"), facts.get("session"))


KIND_NAMES: Final = {
    "easy": N_("Easy run"),
    "long": N_("Long run"),
    "threshold": N_("Threshold run"),
    "intervals": N_("Intervals"),
    "race": N_("Race day"),
    "session": N_("Session"),
}


def workout_title(workout: Titled, gettext: Callable[[str], str]) -> str:
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


def title_in(locale: str) -> Callable[[Titled], str]:
    gettext = translations(locale).gettext
    return lambda workout: workout_title(workout, gettext)


ADAPTATION_MESSAGES: Final = {
    "first_week": N_("Your first week: the plan learns from what you do and adapts from next week on."),
    "high_load": N_(
        "Your recent load is well above what you are used to, so this week is a fifth lighter and its "
        "hard session is an easy run."
    ),
    "missed": N_(
        "You did %(done)s of last week's %(planned)s workouts, so this week is a tenth lighter: nothing "
        "to make up, just pick it up again."
    ),
    "faster": N_("Your VDOT rose from %(vdot_from)s to %(vdot_to)s, so this week's paces are faster."),
    "on_track": N_("Last week went to plan (%(done)s of %(planned)s done), so this week builds on it."),
}


def adaptation_message(adaptation: Adaptation, gettext: Callable[[str], str]) -> str:
    """The one sentence that says what changed this week, and why."""
    return gettext(ADAPTATION_MESSAGES[adaptation.reason]) % {
        "done": adaptation.done_last_week,
        "planned": adaptation.planned_last_week,
        "vdot_from": adaptation.vdot_from,
        "vdot_to": adaptation.vdot_to,
    }
