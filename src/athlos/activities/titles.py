"""Automatic titles ("Morning run", "Evening ride") by the hour on the clock where the activity started,
in the owner's language. Pure: the caller gives the local start and the language's ``gettext``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final

from athlos.activities.display import N_
from athlos.activities.local_time import part_of_day

# Whole phrases, not a part of the day joined to a sport: languages agree adjectives with the noun.
TITLES: Final[dict[str, dict[str, str]]] = {
    "run": {
        "morning": N_("Morning run"),
        "afternoon": N_("Afternoon run"),
        "evening": N_("Evening run"),
        "night": N_("Night run"),
    },
    "trail_run": {
        "morning": N_("Morning trail run"),
        "afternoon": N_("Afternoon trail run"),
        "evening": N_("Evening trail run"),
        "night": N_("Night trail run"),
    },
    "walk": {
        "morning": N_("Morning walk"),
        "afternoon": N_("Afternoon walk"),
        "evening": N_("Evening walk"),
        "night": N_("Night walk"),
    },
    "hike": {
        "morning": N_("Morning hike"),
        "afternoon": N_("Afternoon hike"),
        "evening": N_("Evening hike"),
        "night": N_("Night hike"),
    },
    "ride": {
        "morning": N_("Morning ride"),
        "afternoon": N_("Afternoon ride"),
        "evening": N_("Evening ride"),
        "night": N_("Night ride"),
    },
    "virtual_ride": {
        "morning": N_("Morning virtual ride"),
        "afternoon": N_("Afternoon virtual ride"),
        "evening": N_("Evening virtual ride"),
        "night": N_("Night virtual ride"),
    },
    "pool_swim": {
        "morning": N_("Morning pool swim"),
        "afternoon": N_("Afternoon pool swim"),
        "evening": N_("Evening pool swim"),
        "night": N_("Night pool swim"),
    },
    "open_water_swim": {
        "morning": N_("Morning open-water swim"),
        "afternoon": N_("Afternoon open-water swim"),
        "evening": N_("Evening open-water swim"),
        "night": N_("Night open-water swim"),
    },
    "yoga": {
        "morning": N_("Morning yoga"),
        "afternoon": N_("Afternoon yoga"),
        "evening": N_("Evening yoga"),
        "night": N_("Night yoga"),
    },
    "strength": {
        "morning": N_("Morning strength workout"),
        "afternoon": N_("Afternoon strength workout"),
        "evening": N_("Evening strength workout"),
        "night": N_("Night strength workout"),
    },
    "ski": {
        "morning": N_("Morning ski"),
        "afternoon": N_("Afternoon ski"),
        "evening": N_("Evening ski"),
        "night": N_("Night ski"),
    },
    "paddle": {
        "morning": N_("Morning paddle"),
        "afternoon": N_("Afternoon paddle"),
        "evening": N_("Evening paddle"),
        "night": N_("Night paddle"),
    },
    "multisport": {
        "morning": N_("Morning multisport"),
        "afternoon": N_("Afternoon multisport"),
        "evening": N_("Evening multisport"),
        "night": N_("Night multisport"),
    },
    "other": {
        "morning": N_("Morning workout"),
        "afternoon": N_("Afternoon workout"),
        "evening": N_("Evening workout"),
        "night": N_("Night workout"),
    },
}


def automatic_title(sport: str, local_start: datetime, gettext: Callable[[str], str] = str) -> str:
    """The title of an activity nobody named, by the part of the day of its local start."""
    return gettext(TITLES.get(sport, TITLES["other"])[part_of_day(local_start.hour)])
