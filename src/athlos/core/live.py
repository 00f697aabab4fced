"""Telling open pages, in every web process, that something they show changed.

A hub has one Redis channel. After a transaction commits, what it changed is published there as
entries ``(key, data)``: whose stream it concerns (a person, a club) and, when the stream needs it, what
changed. Each web process with open streams listens to the channel and hands the entries to the streams
watching their key. Without Redis (one process, the embedded default) entries stay in the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any, Final

import structlog
from redis.asyncio import Redis
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

log = structlog.get_logger(__name__)

# Entries per published message, so a fan-out to thousands sends a few messages of moderate size.
ENTRIES_PER_MESSAGE: Final = 1000
_PENDING: Final = "athlos.live.pending"

Entry = tuple[str, Any]


class Listener(asyncio.Event):
    """Set whenever an entry for the watched key arrives; ``take()`` hands over the entries' data."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[Any] = []

    def take(self) -> list[Any]:
        received, self.received = self.received, []
        self.clear()
        return received


class Hub:
    """The open streams of this process, by key, and the Redis subscription that feeds them."""

    def __init__(self, channel: str, redis_url: Callable[[], str | None]) -> None:
        self.channel = channel
        self._redis_url = redis_url
        self._waiting: dict[str, set[Listener]] = defaultdict(set)
        self._listener: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def deliver(self, entries: Iterable[Entry]) -> None:
        for key, data in entries:
            for listener in self._waiting.get(key, ()):
                if data is not None:
                    listener.received.append(data)
                listener.set()

    @contextlib.asynccontextmanager
    async def watch(self, key: object, redis: Redis | None) -> AsyncIterator[Listener]:
        """A listener of ``key``'s entries, while the caller streams."""
        name = str(key)
        listener = Listener()
        self._waiting[name].add(listener)
        if redis is not None and (self._listener is None or self._listener.done()):
            self._listener = asyncio.create_task(self._listen(redis), name=f"athlos-live:{self.channel}")
        try:
            yield listener
        finally:
            self._waiting[name].discard(listener)
            if not self._waiting[name]:
                del self._waiting[name]
            if not self._waiting and self._listener is not None:
                self._listener.cancel()
                self._listener = None

    async def _listen(self, redis: Redis) -> None:
        while True:
            try:
                async with redis.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self.deliver((str(key), data) for key, data in json.loads(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("live_listener_error", channel=self.channel)
                await asyncio.sleep(1.0)

    def publish_later(self, entries: list[Entry]) -> None:
        """Tell every process (or only this one, without Redis), without waiting for it."""
        url = self._redis_url()
        if url is None:
            self.deliver(entries)
            return
        task = asyncio.get_running_loop().create_task(_publish(url, self.channel, entries))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def after_commit(self, session: AsyncSession, entries: Iterable[Entry]) -> None:
        """Publish these entries if and when the session's transaction commits."""
        pending: dict[Hub, list[Entry]] | None = session.info.get(_PENDING)
        if pending is None:
            pending = session.info[_PENDING] = {}
            if not event.contains(session.sync_session, "after_commit", _announce):
                event.listen(session.sync_session, "after_commit", _announce)
                event.listen(session.sync_session, "after_rollback", _forget)
        pending.setdefault(self, []).extend(entries)


async def _publish(url: str, channel: str, entries: list[Entry]) -> None:
    client = Redis.from_url(url)
    try:
        for start in range(0, len(entries), ENTRIES_PER_MESSAGE):
            await client.publish(channel, json.dumps(entries[start : start + ENTRIES_PER_MESSAGE]))
    except Exception:
        log.exception("live_publish_error", channel=channel, entries=len(entries))
    finally:
        await client.aclose()


def _announce(sync_session: Session) -> None:
    pending: dict[Hub, list[Entry]] | None = sync_session.info.pop(_PENDING, None)
    for hub, entries in (pending or {}).items():
        if entries:
            hub.publish_later(entries)


def _forget(sync_session: Session) -> None:
    sync_session.info.pop(_PENDING, None)
