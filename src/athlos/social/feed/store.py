"""Per-person feeds in Redis: one sorted set each, scored by when the item happened (in milliseconds)
and capped at ``CAPACITY`` entries, as Mastodon keeps its home timelines.

A feed exists only while its owner reads it: reading keeps it for ``IDLE_SECONDS`` more, fan-out writes
only into feeds that exist, and an absent feed is rebuilt from the database on the next read. A sentinel
member marks a built feed that is empty, so following nobody does not rebuild on every read.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from redis.asyncio import Redis

CAPACITY: Final = 400
IDLE_SECONDS: Final = 14 * 24 * 3600
BATCH: Final = 1000
BUILT: Final = "built"

# Add one entry to each listed feed that exists, then trim it to the newest CAPACITY (+ the sentinel).
PUSH: Final = """
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then
    redis.call('ZADD', key, ARGV[1], ARGV[2])
    redis.call('ZREMRANGEBYRANK', key, 0, -tonumber(ARGV[3]) - 2)
  end
end
return #KEYS
"""


def feed_key(user_id: uuid.UUID) -> str:
    return f"athlos:feed:{user_id}"


def score_of(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def time_of(score: float) -> datetime:
    return datetime.fromtimestamp(score / 1000, UTC)


@dataclass(frozen=True, slots=True)
class Entry:
    """One item in a feed: the feed item's id and when it happened."""

    item_id: uuid.UUID
    occurred_at: datetime

    @property
    def position(self) -> tuple[datetime, uuid.UUID]:
        return self.occurred_at, self.item_id


class FeedStore:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._push = redis.register_script(PUSH)

    async def push(self, entry: Entry, user_ids: Iterable[uuid.UUID]) -> None:
        """Add ``entry`` to the feeds of ``user_ids`` that exist, in batches of ``BATCH`` feeds."""
        keys = [feed_key(user_id) for user_id in user_ids]
        for start in range(0, len(keys), BATCH):
            await self._push(
                keys=keys[start : start + BATCH],
                args=[score_of(entry.occurred_at), str(entry.item_id), CAPACITY],
            )

    async def remove(self, item_ids: Sequence[uuid.UUID], user_ids: Iterable[uuid.UUID]) -> None:
        """Take the items out of the listed feeds."""
        if not item_ids:
            return
        members = [str(item_id) for item_id in item_ids]
        keys = [feed_key(user_id) for user_id in user_ids]
        for start in range(0, len(keys), BATCH):
            async with self.redis.pipeline(transaction=False) as pipe:
                for key in keys[start : start + BATCH]:
                    pipe.zrem(key, *members)
                await pipe.execute()

    async def merge(self, user_id: uuid.UUID, entries: Sequence[Entry]) -> None:
        """Add ``entries`` to ``user_id``'s feed if it exists (a newly followed person's latest items)."""
        if not entries or not await self.is_built(user_id):
            return
        key = feed_key(user_id)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.zadd(key, {str(e.item_id): score_of(e.occurred_at) for e in entries})
            pipe.zremrangebyrank(key, 0, -CAPACITY - 2)
            await pipe.execute()

    async def is_built(self, user_id: uuid.UUID) -> bool:
        return bool(await self.redis.exists(feed_key(user_id)))

    async def build(self, user_id: uuid.UUID, entries: Sequence[Entry]) -> None:
        """Replace ``user_id``'s feed with ``entries`` (the newest ``CAPACITY`` of them are kept)."""
        key = feed_key(user_id)
        mapping: dict[str, float] = {BUILT: 0}
        mapping.update({str(e.item_id): score_of(e.occurred_at) for e in entries})
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.zadd(key, mapping)
            pipe.zremrangebyrank(key, 0, -CAPACITY - 2)
            pipe.expire(key, IDLE_SECONDS)
            await pipe.execute()

    async def size(self, user_id: uuid.UUID) -> int:
        """How many entries the feed holds (without the sentinel)."""
        return max(int(await self.redis.zcard(feed_key(user_id))) - 1, 0)

    async def page(
        self, user_id: uuid.UUID, before: tuple[datetime, uuid.UUID] | None, count: int
    ) -> list[Entry]:
        """Up to ``count`` entries older than ``before`` (time, item id), newest first; the feed is kept
        for ``IDLE_SECONDS`` more. Entries of one millisecond are ordered by item id, as in SQL."""
        key = feed_key(user_id)
        async with self.redis.pipeline(transaction=False) as pipe:
            if before is None:
                pipe.zrevrangebyscore(key, "+inf", "(0", start=0, num=count, withscores=True)
            else:
                at = score_of(before[0])
                pipe.zrevrangebyscore(key, at, at, withscores=True)
                pipe.zrevrangebyscore(key, f"({at}", "(0", start=0, num=count, withscores=True)
            pipe.expire(key, IDLE_SECONDS)
            *results, _ = await pipe.execute()
        entries = [
            Entry(uuid.UUID(member.decode()), time_of(score)) for rows in results for member, score in rows
        ]
        if before is not None:
            entries = [e for e in entries if e.position < before]
        return entries[:count]
