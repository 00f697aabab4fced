"""The database helpers: work shielded from its caller's cancellation goes on to its end, so it never
leaves a transaction (on SQLite, the one write lock) behind."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from athlos.core.db import Database, shielded


async def test_shielded_work_ends_its_transaction_when_the_caller_is_cancelled(db: Database) -> None:
    inside, release, done = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def work() -> None:
        async with db.unit_of_work() as session:
            await session.execute(text("SELECT 1"))
            inside.set()
            await release.wait()
            await session.execute(text("SELECT 1"))
        done.set()

    caller = asyncio.create_task(shielded(work()))
    await inside.wait()
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    release.set()
    await asyncio.wait_for(done.wait(), timeout=10)
    # Another transaction (on SQLite it begins IMMEDIATE: it needs the write lock) gets through at once.
    async with db.unit_of_work() as session:
        assert await session.scalar(text("SELECT 1")) == 1
