"""Handlers the event-bus tests drive, loadable in a worker process through
``ATHLOS_EXTRA_HANDLER_MODULES=tests.core.probe_handlers``.

Their effect goes to a table of the tests' own (not part of the application's schema) with no unique
key, so an event applied twice would show as two rows; each row names the process that applied it.
"""

from __future__ import annotations

import asyncio
import os

from sqlalchemy import Column, Integer, MetaData, String, Table, Uuid, insert
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.db import Database
from athlos.core.events import emit, on
from athlos.core.events.outbox import Event

probe_metadata = MetaData()
probe_effect = Table(
    "test_probe_effect",
    probe_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", Uuid, nullable=False),
    Column("key", String(100), nullable=False),
    Column("worker", Integer, nullable=False),
)


@on("probe.counted")
async def record_counted(session: AsyncSession, event: Event) -> None:
    # A little work per event, so a worker killed mid-batch really is mid-batch.
    await asyncio.sleep(float(event.payload.get("work_seconds", 0)))
    await record_effect(session, event)


@on("probe.failing")
async def always_fail(session: AsyncSession, event: Event) -> None:
    raise RuntimeError(f"probe handler refuses {event.key}")


async def emit_then_roll_back(db: Database, key: str) -> None:
    """A unit of work that writes an event and then fails, so its transaction rolls back."""
    async with db.unit_of_work() as session:
        emit(session, "probe.counted", key, {})
        await session.flush()
        raise RuntimeError("abandon the unit of work")


async def create_probe_table(db: Database) -> None:
    async with db.engine.begin() as connection:
        await connection.run_sync(probe_metadata.create_all)


async def drop_probe_table(db: Database) -> None:
    async with db.engine.begin() as connection:
        await connection.run_sync(probe_metadata.drop_all)


@on("account.registered")
async def record_registration(session: AsyncSession, event: Event) -> None:
    await record_effect(session, event)


async def record_effect(session: AsyncSession, event: Event) -> None:
    await session.execute(insert(probe_effect).values(event_id=event.id, key=event.key, worker=os.getpid()))
