"""Google Fit in a Google Takeout archive: ``Takeout/Fit/Activities/*.tcx``, one activity per file.

Google Fit writes ``Sport="Other"`` in most of its TCX files; the kind of activity is the last part of
the file name (``2021-05-02T07_31_12+02_00_PT45M10S_Running.tcx``), which gives the sport and, for kinds
without a sport of their own (``Badminton``), the activity's name.
"""

from __future__ import annotations

import re
from typing import Final

from athlos.vocabulary.sports import OTHER, sport_from_name

FORMAT: Final = "google_fit"
ACTIVITIES_DIR: Final = "Fit/Activities/"
_KIND = re.compile(r"_([A-Za-z][A-Za-z ()\-]*[A-Za-z)])\.tcx$", re.IGNORECASE)


def is_fit_activity(name: str) -> bool:
    """Whether an archive member is one of Google Fit's activity files."""
    folder, _, base = name.rpartition("/")
    return (
        f"{folder}/".endswith(ACTIVITIES_DIR) and base.lower().endswith(".tcx") and not base.startswith(".")
    )


def kind_of(name: str) -> str | None:
    """The activity kind written in a Google Fit file name, in words (``"Running"``), if any."""
    found = _KIND.search(name.rpartition("/")[2])
    if found is None:
        return None
    return found.group(1).replace("_", " ").strip()[:60] or None


def sport_and_name(name: str) -> tuple[str | None, str | None]:
    """The sport (``None``: as the TCX says) and the activity name (``None``: the default title)."""
    kind = kind_of(name)
    if kind is None:
        return None, None
    sport = sport_from_name(kind)
    if sport == OTHER:
        return None, kind.capitalize()
    return sport, None
