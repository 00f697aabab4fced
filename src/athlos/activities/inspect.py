"""``athlos inspect``: the summary of every activity in a file, as JSON-ready objects."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from athlos.activities.importers.detect import DEFAULT_MAX_BYTES, parse_bytes
from athlos.activities.metrics import summarize


def inspect_file(path: Path, from_points: bool = False) -> list[dict[str, Any]]:
    """One summary per activity in the file at ``path``.

    Raises :class:`~athlos.activities.importers.errors.ImportRefused` for a file that cannot be
    imported. File-level warnings (records dropped, checksum) are repeated in every activity.
    """
    with path.open("rb") as stream:
        # A read of the largest size allowed would allocate all of it first: ask for what the file
        # holds (one byte more shows it is over the limit); a pipe, whose size is unknown, gets it all.
        size = os.fstat(stream.fileno()).st_size or DEFAULT_MAX_BYTES
        data = stream.read(min(size, DEFAULT_MAX_BYTES) + 1)
    parsed = parse_bytes(data, path.name)
    result = []
    for activity in parsed.activities:
        summary = summarize(activity, from_points=from_points)
        summary["warnings"] = [*parsed.warnings, *summary["warnings"]]
        result.append(summary)
    return result
