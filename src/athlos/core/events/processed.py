"""The processed-event records of a batch, kept in a few set-based statements per transaction.

A batch *claims* its events first: the records of those this consumer has not applied yet are written
in the transaction that is about to apply them, so they commit (or roll back) with the effects. On
PostgreSQL the claim is one statement of fixed text whose ids travel as one array, so its prepared
statement serves every batch whatever its size; a claim that meets the uncommitted record of another
worker waits for it and then skips the event if that worker committed. Events are claimed in id order,
so two claims over the same events cannot deadlock.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, insert, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import Uuid

from athlos.core.events.models import PROCESSED, HandlerFailure

_CLAIM_ON_POSTGRES = text(
    """
    WITH claimed AS (
        INSERT INTO core_processed_event (consumer, event_id, processed_at)
        SELECT :consumer, id, clock_timestamp() FROM (SELECT DISTINCT unnest(:ids) AS id) AS ids
        ORDER BY id
        ON CONFLICT DO NOTHING
        RETURNING event_id
    )
    SELECT claimed.event_id, failure.event_id IS NOT NULL AS failing
    FROM claimed
    LEFT JOIN core_handler_failure AS failure
        ON failure.consumer = :consumer AND failure.event_id = claimed.event_id
    """
).bindparams(bindparam("ids", type_=ARRAY(Uuid())))


@dataclass(frozen=True, slots=True)
class Claim:
    """The events to apply now, and those of them with a failed delivery on record."""

    fresh: set[uuid.UUID]
    failing: set[uuid.UUID]


async def claim(session: AsyncSession, consumer: str, event_ids: Sequence[uuid.UUID]) -> Claim:
    """Record as processed by ``consumer`` the events it has not processed yet; returns them."""
    if session.get_bind().dialect.name == "postgresql":
        rows = await session.execute(_CLAIM_ON_POSTGRES, {"consumer": consumer, "ids": list(event_ids)})
        fresh: set[uuid.UUID] = set()
        failing: set[uuid.UUID] = set()
        for event_id, has_failed in rows:
            fresh.add(event_id)
            if has_failed:
                failing.add(event_id)
        return Claim(fresh, failing)
    # One writer at a time (SQLite): look, then write.
    done = set(
        await session.scalars(
            select(PROCESSED.c.event_id).where(
                PROCESSED.c.consumer == consumer, PROCESSED.c.event_id.in_(event_ids)
            )
        )
    )
    new = sorted(set(event_ids) - done)
    if not new:
        return Claim(set(), set())
    await session.execute(insert(PROCESSED), [{"consumer": consumer, "event_id": i} for i in new])
    failing = set(
        await session.scalars(
            select(HandlerFailure.event_id).where(
                HandlerFailure.consumer == consumer, HandlerFailure.event_id.in_(new)
            )
        )
    )
    return Claim(set(new), failing)


async def release(session: AsyncSession, consumer: str, event_ids: Collection[uuid.UUID]) -> None:
    """Withdraw claims this transaction made for events it will not apply after all."""
    if event_ids:
        await session.execute(
            delete(PROCESSED).where(PROCESSED.c.consumer == consumer, PROCESSED.c.event_id.in_(event_ids))
        )


async def clear_failures(session: AsyncSession, consumer: str, event_ids: Collection[uuid.UUID]) -> None:
    """Forget the failed deliveries of events now applied."""
    if event_ids:
        await session.execute(
            delete(HandlerFailure).where(
                HandlerFailure.consumer == consumer, HandlerFailure.event_id.in_(event_ids)
            )
        )
