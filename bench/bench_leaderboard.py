"""Leaderboard reads with many people: the top 100 plus the asker's rank and neighbourhood (two above,
two below), on PostgreSQL (the totals table and its indexes) and on Redis (the sorted sets), for the
everyone board and a country board of the same week.

The totals are loaded straight into ``gamification_leaderboard_total`` with COPY (the bench database
drops the table's foreign key to accounts, so no million accounts are made) and into the sorted sets
as ``RedisBoards.rebuild`` would write them; distances are whole hundreds of metres, so ties abound.
Each read is timed alone, one after another, asked by a person picked at random. Prints one JSON
object. ``--people 1000000 --reads 300``; ``--database-url`` (default: a fresh database on the local
PostgreSQL, dropped after) and ``--redis-url`` (default: the local Redis, database 11; the bench's
keys, all of one week of 1970, are removed after).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
from redis.asyncio import Redis
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from athlos.core.db import Database  # noqa: E402
from athlos.core.migrate import upgrade  # noqa: E402
from athlos.gamification.leaderboards.boards import Board  # noqa: E402
from athlos.gamification.leaderboards.redis_store import PREFIX, RedisBoards, board_key  # noqa: E402
from athlos.gamification.leaderboards.sql_store import SqlBoards  # noqa: E402

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/athlos_lb_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/11"
# A week of its own, so the bench neither meets nor removes the boards of tests sharing its Redis.
PERIOD = "w1970-01"
COUNTRIES = ("DE", "FR", "RU", "US", "GB", "IT", "ES", "PL", "NL", "SE")
BATCH = 20_000


def plain(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def admin(url: str, statement: str) -> None:
    target = make_url(url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(target.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def totals(people: int, seed: int) -> list[tuple[uuid.UUID, float, str]]:
    chance = random.Random(seed)
    return [
        (
            uuid.UUID(int=chance.getrandbits(128)),
            float(chance.randint(1, 2000) * 100),
            chance.choice(COUNTRIES),
        )
        for _ in range(people)
    ]


async def load_sql(url: str, rows: list[tuple[uuid.UUID, float, str]]) -> float:
    began = time.perf_counter()
    connection = await asyncpg.connect(plain(url))
    try:
        await connection.execute(
            "ALTER TABLE gamification_leaderboard_total "
            "DROP CONSTRAINT fk_gamification_leaderboard_total_user_id_accounts_user"
        )
        records = [(u, "run", PERIOD, d, d / 3, 0.0, 1, True, c, None, "30-39", None) for u, d, c in rows]
        await connection.copy_records_to_table(
            "gamification_leaderboard_total",
            records=records,
            columns=[
                "user_id",
                "sport",
                "period",
                "distance_m",
                "moving_time_s",
                "elevation_gain_m",
                "activity_count",
                "listed",
                "country",
                "region",
                "age_group",
                "sex",
            ],
        )
        await connection.execute("VACUUM ANALYZE gamification_leaderboard_total")
    finally:
        await connection.close()
    return time.perf_counter() - began


async def load_redis(redis: Redis, rows: list[tuple[uuid.UUID, float, str]]) -> float:
    began = time.perf_counter()
    everyone = board_key("distance", "run", PERIOD, "everyone")
    for start in range(0, len(rows), BATCH):
        pipe = redis.pipeline(transaction=False)
        for user_id, distance, country in rows[start : start + BATCH]:
            pipe.zadd(everyone, {str(user_id): -distance})
            pipe.zadd(board_key("distance", "run", PERIOD, "country", country), {str(user_id): -distance})
        await pipe.execute()
    return time.perf_counter() - began


async def timed(reads: int, read: Callable[[], Awaitable[Any]]) -> dict[str, float]:
    latencies = []
    for _ in range(reads):
        began = time.perf_counter()
        await read()
        latencies.append((time.perf_counter() - began) * 1000)
    latencies.sort()
    return {
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 2),
    }


async def forget(redis: Redis) -> None:
    async for key in redis.scan_iter(match=f"{PREFIX}:*:{PERIOD}:*", count=1000):
        await redis.delete(key)


async def run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    await asyncio.to_thread(upgrade, url)
    rows = totals(args.people, seed=49)
    sql_load_s = await load_sql(url, rows)
    redis = Redis.from_url(args.redis_url)
    await forget(redis)
    redis_load_s = await load_redis(redis, rows)
    chance = random.Random(7)
    db = Database(url)
    figures: dict[str, Any] = {}
    try:
        store = RedisBoards(redis)
        for scope in ("everyone", "country"):

            def board_of(country: str, scope: str = scope) -> Board:
                return Board("distance", "run", PERIOD, scope, "" if scope == "everyone" else country)  # type: ignore[arg-type]

            async def from_sql(scope: str = scope) -> Any:
                user_id, _, country = chance.choice(rows)
                async with db.sessionmaker() as session:
                    return await SqlBoards(session).answer(board_of(country, scope), user_id, 100, 2)

            async def from_redis(scope: str = scope) -> Any:
                user_id, _, country = chance.choice(rows)
                return await store.answer(board_of(country, scope), user_id, 100, 2)

            # The same question answered alike by both, before timing them.
            user_id, _, country = rows[0]
            async with db.sessionmaker() as session:
                expected = await SqlBoards(session).answer(board_of(country), user_id, 100, 2)
            assert await store.answer(board_of(country), user_id, 100, 2) == expected
            figures[f"sql_{scope}"] = await timed(args.reads, from_sql)
            figures[f"redis_{scope}"] = await timed(args.reads, from_redis)
    finally:
        await forget(redis)
        await redis.aclose()
        await db.dispose()
    return {
        "people": args.people,
        "reads": args.reads,
        "redis_p95_ms": figures["redis_everyone"]["p95_ms"],
        "sql_p95_ms": figures["sql_everyone"]["p95_ms"],
        "redis_p50_ms": figures["redis_everyone"]["p50_ms"],
        "sql_p50_ms": figures["sql_everyone"]["p50_ms"],
        "redis_country_p95_ms": figures["redis_country"]["p95_ms"],
        "sql_country_p95_ms": figures["sql_country"]["p95_ms"],
        "sql_load_s": round(sql_load_s, 1),
        "redis_load_s": round(redis_load_s, 1),
        "cores": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--reads", type=int, default=300)
    parser.add_argument("--database-url", default=None, help="an empty database to migrate and fill")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    args = parser.parse_args()
    own_database = args.database_url is None
    url = args.database_url or DEFAULT_PG
    if own_database:
        name = make_url(url).database
        await admin(url, f'DROP DATABASE IF EXISTS "{name}"')
        await admin(url, f'CREATE DATABASE "{name}"')
    try:
        result = await run(args, url)
    finally:
        if own_database:
            await admin(url, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
