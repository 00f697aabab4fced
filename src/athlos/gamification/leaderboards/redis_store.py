"""Boards as Redis sorted sets: one per measure, sport, period and placed scope (everyone, a country, a
region, an age group, a sex), each member a user id scored by the negated total, so Redis's own order
(score, then member) is the board's (the highest total first, a tie by user id). A club's or one's
friends' board ranks their scores on the everyone board (``ZMSCORE``).

Redis is a projection of the totals table: totals are written as they are (``ZADD``, never an
increment), so a redelivered event writes the same numbers; a board's sport and period that was never
built (or was lost) is rebuilt from SQL on its first read, and a built one is marked so. Week and month
sets expire some months after their last change; ``all`` sets stay.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any, Final

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.gamification.leaderboards.boards import (
    METRICS,
    Answer,
    Board,
    Metric,
    answer_of,
    order,
    ranked,
)
from athlos.gamification.leaderboards.models import LeaderboardTotal as Total

PREFIX: Final = "athlos:lb"
PERIOD_TTL_SECONDS: Final = 120 * 24 * 3600
BATCH: Final = 5000

Places = Mapping[str, str]


def board_key(metric: str, sport: str, period: str, scope: str, place: str = "") -> str:
    return f"{PREFIX}:{metric}:{sport}:{period}:{scope}:{place}"


def built_key(sport: str, period: str) -> str:
    return f"{PREFIX}:built:{sport}:{period}"


def places_of(total: Total) -> dict[str, str]:
    """The placed boards a person's totals row sits on (scope → place), when they are listed."""
    if not total.listed:
        return {}
    places = {"everyone": ""}
    if total.country:
        places["country"] = total.country
        if total.region:
            places["region"] = total.region
    if total.age_group:
        places["age_group"] = total.age_group
    if total.sex:
        places["sex"] = total.sex
    return places


def values_of(total: Total) -> dict[Metric, float]:
    return {"distance": total.distance_m, "time": total.moving_time_s, "elevation": total.elevation_gain_m}


class RedisBoards:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis

    async def place(
        self,
        user_id: uuid.UUID,
        sport: str,
        period: str,
        before: Places,
        after: Places,
        values: Mapping[Metric, float],
    ) -> None:
        """Move a person's totals of one sport and period from the boards of ``before`` to those of
        ``after`` (empty: off every board)."""
        member = str(user_id)
        pipe = self.redis.pipeline(transaction=True)
        for metric in METRICS:
            for scope, where in before.items():
                pipe.zrem(board_key(metric, sport, period, scope, where), member)
            value = values.get(metric, 0.0)
            for scope, where in after.items():
                key = board_key(metric, sport, period, scope, where)
                if value > 0:
                    pipe.zadd(key, {member: -value})
                    if period != "all":
                        pipe.expire(key, PERIOD_TTL_SECONDS)
                else:
                    pipe.zrem(key, member)
        await pipe.execute()

    async def rebuild(self, session: AsyncSession, sport: str, period: str) -> int:
        """Build every board of a sport and period from the totals table; how many rows it placed."""
        async for key in self.redis.scan_iter(match=f"{PREFIX}:*:{sport}:{period}:*"):
            await self.redis.delete(key)
        placed = 0
        async for batch in _totals(session, sport, period):
            pipe = self.redis.pipeline(transaction=False)
            for total in batch:
                values = values_of(total)
                for scope, where in places_of(total).items():
                    for metric in METRICS:
                        if values[metric] > 0:
                            pipe.zadd(
                                board_key(metric, sport, period, scope, where),
                                {str(total.user_id): -values[metric]},
                            )
                placed += 1
            await pipe.execute()
        if period != "all":
            async for key in self.redis.scan_iter(match=f"{PREFIX}:*:{sport}:{period}:*"):
                await self.redis.expire(key, PERIOD_TTL_SECONDS)
        await self.redis.set(
            built_key(sport, period), "1", ex=None if period == "all" else PERIOD_TTL_SECONDS
        )
        return placed

    async def ensure_built(self, session: AsyncSession, sport: str, period: str) -> None:
        if not await self.redis.exists(built_key(sport, period)):
            await self.rebuild(session, sport, period)

    async def answer(self, board: Board, me: uuid.UUID, limit: int, reach: int) -> Answer:
        if board.members is not None:
            return await self._members_answer(board, me, limit, reach)
        key = board_key(board.metric, board.sport, board.period, board.scope, board.place)
        top = ranked(_rows(await self.redis.zrange(key, 0, limit - 1, withscores=True)), 1, 0)
        found = await self.redis.zrank(key, str(me))
        if found is None:
            return Answer(top, None, [])
        position = int(found)  # type: ignore[arg-type]
        start = max(0, position - reach)
        window = _rows(await self.redis.zrange(key, start, position + reach, withscores=True))
        first_rank = await self.redis.zcount(key, "-inf", f"({-window[0][1]!r}") + 1
        around = ranked(window, first_rank, start)
        return Answer(top, around[position - start], around)

    async def _members_answer(self, board: Board, me: uuid.UUID, limit: int, reach: int) -> Answer:
        members = sorted(board.members or ())
        if not members:
            return Answer([], None, [])
        key = board_key(board.metric, board.sport, board.period, "everyone")
        scores = await self.redis.zmscore(key, [str(m) for m in members])
        rows = [(m, -float(s)) for m, s in zip(members, scores, strict=True) if s is not None]
        return answer_of(order(rows), me, limit, reach)


def _rows(pairs: Iterable[Any]) -> list[tuple[uuid.UUID, float]]:
    return [(uuid.UUID(m.decode() if isinstance(m, bytes) else m), -float(score)) for m, score in pairs]


async def _totals(session: AsyncSession, sport: str, period: str) -> AsyncIterator[list[Total]]:
    after: uuid.UUID | None = None
    while True:
        query = select(Total).where(Total.sport == sport, Total.period == period)
        if after is not None:
            query = query.where(Total.user_id > after)
        batch = list(await session.scalars(query.order_by(Total.user_id).limit(BATCH)))
        if not batch:
            return
        yield batch
        after = batch[-1].user_id


async def forget(redis: Redis, user_id: uuid.UUID) -> None:
    """Take an erased person off every board (their totals rows are gone, so every set is looked at)."""
    member = str(user_id)
    async for key in redis.scan_iter(match=f"{PREFIX}:*", count=1000):
        name = key.decode() if isinstance(key, bytes) else key
        if not name.startswith(f"{PREFIX}:built:"):
            await redis.zrem(name, member)
