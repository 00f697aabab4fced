""" "For you" at scale: 100,000 people and 2,000 products with the demo data's signals (views in the
database, a counter per person and product), trained into one stored list per person, then read as a
page reads it (``service.for_you``, one primary-key read in its own session) for a sample of people.
Prints one JSON object: the training time (the model alone on the signals in memory, and the whole
``service.train``: reading the signals, training, writing every list) and the read latency.

SQLite in a temporary folder by default; ATHLOS_BENCH_DATABASE_URL names another (an empty, migrated
PostgreSQL database, say). ``--people 100000 --products 2000 --reads 2000``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from sqlalchemy import insert  # noqa: E402

from athlos.accounts.models import User  # noqa: E402
from athlos.commerce.catalog.service import import_feed  # noqa: E402
from athlos.commerce.recommend import service  # noqa: E402
from athlos.commerce.recommend.demo import generate  # noqa: E402
from athlos.commerce.recommend.models import ProductView  # noqa: E402
from athlos.core.db import Database, utcnow  # noqa: E402
from athlos.core.ids import new_id  # noqa: E402
from athlos.core.migrate import upgrade  # noqa: E402
from athlos.modules import load_models  # noqa: E402

sys.path.insert(0, str(REPO / "bench"))
from bench_catalog import scaled  # noqa: E402

CHUNK = 5000


async def seed(db: Database, people: int, products: int) -> tuple[list[uuid.UUID], float]:
    """The people, the catalogue and every signal of the demo data as views; seconds it took."""
    started = time.perf_counter()
    async with db.unit_of_work() as session:
        await import_feed(session, scaled(products), "bench.json")
        shop = await service.catalogue(session)
    data = generate(people=people, products=len(shop.ids), seed=15)
    ids = [new_id() for _ in range(people)]
    run = uuid.uuid4().hex[:8]
    now = utcnow()
    async with db.unit_of_work() as session:
        for start in range(0, people, CHUNK):
            rows = [
                {
                    "id": ids[n],
                    "email": f"rc-{run}-{n}@example.org",
                    "display_name": f"P{n}",
                    "password_hash": "x",
                }
                for n in range(start, min(start + CHUNK, people))
            ]
            await session.execute(insert(User), rows)
    counts: dict[tuple[int, int], int] = {}
    for user, item in zip(data.interactions.users, data.interactions.items, strict=True):
        counts[(user, item)] = counts.get((user, item), 0) + 1
    views = [
        {"owner_id": ids[u], "product_id": shop.ids[i], "views": c, "last_viewed_at": now}
        for (u, i), c in counts.items()
    ]
    async with db.unit_of_work() as session:
        for start in range(0, len(views), CHUNK):
            await session.execute(insert(ProductView), views[start : start + CHUNK])
    return ids, round(time.perf_counter() - started, 1)


async def model_only(db: Database) -> dict[str, Any]:
    """The model and the ranking alone, on signals already in memory."""
    async with db.sessionmaker() as session:
        shop = await service.catalogue(session)
        found = await service.signals(session)
    started = time.perf_counter()
    lists = service.compute(shop, found, {})
    return {**lists.figures, "seconds": round(time.perf_counter() - started, 2)}


async def reads(db: Database, ids: list[uuid.UUID], count: int) -> dict[str, float]:
    rng = random.Random(15)
    sample = [rng.choice(ids) for _ in range(count)]
    timings = []
    for person in sample:
        started = time.perf_counter()
        async with db.sessionmaker() as session:
            mine = await service.for_you(session, person)
            assert mine.items
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "reads": count,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * count) - 1], 2),
        "p99_ms": round(timings[int(0.99 * count) - 1], 2),
    }


async def run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    load_models()
    db = Database(url)
    try:
        ids, seeded = await seed(db, args.people, args.products)
        result: dict[str, Any] = {"database": db.engine.dialect.name, "people": args.people}
        result["products"] = args.products
        result["seed_s"] = seeded
        result["model_only"] = await model_only(db)
        started = time.perf_counter()
        async with db.unit_of_work() as session:
            figures = await service.train(session)
        result["train_s"] = round(time.perf_counter() - started, 1)
        result["train_figures"] = figures
        result["for_you_read"] = await reads(db, ids, args.reads)
        result["goal_p95_ms"] = 20
        result["load_average_1m"] = round(os.getloadavg()[0], 2)
        result["cpus"] = os.cpu_count()
        return result
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--reads", type=int, default=2000)
    args = parser.parse_args()
    url = os.environ.get("ATHLOS_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        if url is None:
            url = f"sqlite+aiosqlite:///{folder}/bench.db"
            upgrade(url)
        print(json.dumps(asyncio.run(run(args, url))))


if __name__ == "__main__":
    main()
