"""How races read: a finishing time on a clock (``41:07``, ``3:12:45``) and a distance's name. Pure."""

from __future__ import annotations

from typing import Final

from athlos.competitions.schemas import preset_of


def N_(message: str) -> str:
    """Marks a text for the catalogs; pages translate it."""
    return message


PRESET_LABELS: Final = {
    "5k": N_("5K"),
    "10k": N_("10K"),
    "half": N_("Half marathon"),
    "marathon": N_("Marathon"),
}
MODE_LABELS: Final = {
    "window": N_("Window: run it any time inside the dates"),
    "live": N_("Live: everyone starts together"),
}
PHASE_LABELS: Final = {
    "upcoming": N_("Upcoming"),
    "running": N_("Running"),
    "past": N_("Ended"),
    "final": N_("Results final"),
}
STATUS_LABELS: Final = {
    "provisional": N_("Provisional"),
    "final": N_("Final"),
    "disqualified": N_("Disqualified"),
}


def clock(seconds: float) -> str:
    """``m:ss`` under an hour, ``h:mm:ss`` from one."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def distance_label(distance_m: float) -> str:
    """The preset's English name (translate it), else kilometres: ``7.5 km``."""
    preset = preset_of(distance_m)
    if preset is not None:
        return PRESET_LABELS[preset]
    return f"{distance_m / 1000:g} km"
