"""Moving committed outbox rows to a bus, and retrying failed deliveries when they fall due."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any

import structlog
from prometheus_client import Gauge
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.db import Database, utcnow
from athlos.core.events.delivery import RetryPolicy, deliver
from athlos.core.events.models import OUTBOX, HandlerFailure, OutboxRow
from athlos.core.events.outbox import Event
from athlos.core.events.registry import HandlerRegistry

log = structlog.get_logger(__name__)

OUTBOX_LAG = Gauge("athlos_outbox_lag_seconds", "Age of the oldest unpublished outbox event")
OUTBOX_PENDING = Gauge("athlos_outbox_pending_events", "Outbox events not yet published")

PublishBatch = Callable[[Sequence[Event]], Awaitable[None]]

# A claimed retry is hidden from other workers for this long while it runs.
RETRY_LEASE = timedelta(minutes=5)


# Events moved to the bus per batch: one statement claims them, one round of publishing sends them.
RELAY_BATCH = 1000

EVENT_COLUMNS = (
    OUTBOX.c.id,
    OUTBOX.c.event_id,
    OUTBOX.c.type,
    OUTBOX.c.key,
    OUTBOX.c.payload,
    OUTBOX.c.occurred_at,
)


async def relay_batch(db: Database, publish: PublishBatch, batch_size: int = RELAY_BATCH) -> int:
    """Publish up to ``batch_size`` unpublished events in order; returns how many were published.

    On PostgreSQL one ``UPDATE ... RETURNING`` claims the oldest unpublished rows (``SKIP LOCKED``, so
    several relays share the work) and marks them; they are published before that transaction commits,
    so a failed publish leaves them unpublished. A crash after publishing and before the commit
    republishes the batch: the bus drops the duplicates it still remembers, and consumers are idempotent.
    SQLite has one relay, and its publish may write (embedded handlers), so nothing is held meanwhile.
    """
    unpublished = OUTBOX.c.published_at.is_(None)
    if db.is_sqlite:
        async with db.sessionmaker() as session:
            found = await session.execute(
                select(*EVENT_COLUMNS).where(unpublished).order_by(OUTBOX.c.id).limit(batch_size)
            )
            rows = found.all()
        if rows:
            await publish([_event(row) for row in rows])
            async with db.unit_of_work() as session:
                await _mark_published(session, [row.id for row in rows])
        return len(rows)
    async with db.unit_of_work() as session:
        claimed = (
            select(OUTBOX.c.id)
            .where(unpublished)
            .order_by(OUTBOX.c.id)
            .limit(batch_size)
            .with_for_update(skip_locked=True)
        )
        marked = await session.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(claimed.scalar_subquery()))
            .values(published_at=utcnow())
            .returning(*EVENT_COLUMNS)
        )
        rows = sorted(marked.all(), key=lambda row: row.id)  # RETURNING keeps no order
        if rows:
            await publish([_event(row) for row in rows])
        return len(rows)


def _event(row: Any) -> Event:
    return Event(
        id=row.event_id, type=row.type, key=row.key, payload=row.payload, occurred_at=row.occurred_at
    )


async def _mark_published(session: AsyncSession, ids: list[int]) -> None:
    await session.execute(update(OUTBOX).where(OUTBOX.c.id.in_(ids)).values(published_at=utcnow()))


async def retry_due(
    db: Database, handlers: HandlerRegistry, policy: RetryPolicy, batch_size: int = 50
) -> int:
    """Deliver again the failed deliveries whose backoff has passed; returns how many were tried."""
    async with db.unit_of_work() as session:
        query = (
            select(HandlerFailure)
            .where(HandlerFailure.parked.is_(False), HandlerFailure.next_attempt_at <= utcnow())
            .order_by(HandlerFailure.next_attempt_at)
            .limit(batch_size)
        )
        if not db.is_sqlite:
            query = query.with_for_update(skip_locked=True)
        due = list(await session.scalars(query))
        for failure in due:
            failure.next_attempt_at = utcnow() + RETRY_LEASE
        claimed = [(failure.consumer, failure.event_id) for failure in due]
    for consumer, event_id in claimed:
        handler = handlers.get(consumer)
        async with db.sessionmaker() as session:
            row = await session.scalar(select(OutboxRow).where(OutboxRow.event_id == event_id))
        if handler is None or row is None:
            log.warning("retry_skipped", consumer=consumer, event_id=str(event_id), reason="gone")
            continue
        await deliver(db, handler, Event.from_row(row), policy)
    return len(claimed)


async def measure_lag(db: Database) -> tuple[int, float]:
    """How many events wait to be published, and how old the oldest is (seconds)."""
    async with db.sessionmaker() as session:
        count, oldest = (
            await session.execute(
                select(func.count(), func.min(OutboxRow.occurred_at)).where(OutboxRow.published_at.is_(None))
            )
        ).one()
    lag = max((utcnow() - oldest).total_seconds(), 0.0) if oldest is not None else 0.0
    OUTBOX_PENDING.set(count)
    OUTBOX_LAG.set(lag)
    return int(count), lag


class Wakeup:
    """Lets a commit that wrote events wake the relay at once instead of at its next poll."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def set(self) -> None:
        self._event.set()

    async def wait(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._event.wait()
        self._event.clear()
