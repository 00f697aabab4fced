"""Pushing leaderboards to open streams: one poller per race in each process, shared by all of that
process's streams of the race.

Four times a second the poller reads the race's update counter in Redis (one ``HMGET``); when it moved,
it reads each leaderboard its streams watch once (and each participant's neighbours) and hands every
stream the latest snapshot, replacing one it has not sent yet. So the cost grows with the races and
scopes watched per process, not with the updates or the number of spectators, and it works across any
number of web processes because every one reads the same sorted sets. Without Redis the counter is
this process's own.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Final

import structlog

from athlos.competitions.live import service
from athlos.competitions.live.participants import LiveRace
from athlos.core.db import shielded
from athlos.core.runtime import Runtime

log = structlog.get_logger(__name__)

POLL_S: Final = 0.25


@dataclass(eq=False)
class Watch:
    scope: str
    me: uuid.UUID | None
    snapshots: asyncio.Queue[dict[str, Any]] = field(default_factory=lambda: asyncio.Queue(maxsize=1))
    seen: int = -1

    def offer(self, snapshot: dict[str, Any]) -> None:
        if self.snapshots.full():
            self.snapshots.get_nowait()
        self.snapshots.put_nowait(snapshot)


@dataclass(eq=False)
class RaceFeed:
    race: LiveRace
    watches: set[Watch] = field(default_factory=set)
    task: asyncio.Task[None] | None = None


class Feeds:
    def __init__(self) -> None:
        self._races: dict[uuid.UUID, RaceFeed] = {}

    @contextlib.asynccontextmanager
    async def watch(
        self, runtime: Runtime, race: LiveRace, scope: str, me: uuid.UUID | None
    ) -> AsyncIterator[Watch]:
        feed = self._races.get(race.id)
        if feed is None:
            feed = self._races[race.id] = RaceFeed(race)
        watch = Watch(scope, me)
        feed.watches.add(watch)
        if feed.task is None or feed.task.done():
            feed.task = asyncio.get_running_loop().create_task(
                self._poll(runtime, feed), name="athlos-live-feed"
            )
        try:
            yield watch
        finally:
            feed.watches.discard(watch)
            if not feed.watches:
                if feed.task is not None:
                    feed.task.cancel()
                self._races.pop(race.id, None)

    async def _poll(self, runtime: Runtime, feed: RaceFeed) -> None:
        while feed.watches:
            try:
                await shielded(self._push(runtime, feed))  # cancelled when the last watcher leaves
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("live_feed_failed", race_id=str(feed.race.id))
            await asyncio.sleep(POLL_S)

    async def _push(self, runtime: Runtime, feed: RaceFeed) -> None:
        count, at = await service.version(runtime, feed.race.id)
        behind = [watch for watch in feed.watches if watch.seen != count]
        if not behind:
            return
        boards: dict[str, dict[str, Any]] = {}
        for watch in behind:
            if watch.scope not in boards:
                boards[watch.scope] = await service.board(runtime, feed.race, watch.scope, limit=TOP)
        for watch in behind:
            snapshot = {**boards[watch.scope], "version": count, "updated_at_ms": at, "sent_at_ms": 0}
            if watch.me is not None:
                snapshot["me"] = (await service.board(runtime, feed.race, watch.scope, watch.me, limit=0))[
                    "me"
                ]
            snapshot["sent_at_ms"] = int(time.time() * 1000)
            watch.seen = count
            watch.offer(snapshot)


TOP: Final = 20
feeds = Feeds()
