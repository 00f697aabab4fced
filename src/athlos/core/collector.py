"""The garbage collector set for a long-running server process (``athlos serve`` and ``athlos worker``)."""

from __future__ import annotations

import gc
from typing import Final

# Requests make and drop objects by the thousand: at the default (a young pass every 700 objects kept,
# a full pass after a hundred of those) a process ran a full pass every few hundred requests, and a
# full pass holds every request the process is answering.
YOUNG_THRESHOLD: Final = 10_000


def settle_after_startup() -> None:
    """Freeze what startup made (it lives as long as the process: the collector's passes skip it, where
    walking those few hundred thousand objects took ~0.2 s) and collect the young generation less often."""
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
