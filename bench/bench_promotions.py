"""Promotions: how fast a pool of codes is given out to ``--people`` people claiming ``--concurrency`` at
a time (each claim its own transaction, half of them paying loyalty points), and how long finding a
person's promotions takes with ``--promotions`` running ones of every rule kind. Prints one JSON object.

SQLite in a temporary folder by default; ATHLOS_BENCH_DATABASE_URL names another (an empty, migrated
PostgreSQL database, say). ``--people 1000 --concurrency 16 --promotions 20``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from athlos.accounts.models import User  # noqa: E402
from athlos.commerce.promotions import service  # noqa: E402
from athlos.commerce.promotions.schemas import CodesIn, PromotionIn  # noqa: E402
from athlos.core.db import Database, utcnow  # noqa: E402
from athlos.core.migrate import upgrade  # noqa: E402
from athlos.gamification.loyalty import service as loyalty  # noqa: E402
from athlos.gear import service as gear  # noqa: E402
from athlos.gear.schemas import GearIn  # noqa: E402
from athlos.modules import load_models  # noqa: E402


async def people(db: Database, count: int) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(count)]
    async with db.unit_of_work() as session:
        for user_id in ids:
            session.add(
                User(id=user_id, email=f"{user_id.hex}@bench.example", display_name="B", password_hash="x")
            )
        await session.flush()
        for user_id in ids[::2]:
            await loyalty.credit(session, user_id, 100, f"bench:{user_id.hex}")
    return ids


async def promotion(db: Database, codes: int, **rules: Any) -> uuid.UUID:
    body = PromotionIn(
        slug=f"bench-{uuid.uuid4().hex[:12]}",
        title_en="Bench",
        starts_on=utcnow().date() - timedelta(days=1),
        ends_on=utcnow().date() + timedelta(days=1),
        **rules,
    )
    async with db.unit_of_work() as session:
        made = await service.create_promotion(session, None, body)
        if codes:
            await service.add_codes(session, made.id, CodesIn(generate=codes))
        return made.id


async def claims_per_s(db: Database, ids: list[uuid.UUID], concurrency: int) -> dict[str, Any]:
    free = await promotion(db, len(ids) // 2)
    paid = await promotion(db, len(ids) // 2, points_cost=10)
    gate = asyncio.Semaphore(concurrency)

    async def claim(n: int, user_id: uuid.UUID) -> str:
        async with gate, db.unit_of_work() as session:
            return (await service.claim(session, user_id, paid if n % 2 == 0 else free, utcnow().date())).code

    started = time.perf_counter()
    codes = await asyncio.gather(*(claim(n, u) for n, u in enumerate(ids)))
    took = time.perf_counter() - started
    assert len(set(codes)) == len(codes)
    return {"claims": len(codes), "claims_per_s": round(len(codes) / took, 1), "all_codes_distinct": True}


async def eligible_ms(db: Database, user_id: uuid.UUID, count: int) -> dict[str, float]:
    async with db.unit_of_work() as session:
        await gear.create_gear(
            session, user_id, GearIn(kind="shoes", brand="K", model="G", starting_distance_m=640_000)
        )
    kinds: list[dict[str, Any]] = [
        {},
        {"countries": ["DE"]},
        {"min_level": 1},
        {"gear_kind": "shoes"},
        {"sports": ["run"]},
    ]
    for n in range(count):
        await promotion(db, 0, **kinds[n % len(kinds)])
    times = []
    for _ in range(30):
        started = time.perf_counter()
        async with db.sessionmaker() as session:
            await service.eligible(session, user_id, utcnow().date())
        times.append((time.perf_counter() - started) * 1000)
    return {
        "promotions": count,
        "median_ms": round(statistics.median(times), 2),
        "max_ms": round(max(times), 2),
    }


async def run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    load_models()
    db = Database(url)
    try:
        ids = await people(db, args.people)
        return {
            "database": url.split("+")[0],
            "claims": await claims_per_s(db, ids, args.concurrency),
            "eligible": await eligible_ms(db, ids[0], args.promotions),
        }
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--promotions", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("ATHLOS_BENCH_DATABASE_URL") or f"sqlite+aiosqlite:///{folder}/bench.db"
        if "ATHLOS_BENCH_DATABASE_URL" not in os.environ:
            upgrade(url)
        print(json.dumps(asyncio.run(run(args, url))))


if __name__ == "__main__":
    main()
