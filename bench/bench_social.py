"""Home feed benchmarks on PostgreSQL + Redis: read p95 and fan-out (see docs/feed.md).

- Feed read: a person following ``--following`` (500) people among ``--items`` (1,000,000) feed items
  (one per activity), read page after page through ``read_feed`` with the feed kept in Redis, and the
  same reads answered by SQL alone (the embedded default's path); p50/p95 in ms.
- Fan-out: one new activity of a person with ``--followers`` (10,000) followers whose feeds exist,
  from the event's payload to every feed updated; seconds, best and median of ``--repeat`` runs.

Rows are written with set-based SQL (generate_series), not through the services. Needs
ATHLOS_BENCH_DATABASE_URL (default: a fresh database on the local PostgreSQL) and ATHLOS_BENCH_REDIS_URL
(default redis://127.0.0.1:6379/10). Prints one JSON document. Chat delivery is not measured: club chat
does not exist yet.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from athlos.core.db import Database  # noqa: E402
from athlos.core.migrate import upgrade  # noqa: E402
from athlos.modules import load_models  # noqa: E402
from athlos.social.feed import service  # noqa: E402
from athlos.social.feed.store import FeedStore, feed_key  # noqa: E402

READER = uuid.UUID("00000000-0000-7000-8000-000000000001")
STAR = uuid.UUID("00000000-0000-7000-8000-000000000002")


async def admin(url: str, statement: str) -> None:
    target = make_url(url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(target.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def seed(db: Database, people: int, items: int, following: int, followers: int) -> None:
    """``people`` users (the reader and the star among them), ``items`` feed items spread over them
    and over two years, the reader following ``following`` of them, the star followed by ``followers``."""
    async with db.engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO accounts_user (id, email, display_name, password_hash, totp_enabled, created_at,"
                " password_changed_at) SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(n), 12, '0'))::uuid,"
                " 'p' || n || '@example.org', 'Person ' || n, 'x', false, now(), now()"
                " FROM generate_series(1, :people) AS n"
            ),
            {"people": people},
        )
        await conn.execute(
            text(
                "INSERT INTO social_feed_item (id, kind, subject_id, author_id, visibility, occurred_at,"
                " fanned_out) SELECT gen_random_uuid(), 'activity', gen_random_uuid(),"
                " ('00000000-0000-7000-8000-' || lpad(to_hex(3 + n % (:people - 2)), 12, '0'))::uuid,"
                " CASE WHEN n % 10 = 0 THEN 'followers' ELSE 'everyone' END,"
                " date_trunc('milliseconds', now() - (n * interval '63 seconds')), true"
                " FROM generate_series(1, :items) AS n"
            ),
            {"people": people, "items": items},
        )
        await conn.execute(
            text(
                "INSERT INTO social_follow (follower_id, followee_id, created_at) SELECT :reader,"
                " ('00000000-0000-7000-8000-'"
                " || lpad(to_hex(3 + n * ((:people - 3) / :following)), 12, '0'))::uuid,"
                " now() FROM generate_series(0, :following - 1) AS n"
            ),
            {"reader": READER, "people": people, "following": following},
        )
        await conn.execute(
            text(
                "INSERT INTO social_follow (follower_id, followee_id, created_at) SELECT"
                " ('00000000-0000-7000-8000-' || lpad(to_hex(3 + n), 12, '0'))::uuid, :star, now()"
                " FROM generate_series(0, :followers - 1) AS n"
            ),
            {"star": STAR, "followers": followers},
        )
        await conn.execute(text("ANALYZE"))


async def timed_reads(db: Database, store: FeedStore | None, pages: int, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        cursor = None
        for _ in range(pages):
            async with db.unit_of_work() as session:
                started = time.perf_counter()
                _entries, cursor = await service.read_feed(session, store, READER, cursor, 20)
                times.append((time.perf_counter() - started) * 1000)
    return times


async def fan_out(db: Database, store: FeedStore, redis: Redis, followers: int, repeat: int) -> list[float]:
    follower_ids = [uuid.UUID(f"00000000-0000-7000-8000-{3 + n:012x}") for n in range(followers)]
    async with redis.pipeline(transaction=False) as pipe:
        for user_id in follower_ids:
            pipe.zadd(feed_key(user_id), {"built": 0})
        await pipe.execute()
    runs = []
    for index in range(repeat):
        payload = {
            "activity_id": str(uuid.uuid4()),
            "owner_id": str(STAR),
            "visibility": "everyone",
            "start_time": (datetime.now(UTC) + timedelta(seconds=index)).isoformat(),
        }
        async with db.unit_of_work() as session:
            started = time.perf_counter()
            await service.record_activity(session, store, payload)
            runs.append(time.perf_counter() - started)
    assert await store.size(follower_ids[-1]) == repeat
    return runs


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--following", type=int, default=500)
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20, help="times the first pages are read")
    parser.add_argument("--pages", type=int, default=10, help="pages of 20 per round")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    load_models()
    base = os.environ.get(
        "ATHLOS_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    )
    redis_url = os.environ.get("ATHLOS_BENCH_REDIS_URL", "redis://127.0.0.1:6379/10")
    name = f"athlos_bench_social_{os.getpid()}"
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    await admin(url, f'CREATE DATABASE "{name}"')
    redis = Redis.from_url(redis_url)
    db = Database(url)
    try:
        await asyncio.to_thread(upgrade, url)
        started = time.perf_counter()
        await seed(db, args.people, args.items, args.following, args.followers)
        seeded_s = time.perf_counter() - started
        store = FeedStore(redis)
        await redis.delete(feed_key(READER))
        async with db.unit_of_work() as session:
            started = time.perf_counter()
            await service.rebuild(session, store, READER)
            rebuild_ms = (time.perf_counter() - started) * 1000
        with_redis = await timed_reads(db, store, args.pages, args.rounds)
        sql_only = await timed_reads(db, None, args.pages, args.rounds)
        fan_outs = await fan_out(db, store, redis, args.followers, args.repeat)
    finally:
        async for key in redis.scan_iter(match="athlos:feed:*"):
            await redis.delete(key)
        await redis.aclose()
        await db.dispose()
        await admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def summary(times: list[float]) -> dict[str, float]:
        return {
            "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(percentile(times, 0.95), 2),
            "reads": len(times),
        }

    print(
        json.dumps(
            {
                "benchmark": "social_feed",
                "cpu_count": os.cpu_count(),
                "items": args.items,
                "people": args.people,
                "following": args.following,
                "seed_s": round(seeded_s, 1),
                "rebuild_ms": round(rebuild_ms, 2),
                "feed_read_redis": {**summary(with_redis), "goal_p95_ms": 30},
                "feed_read_sql_only": summary(sql_only),
                "fan_out": {
                    "followers": args.followers,
                    "best_s": round(min(fan_outs), 3),
                    "median_s": round(statistics.median(fan_outs), 3),
                    "goal_s": 1,
                },
                "chat_delivery": None,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
