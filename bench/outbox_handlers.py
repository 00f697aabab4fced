"""The table and handler the outbox benchmark's worker uses: one row per applied event."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, MetaData, Table, Uuid, func, insert
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.events import Event, on

bench_metadata = MetaData()
applied = Table(
    "bench_applied",
    bench_metadata,
    Column("event_id", Uuid, primary_key=True),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False, server_default=func.clock_timestamp()),
)
# Built once: a cheap handler runs one precompiled statement with its event's values.
RECORD_PING = insert(applied)


@on("bench.ping")
async def record_ping(session: AsyncSession, event: Event) -> None:
    await session.execute(RECORD_PING, {"event_id": event.id, "occurred_at": event.occurred_at})
