"""Applying one event to one handler exactly once, and keeping the books on failures."""

from __future__ import annotations

import enum
import time
import traceback
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import structlog
from prometheus_client import Counter, Histogram
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.db import Database, utcnow
from athlos.core.events.models import HandlerFailure, ProcessedEvent
from athlos.core.events.outbox import Event
from athlos.core.events.processed import claim, clear_failures, release
from athlos.core.events.registry import Handler

log = structlog.get_logger(__name__)

HANDLER_FAILURES = Counter(
    "athlos_event_handler_failures_total", "Event deliveries that raised", ["consumer", "event_type"]
)
HANDLER_PARKED = Counter(
    "athlos_event_handler_parked_total", "Deliveries parked after their last attempt", ["consumer"]
)
DELIVERY_LATENCY = Histogram(
    "athlos_event_delivery_latency_seconds",
    "From an event's commit to its handler's commit",
    ["consumer"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)


# Longest a batch of deliveries keeps its transaction open before committing what it applied.
BATCH_SECONDS = 0.25


class Outcome(enum.Enum):
    APPLIED = "applied"
    ALREADY_APPLIED = "already_applied"
    RETRY = "retry"
    PARKED = "parked"


class Deferred(Exception):
    """Raised by a handler that should apply this event later, not now (quiet hours, a daily digest,
    a rate limit's ``retry_after``): nothing it did is kept, and the event comes back after
    ``seconds`` without counting as a failed attempt."""

    def __init__(self, seconds: float, reason: str = "") -> None:
        super().__init__(reason or f"deferred for {seconds:.0f}s")
        self.seconds = max(float(seconds), 0.0)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 8
    backoff_seconds: float = 2.0
    backoff_max_seconds: float = 600.0

    def delay(self, attempts: int) -> float:
        return min(self.backoff_seconds * 2 ** max(attempts - 1, 0), self.backoff_max_seconds)


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    outcome: Outcome
    retry_in: float = 0.0


async def deliver(db: Database, handler: Handler, event: Event, policy: RetryPolicy) -> DeliveryResult:
    """Run ``handler`` on ``event`` in one transaction that also records it as processed."""
    try:
        async with db.unit_of_work() as session:
            done = await session.get(ProcessedEvent, (handler.name, event.id))
            if done is not None:
                return DeliveryResult(Outcome.ALREADY_APPLIED)
            await handler.fn(session, event)
            session.add(ProcessedEvent(consumer=handler.name, event_id=event.id))
            await session.execute(
                delete(HandlerFailure).where(
                    HandlerFailure.consumer == handler.name, HandlerFailure.event_id == event.id
                )
            )
            await session.flush()
    except IntegrityError:
        # Another worker applied the same event at the same time; its effect stands, ours rolled back.
        async with db.sessionmaker() as session:
            if await session.get(ProcessedEvent, (handler.name, event.id)) is not None:
                return DeliveryResult(Outcome.ALREADY_APPLIED)
        return await _record_failure(db, handler, event, policy, traceback.format_exc())
    except Deferred as deferred:
        return await _record_deferral(db, handler, event, deferred)
    except Exception:
        return await _record_failure(db, handler, event, policy, traceback.format_exc())
    DELIVERY_LATENCY.labels(handler.name).observe(max((utcnow() - event.occurred_at).total_seconds(), 0.0))
    return DeliveryResult(Outcome.APPLIED)


async def deliver_batch(
    db: Database,
    handler: Handler,
    events: Sequence[Event],
    policy: RetryPolicy,
    *,
    max_seconds: float = BATCH_SECONDS,
) -> list[DeliveryResult]:
    """Run ``handler`` on ``events``, in their order, a few transactions for all; a result per event.

    The effects and processed-event records of consecutive events commit together (exactly once each,
    one commit for many): a transaction first claims its events (see ``processed.claim``), skipping
    those applied before, then runs the handler on the others. It takes events until ``max_seconds``
    have passed, so slow handlers keep transactions and locks short. If a handler raises, or the
    transaction fails, it rolls back and its events are delivered one by one, in order, as
    :func:`deliver` does. Effects outside the database (a mail sent) are at least once, as
    after any crash: an event before the failing one runs again.
    """
    results: list[DeliveryResult] = []
    while len(results) < len(events):
        results += await deliver_leading(db, handler, events[len(results) :], policy, max_seconds)
    return results


async def deliver_leading(
    db: Database, handler: Handler, events: Sequence[Event], policy: RetryPolicy, max_seconds: float
) -> list[DeliveryResult]:
    """Apply a leading run of ``events`` in one transaction (see :func:`deliver_batch`); the results of
    those it took, at least one."""
    if len(events) == 1:
        return [await deliver(db, handler, events[0], policy)]
    started = time.monotonic()
    outcomes: dict[uuid.UUID, Outcome] = {}
    taken: list[Event] = []
    try:
        async with db.unit_of_work() as session:
            claimed = await claim(session, handler.name, [event.id for event in events])
            for event in events:
                taken.append(event)
                if event.id in claimed.fresh and event.id not in outcomes:
                    await handler.fn(session, event)
                    outcomes[event.id] = Outcome.APPLIED
                else:
                    outcomes.setdefault(event.id, Outcome.ALREADY_APPLIED)
                if time.monotonic() - started > max_seconds:
                    break
            # Out of time: the events not taken go to the next transaction, unclaimed.
            await release(session, handler.name, claimed.fresh - outcomes.keys())
            await clear_failures(session, handler.name, claimed.failing & outcomes.keys())
    except Exception:
        log.info("event_batch_delivered_one_by_one", consumer=handler.name, events=len(taken))
        return [await deliver(db, handler, event, policy) for event in taken]
    now = utcnow()
    for event in taken:
        if outcomes[event.id] is Outcome.APPLIED:
            DELIVERY_LATENCY.labels(handler.name).observe(max((now - event.occurred_at).total_seconds(), 0))
    return [DeliveryResult(outcomes[event.id]) for event in taken]


async def _failure_of(session: AsyncSession, handler: Handler, event: Event) -> HandlerFailure:
    """The books on this handler's delivery of this event, locked, opened when there are none yet."""
    failure = await session.get(HandlerFailure, (handler.name, event.id), with_for_update=True)
    if failure is None:
        failure = HandlerFailure(consumer=handler.name, event_id=event.id, event_type=event.type, attempts=0)
        session.add(failure)
    return failure


async def _record_deferral(
    db: Database, handler: Handler, event: Event, deferred: Deferred
) -> DeliveryResult:
    """Book the event for another delivery after ``deferred.seconds``, its attempts unchanged."""
    async with db.unit_of_work() as session:
        failure = await _failure_of(session, handler, event)
        failure.last_error = f"deferred: {deferred}"
        failure.parked = False
        failure.next_attempt_at = utcnow() + timedelta(seconds=deferred.seconds)
    log.info("event_deferred", consumer=handler.name, event_id=str(event.id), seconds=deferred.seconds)
    return DeliveryResult(Outcome.RETRY, retry_in=deferred.seconds)


async def _record_failure(
    db: Database, handler: Handler, event: Event, policy: RetryPolicy, error: str
) -> DeliveryResult:
    HANDLER_FAILURES.labels(handler.name, event.type).inc()
    async with db.unit_of_work() as session:
        failure = await _failure_of(session, handler, event)
        failure.attempts += 1
        failure.last_error = error[-8000:]
        parked = failure.attempts >= policy.max_attempts
        failure.parked = parked
        delay = policy.delay(failure.attempts)
        failure.next_attempt_at = utcnow() + timedelta(seconds=delay)
        attempts = failure.attempts
    log.warning(
        "event_handler_failed",
        consumer=handler.name,
        event_id=str(event.id),
        event_type=event.type,
        attempts=attempts,
        parked=parked,
        error=error.strip().splitlines()[-1] if error.strip() else "",
    )
    if parked:
        HANDLER_PARKED.labels(handler.name).inc()
        return DeliveryResult(Outcome.PARKED)
    return DeliveryResult(Outcome.RETRY, retry_in=delay)


async def parked_failures(db: Database, limit: int = 100) -> list[HandlerFailure]:
    async with db.sessionmaker() as session:
        rows = await session.scalars(
            select(HandlerFailure)
            .where(HandlerFailure.parked.is_(True))
            .order_by(HandlerFailure.updated_at.desc())
            .limit(limit)
        )
        return list(rows)


async def unpark(db: Database, consumer: str | None = None, event_id: str | None = None) -> int:
    """Give parked deliveries a fresh set of attempts; the relay picks them up at once."""
    async with db.unit_of_work() as session:
        query = select(HandlerFailure).where(HandlerFailure.parked.is_(True))
        if consumer:
            query = query.where(HandlerFailure.consumer == consumer)
        if event_id:
            query = query.where(HandlerFailure.event_id == uuid.UUID(event_id))
        failures = list(await session.scalars(query))
        for failure in failures:
            failure.parked = False
            failure.attempts = 0
            failure.next_attempt_at = utcnow()
        return len(failures)
