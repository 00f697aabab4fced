"""Checks every importer applies to the timestamps of the samples it read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np

from athlos.activities.importers.errors import NO_TIMESTAMPS, ImportRefused
from athlos.activities.streams import FloatArray, Streams

GPS_EPOCH: Final = 315_964_800.0  # 1980-01-06: earlier times are placeholders, not recordings


def checked_streams(
    time: Sequence[float] | FloatArray,
    columns: Mapping[str, Sequence[float] | FloatArray],
    warnings: list[str],
    what: str,
) -> Streams:
    """Streams from samples, keeping only those with a plausible time.

    Raises ``no_timestamps`` when fewer than two samples, or fewer than half of them, have plausible
    times, or when they all share one.
    """
    t = np.asarray(time, dtype=np.float64)
    plausible = np.isfinite(t) & (t >= GPS_EPOCH)
    kept = int(plausible.sum())
    if kept < 2 or float(np.ptp(t[plausible])) <= 0:
        if np.isfinite(t).sum() >= 2 and kept < np.isfinite(t).sum():
            detail = f"the {what} carry placeholder times (before 1980), not recorded ones"
        elif kept >= 2:
            detail = f"all {what} share one timestamp"
        else:
            detail = f"the {what} have no times"
        raise ImportRefused(NO_TIMESTAMPS, detail)
    if kept * 2 < t.shape[0]:
        raise ImportRefused(NO_TIMESTAMPS, f"only {kept} of {t.shape[0]} {what} have a time")
    if kept < t.shape[0]:
        warnings.append(f"dropped {t.shape[0] - kept} of {t.shape[0]} {what} without a valid time")
    return Streams.from_columns(
        t[plausible],
        {name: np.asarray(values, dtype=np.float64)[plausible] for name, values in columns.items()},
    )
