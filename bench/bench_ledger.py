"""Loyalty ledger throughput on PostgreSQL: concurrent spenders each redeeming one point per transfer,
every transfer its own transaction (guarded balance update, the transfer row and its outbox event).

Two rounds: each spender on an account of their own (``transfers_per_s``), and all spenders on one
shared account (``shared_account_transfers_per_s``, the hot-row case: every spend waits for the last
one's lock). Both end by checking the books: balances sum to zero and match the transfers. Prints one
JSON object. Needs ATHLOS_BENCH_DATABASE_URL (default: a fresh database on the local PostgreSQL, dropped
after). ``--spenders 16 --transfers 200`` (per spender).
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
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from athlos.accounts.models import User  # noqa: E402
from athlos.core.db import Database, utcnow  # noqa: E402
from athlos.core.migrate import upgrade  # noqa: E402
from athlos.gamification.errors import InsufficientLoyaltyBalance  # noqa: E402
from athlos.gamification.loyalty import service  # noqa: E402
from athlos.gamification.loyalty.models import LoyaltyAccount, LoyaltyTransfer  # noqa: E402
from athlos.modules import load_models  # noqa: E402

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/athlos_loyalty_bench"


async def admin(url: str, statement: str) -> None:
    target = make_url(url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(target.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def people(db: Database, count: int, points: int) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(count)]
    async with db.unit_of_work() as session:
        await session.execute(
            insert(User),
            [
                {"id": i, "email": f"{i.hex}@bench.invalid", "display_name": "Bench", "password_hash": "-"}
                for i in ids
            ],
        )
    for user_id in ids:
        async with db.unit_of_work() as session:
            await service.credit(session, user_id, points, f"fund:{user_id}")
    return ids


async def spend_round(
    db: Database, accounts: list[uuid.UUID], spenders: int, transfers: int
) -> dict[str, Any]:
    latencies: list[float] = []
    refused = 0

    async def spender(n: int) -> None:
        nonlocal refused
        user_id = accounts[n % len(accounts)]
        for k in range(transfers):
            began = time.perf_counter()
            try:
                async with db.unit_of_work() as session:
                    await service.spend(session, user_id, 1, f"spend:{uuid.uuid4().hex}:{n}:{k}")
            except InsufficientLoyaltyBalance:
                refused += 1
            latencies.append(time.perf_counter() - began)

    began, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(spender(n) for n in range(spenders)))
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    latencies.sort()
    return {
        "transfers": spenders * transfers,
        "seconds": round(seconds, 3),
        "transfers_per_s": round(spenders * transfers / seconds, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 2),
        "refused": refused,
        # This process's CPU per transfer (the app's side; PostgreSQL's is not counted).
        "client_cpu_ms_per_transfer": round(cpu / (spenders * transfers) * 1000, 2),
    }


async def _sums(session: AsyncSession, side: Any) -> dict[int, int]:
    rows = await session.execute(select(side, func.sum(LoyaltyTransfer.amount)).group_by(side))
    return {int(account): int(total) for account, total in rows.all()}


async def books_balance(db: Database) -> bool:
    async with db.sessionmaker() as session:
        total = await session.scalar(select(func.sum(LoyaltyAccount.balance)))
        moved = await _sums(session, LoyaltyTransfer.credit_account_id)
        taken = await _sums(session, LoyaltyTransfer.debit_account_id)
        accounts = list(await session.scalars(select(LoyaltyAccount)))
    return total == 0 and all(
        account.balance == moved.get(account.id, 0) - taken.get(account.id, 0) for account in accounts
    )


async def run(args: argparse.Namespace, url: str) -> dict[str, Any]:
    await asyncio.to_thread(upgrade, url)
    load_models()
    db = Database(url)
    try:
        own = await people(db, args.spenders, args.transfers)
        separate = await spend_round(db, own, args.spenders, args.transfers)
        # The shared account covers only half of what is asked of it: the rest is refused cleanly.
        shared = await people(db, 1, args.spenders * args.transfers // 2)
        together = await spend_round(db, shared, args.spenders, args.transfers)
        balanced = await books_balance(db)
        async with db.sessionmaker() as session:
            left = (await service.balance(session, shared[0])).balance
    finally:
        await db.dispose()
    return {
        "benchmark": "ledger",
        "database": "postgresql",
        "spenders": args.spenders,
        "cores": os.cpu_count(),
        "transfers_per_s": separate["transfers_per_s"],
        "own_accounts": separate,
        "shared_account_transfers_per_s": together["transfers_per_s"],
        "shared_account": {**together, "balance_left": left},
        "books_balance": balanced,
        "load_average_1m": round(os.getloadavg()[0], 2),
        "at": utcnow().isoformat(timespec="seconds"),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--spenders", type=int, default=16)
    parser.add_argument("--transfers", type=int, default=200, help="per spender")
    args = parser.parse_args()
    url = os.environ.get("ATHLOS_BENCH_DATABASE_URL", "")
    own_database = not url
    if own_database:
        url = DEFAULT_PG
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
