"""What plans are made of: the goals and levels on offer, and the sessions of the yoga, mobility and
strength library. Texts are message ids (translated where shown)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from athlos.web.forms import N_

RUNNING_GOALS: Final = {"5k": 5000.0, "10k": 10000.0, "half": 21097.5, "marathon": 42195.0}
SESSION_GOALS: Final = ("yoga", "mobility", "strength")
GOALS: Final = (*RUNNING_GOALS, *SESSION_GOALS)
LEVELS: Final = ("beginner", "intermediate", "advanced")
# Which sports a planned workout accepts as done.
GOAL_SPORTS: Final = {
    **{goal: frozenset({"run", "trail_run"}) for goal in RUNNING_GOALS},
    "yoga": frozenset({"yoga"}),
    "mobility": frozenset({"yoga"}),
    "strength": frozenset({"strength"}),
}
GOAL_NAMES: Final = {
    "5k": N_("5 km"),
    "10k": N_("10 km"),
    "half": N_("Half marathon"),
    "marathon": N_("Marathon"),
    "yoga": N_("Yoga"),
    "mobility": N_("Mobility"),
    "strength": N_("Strength basics"),
}
LEVEL_NAMES: Final = {
    "beginner": N_("Beginner"),
    "intermediate": N_("Intermediate"),
    "advanced": N_("Advanced"),
}


@dataclass(frozen=True, slots=True)
class Session:
    """A yoga, mobility or strength session: its exercises in order, each held for ``seconds``."""

    key: str
    goal: str
    level: str
    title: str
    exercises: tuple[tuple[str, int], ...]

    @property
    def duration_s(self) -> int:
        return sum(seconds for _, seconds in self.exercises)


SESSIONS: Final = (
    Session(
        "yoga_sun",
        "yoga",
        "beginner",
        N_("Sun salutations"),
        (
            (N_("Breathing, seated"), 120),
            (N_("Sun salutation A, five rounds"), 600),
            (N_("Child's pose"), 120),
        ),
    ),
    Session(
        "yoga_flow",
        "yoga",
        "intermediate",
        N_("Standing flow"),
        (
            (N_("Sun salutation A, three rounds"), 360),
            (N_("Warrior I and II, each side"), 480),
            (N_("Triangle, each side"), 240),
            (N_("Tree, each side"), 180),
            (N_("Corpse pose"), 240),
        ),
    ),
    Session(
        "yoga_balance",
        "yoga",
        "advanced",
        N_("Balance and strength flow"),
        (
            (N_("Sun salutation B, five rounds"), 720),
            (N_("Warrior III, each side"), 240),
            (N_("Crow pose"), 180),
            (N_("Side plank, each side"), 180),
            (N_("Corpse pose"), 300),
        ),
    ),
    Session(
        "mobility_hips",
        "mobility",
        "beginner",
        N_("Hips and ankles"),
        (
            (N_("Ankle circles"), 120),
            (N_("Hip circles"), 120),
            (N_("Lunge with a twist, each side"), 240),
            (N_("Pigeon stretch, each side"), 240),
        ),
    ),
    Session(
        "mobility_runner",
        "mobility",
        "intermediate",
        N_("The runner's routine"),
        (
            (N_("Leg swings, each leg"), 180),
            (N_("World's greatest stretch, each side"), 300),
            (N_("Hamstring floss"), 180),
            (N_("Calf stretch against a wall"), 180),
            (N_("Thoracic rotations"), 180),
        ),
    ),
    Session(
        "mobility_full",
        "mobility",
        "advanced",
        N_("Full body mobility"),
        (
            (N_("Cat and cow"), 120),
            (N_("Deep squat hold"), 240),
            (N_("Cossack squats"), 240),
            (N_("World's greatest stretch, each side"), 300),
            (N_("Thread the needle, each side"), 240),
            (N_("Couch stretch, each side"), 240),
        ),
    ),
    Session(
        "strength_base",
        "strength",
        "beginner",
        N_("Bodyweight basics"),
        (
            (N_("Squats, three sets of ten"), 300),
            (N_("Push-ups on the knees, three sets of eight"), 300),
            (N_("Glute bridges, three sets of twelve"), 240),
            (N_("Plank, three times 30 seconds"), 180),
        ),
    ),
    Session(
        "strength_runner",
        "strength",
        "intermediate",
        N_("Strength for runners"),
        (
            (N_("Split squats, three sets of ten each leg"), 420),
            (N_("Single-leg deadlifts, three sets of eight each leg"), 420),
            (N_("Calf raises, three sets of fifteen"), 240),
            (N_("Side plank, each side"), 180),
        ),
    ),
    Session(
        "strength_power",
        "strength",
        "advanced",
        N_("Power and stability"),
        (
            (N_("Jump squats, four sets of eight"), 360),
            (N_("Bulgarian split squats, four sets of eight each leg"), 480),
            (N_("Push-ups, four sets of fifteen"), 360),
            (N_("Hollow hold, four times 30 seconds"), 240),
        ),
    ),
)
SESSIONS_BY_KEY: Final = {session.key: session for session in SESSIONS}


def sessions_for(goal: str, level: str) -> list[Session]:
    """The goal's sessions up to the level, the level's own first."""
    order = LEVELS.index(level)
    found = [s for s in SESSIONS if s.goal == goal and LEVELS.index(s.level) <= order]
    return sorted(found, key=lambda s: -LEVELS.index(s.level))
