"""Catalogue import times: the example feed (328 products) into an empty catalogue, the same feed again
(all unchanged), and a feed of ``--products`` products (the example's, repeated under other ids) new,
then with every price changed. Also the purchase webhook's work in the service (verify, replay guard,
conversion, outbox event) per second. Prints one JSON object.

SQLite in a temporary folder by default; ATHLOS_BENCH_DATABASE_URL names another (an empty, migrated
PostgreSQL database, say). ``--products 2000 --purchases 500``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from athlos.commerce.catalog.service import import_feed  # noqa: E402
from athlos.commerce.shop import service as shop  # noqa: E402
from athlos.commerce.shop.signing import signature  # noqa: E402
from athlos.core.db import Database  # noqa: E402
from athlos.core.migrate import upgrade  # noqa: E402
from athlos.modules import load_models  # noqa: E402

EXAMPLE = REPO / "examples" / "catalog" / "products.json"
SECRET = "bench-secret"


def scaled(count: int, price_bump: int = 0) -> bytes:
    base = json.loads(EXAMPLE.read_text())["products"]
    made = []
    for n in range(count):
        product = dict(base[n % len(base)])
        round_ = n // len(base)
        product["id"] = f"{product['id']}-r{round_}"
        product["successor_id"] = None
        product["offers"] = [
            {**offer, "price": f"{float(offer['price']) + price_bump:.2f}"} for offer in product["offers"]
        ]
        made.append(product)
    return json.dumps({"products": made}).encode()


async def timed_import(db: Database, data: bytes, name: str) -> tuple[float, dict[str, int]]:
    started = time.perf_counter()
    async with db.unit_of_work() as session:
        report = await import_feed(session, data, name)
        counts = {"created": report.created, "updated": report.updated, "unchanged": report.unchanged}
        counts["retired"] = report.retired
    return round(time.perf_counter() - started, 3), counts


async def purchases_per_s(db: Database, count: int) -> float:
    async with db.unit_of_work() as session:
        click, _ = await shop.follow_link(session, None, "kestrel-glide-1-r0", "bench")
    started = time.perf_counter()
    for n in range(count):
        body = json.dumps(
            {
                "order_id": f"bench-{n}",
                "click_id": click.token,
                "product_id": "kestrel-glide-1-r0",
                "amount": "140.00",
                "currency": "EUR",
                "purchased_at": "2026-12-01T10:00:00Z",
            }
        ).encode()
        timestamp = str(int(time.time()))
        async with db.unit_of_work() as session:
            await shop.confirm_purchase(session, SECRET, timestamp, signature(SECRET, timestamp, body), body)
    return round(count / (time.perf_counter() - started), 1)


async def run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    load_models()
    db = Database(url)
    try:
        example = EXAMPLE.read_bytes()
        result: dict[str, Any] = {"database": db.engine.dialect.name}
        result["example_new_s"], _ = await timed_import(db, example, "products.json")
        result["example_unchanged_s"], _ = await timed_import(db, example, "products.json")
        fresh, counts = await timed_import(db, scaled(args.products), "s.json")
        result[f"scaled_{args.products}_new_s"] = fresh
        result["scaled_new_counts"] = counts
        changed, counts = await timed_import(db, scaled(args.products, price_bump=1), "s.json")
        result[f"scaled_{args.products}_all_changed_s"] = changed
        result["scaled_changed_counts"] = counts
        result["webhook_purchases_per_s"] = await purchases_per_s(db, args.purchases)
        result["load_average_1m"] = round(os.getloadavg()[0], 2)
        return result
    finally:
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--purchases", type=int, default=500)
    args = parser.parse_args()
    url = os.environ.get("ATHLOS_BENCH_DATABASE_URL")
    with tempfile.TemporaryDirectory() as folder:
        if url is None:
            url = f"sqlite+aiosqlite:///{folder}/bench.db"
            upgrade(url)
        print(json.dumps(asyncio.run(run(args, url))))


if __name__ == "__main__":
    main()
