"""What live races keep running in every web process for its whole life: the flusher. Started with the
process, not with its first update, so progress that a process acknowledged before it died is written
to the database by the others even when no new update comes their way."""

from __future__ import annotations

from athlos.competitions.live.flusher import ensure_flusher, stop_flusher
from athlos.core.runtime import Runtime


async def start(runtime: Runtime) -> None:
    ensure_flusher(runtime)


async def stop(runtime: Runtime) -> None:
    await stop_flusher(runtime)
