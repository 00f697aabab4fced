"""The outbox and the embedded bus: delivery on commit only, once per handler, retries, parking."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from athlos.core.db import Database
from athlos.core.events import Event, Handler, emit, registry
from athlos.core.events.delivery import Outcome, RetryPolicy, deliver, deliver_batch, parked_failures, unpark
from athlos.core.events.embedded import EmbeddedBus
from athlos.core.events.models import HandlerFailure, OutboxRow, ProcessedEvent
from athlos.core.testing.events import capture_events
from tests.core.probe_handlers import (
    always_fail,
    create_probe_table,
    drop_probe_table,
    emit_then_roll_back,
    probe_effect,
    record_counted,
    record_effect,
)


@pytest.fixture
async def probe_table(db: Database) -> AsyncIterator[None]:
    await create_probe_table(db)
    yield
    await drop_probe_table(db)


async def effects(db: Database) -> list[tuple[str, str]]:
    async with db.sessionmaker() as session:
        rows = await session.execute(select(probe_effect.c.event_id, probe_effect.c.key))
        return [(str(event_id), key) for event_id, key in rows]


def handler_of(fn: object) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"  # type: ignore[attr-defined]


@pytest.mark.usefixtures("probe_table")
async def test_committed_event_is_delivered_once(db: Database, bus: EmbeddedBus) -> None:
    async with db.unit_of_work() as session:
        event = emit(session, "probe.counted", "k1", {})
    await bus.drain()
    await bus.drain()
    assert await effects(db) == [(str(event.id), "k1")]
    async with db.sessionmaker() as session:
        published = await session.scalar(select(OutboxRow.published_at).where(OutboxRow.event_id == event.id))
    assert published is not None


@pytest.mark.usefixtures("probe_table")
async def test_rolled_back_transaction_publishes_nothing(db: Database, bus: EmbeddedBus) -> None:
    with pytest.raises(RuntimeError, match="abandon"):
        await emit_then_roll_back(db, "never")
    await bus.drain()
    assert await effects(db) == []
    async with db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(OutboxRow)) == 0


@pytest.mark.usefixtures("probe_table")
async def test_redelivered_event_is_applied_once(db: Database) -> None:
    """A relay that crashed after publishing republishes: the handler must not apply it again."""
    async with db.unit_of_work() as session:
        event = emit(session, "probe.counted", "twice", {})
    handler = registry.get(handler_of(record_counted))
    assert handler is not None
    policy = RetryPolicy()
    first = await deliver(db, handler, event, policy)
    again = await deliver(db, handler, event, policy)
    assert (first.outcome, again.outcome) == (Outcome.APPLIED, Outcome.ALREADY_APPLIED)
    concurrent = await asyncio.gather(*(deliver(db, handler, event, policy) for _ in range(3)))
    assert {result.outcome for result in concurrent} == {Outcome.ALREADY_APPLIED}
    assert len(await effects(db)) == 1


@pytest.mark.usefixtures("probe_table")
async def test_concurrent_first_deliveries_apply_once(db: Database) -> None:
    async with db.unit_of_work() as session:
        event = emit(session, "probe.counted", "race", {})
    handler = registry.get(handler_of(record_counted))
    assert handler is not None
    results = await asyncio.gather(*(deliver(db, handler, event, RetryPolicy()) for _ in range(4)))
    assert sorted(result.outcome.value for result in results).count(Outcome.APPLIED.value) == 1
    assert len(await effects(db)) == 1


async def test_failing_handler_is_retried_with_backoff_then_parked(db: Database) -> None:
    policy = RetryPolicy(max_attempts=4, backoff_seconds=0.0)
    bus = EmbeddedBus(db, registry, policy)
    async with db.unit_of_work() as session:
        event = emit(session, "probe.failing", "doomed", {})
    await bus.drain()
    parked = await parked_failures(db)
    assert [(p.consumer, p.event_id, p.attempts) for p in parked] == [(handler_of(always_fail), event.id, 4)]
    assert "probe handler refuses doomed" in parked[0].last_error

    assert await unpark(db, consumer=handler_of(always_fail)) == 1
    await bus.drain()
    assert (await parked_failures(db))[0].attempts == 4


def test_backoff_grows_exponentially_up_to_a_ceiling() -> None:
    policy = RetryPolicy(max_attempts=10, backoff_seconds=2, backoff_max_seconds=60)
    assert [policy.delay(n) for n in range(1, 7)] == [2, 4, 8, 16, 32, 60]


async def test_failure_waits_for_its_backoff(db: Database) -> None:
    bus = EmbeddedBus(db, registry, RetryPolicy(max_attempts=5, backoff_seconds=3600))
    async with db.unit_of_work() as session:
        emit(session, "probe.failing", "patient", {})
    await bus.drain()
    async with db.sessionmaker() as session:
        failure = await session.scalar(select(HandlerFailure))
    assert failure is not None
    assert (failure.attempts, failure.parked) == (1, False)


async def test_operators_see_parked_deliveries_through_the_cli(db: Database, database_url: str) -> None:
    bus = EmbeddedBus(db, registry, RetryPolicy(max_attempts=2, backoff_seconds=0.0))
    async with db.unit_of_work() as session:
        event = emit(session, "probe.failing", "for-operators", {})
    await bus.drain()
    env = {**os.environ, "ATHLOS_DATABASE_URL": database_url}
    listed = subprocess.run(
        [sys.executable, "-m", "athlos", "events", "parked"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["event_id"], r["attempts"], r["event_type"]) for r in rows] == [
        (str(event.id), 2, "probe.failing")
    ]
    retried = subprocess.run(
        [sys.executable, "-m", "athlos", "events", "retry", "--event-id", str(event.id)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert retried.stdout.startswith("1 ")
    assert await parked_failures(db) == []


async def test_capture_events_sees_what_a_service_wrote(db: Database) -> None:
    async with db.unit_of_work() as session, capture_events(session) as captured:
        emit(session, "probe.counted", "a", {"n": 1})
        emit(session, "probe.counted", "b", {"n": 2})
    assert captured.types == ["probe.counted", "probe.counted"]
    assert [e.payload["n"] for e in captured.of_type("probe.counted")] == [1, 2]


async def record_or_refuse(session: AsyncSession, event: Event) -> None:
    """Writes its effect; an event asking to be refused writes part of one and then raises."""
    await record_effect(session, event)
    if event.payload.get("refuse"):
        raise RuntimeError(f"refused {event.key}")


BATCH_HANDLER = Handler(
    name="tests.core.test_events.record_or_refuse", event_types=("probe.batch",), fn=record_or_refuse
)


async def effect_keys(db: Database) -> list[str]:
    async with db.sessionmaker() as session:
        return list(await session.scalars(select(probe_effect.c.key).order_by(probe_effect.c.id)))


@pytest.mark.usefixtures("probe_table")
async def test_a_batch_is_applied_in_order_once_with_its_records(db: Database) -> None:
    events = [Event(type="probe.batch", key=f"{key}-{n}", payload={}) for n in range(3) for key in "ab"]
    results = await deliver_batch(db, BATCH_HANDLER, events, RetryPolicy())
    assert [r.outcome for r in results] == [Outcome.APPLIED] * 6
    assert await effect_keys(db) == ["a-0", "b-0", "a-1", "b-1", "a-2", "b-2"]
    again = await deliver_batch(db, BATCH_HANDLER, [*events[:2], events[0]], RetryPolicy())
    assert [r.outcome for r in again] == [Outcome.ALREADY_APPLIED] * 3
    async with db.sessionmaker() as session:
        recorded = await session.scalar(
            select(func.count())
            .select_from(ProcessedEvent)
            .where(ProcessedEvent.consumer == BATCH_HANDLER.name)
        )
    assert recorded == 6
    assert len(await effect_keys(db)) == 6


@pytest.mark.usefixtures("probe_table")
async def test_a_refused_event_leaves_the_rest_of_its_batch_applied_and_goes_to_retry(db: Database) -> None:
    first, refused, last = (
        Event(type="probe.batch", key=key, payload={"refuse": key == "refused"})
        for key in ("first", "refused", "last")
    )
    duplicate = Event(type="probe.batch", key="first", payload={}, id=first.id)
    results = await deliver_batch(db, BATCH_HANDLER, [first, refused, duplicate, last], RetryPolicy())
    assert [r.outcome for r in results] == [
        Outcome.APPLIED,
        Outcome.RETRY,
        Outcome.ALREADY_APPLIED,
        Outcome.APPLIED,
    ]
    assert await effect_keys(db) == ["first", "last"]  # nothing of the refused one, nothing twice
    async with db.sessionmaker() as session:
        failures = list(await session.scalars(select(HandlerFailure)))
    assert [(f.consumer, f.event_id, f.attempts) for f in failures] == [(BATCH_HANDLER.name, refused.id, 1)]


@pytest.mark.usefixtures("probe_table")
async def test_a_long_batch_commits_in_several_short_transactions(db: Database) -> None:
    events = [Event(type="probe.batch", key=f"k-{n}", payload={}) for n in range(5)]
    results = await deliver_batch(db, BATCH_HANDLER, events, RetryPolicy(), max_seconds=0.0)
    assert [r.outcome for r in results] == [Outcome.APPLIED] * 5
    assert await effect_keys(db) == [f"k-{n}" for n in range(5)]


@pytest.mark.usefixtures("probe_table")
async def test_batches_racing_over_the_same_events_apply_each_once(db: Database) -> None:
    events = [Event(type="probe.batch", key=f"race-{n}", payload={}) for n in range(20)]
    # Three deliveries at once, as when a message comes back to another worker while the first runs.
    races = await asyncio.gather(
        *(deliver_batch(db, BATCH_HANDLER, order, RetryPolicy()) for order in (events, events[::-1], events))
    )
    applied = [r.outcome for results in races for r in results].count(Outcome.APPLIED)
    assert applied == len(events)
    assert sorted(await effect_keys(db)) == sorted(event.key for event in events)
