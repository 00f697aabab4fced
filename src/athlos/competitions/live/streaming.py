"""A leaderboard as server-sent events: ``board`` with the snapshot whenever the race moved (at most
four a second), a comment every 15 s to keep proxies from closing an idle stream."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Final

from fastapi.responses import StreamingResponse

from athlos.competitions.live.feeds import feeds
from athlos.competitions.live.participants import LiveRace
from athlos.core.runtime import Runtime

KEEP_ALIVE_S: Final = 15.0


async def _events(runtime: Runtime, race: LiveRace, scope: str, me: uuid.UUID | None) -> AsyncIterator[str]:
    async with feeds.watch(runtime, race, scope, me) as watch:
        yield ": open\n\n"
        while True:
            try:
                snapshot = await asyncio.wait_for(watch.snapshots.get(), KEEP_ALIVE_S)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            yield f"event: board\ndata: {json.dumps(snapshot, separators=(',', ':'))}\n\n"


def board_stream(runtime: Runtime, race: LiveRace, scope: str, me: uuid.UUID | None) -> StreamingResponse:
    return StreamingResponse(
        _events(runtime, race, scope, me),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
