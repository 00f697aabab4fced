"""The production bus on PostgreSQL + NATS JetStream, with a real ``athlos worker`` process."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import nats
import nats.js.errors
import pytest
from sqlalchemy import func, select

from athlos.core.db import Database
from athlos.core.events import emit
from athlos.core.events.delivery import parked_failures
from athlos.core.events.models import OutboxRow, ProcessedEvent
from tests import servers
from tests.core.probe_handlers import create_probe_table, drop_probe_table, emit_then_roll_back, probe_effect
from tests.processes import AthlosProcess
from tests.waiting import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.nats, pytest.mark.slow]

EVENTS = 1500


@pytest.fixture
def stream() -> str:
    return f"athlos_test_{os.getpid()}"


@pytest.fixture
async def jetstream(nats_url: str, stream: str) -> AsyncIterator[None]:
    yield
    connection = await nats.connect(nats_url)
    with contextlib.suppress(nats.js.errors.NotFoundError):
        await connection.jetstream().delete_stream(stream)
    await connection.close()


@pytest.fixture
def worker_env(database_url: str, nats_url: str, stream: str) -> dict[str, str]:
    if not servers.uses_postgres():
        servers.missing_server("postgres")
    return {
        "ATHLOS_DATABASE_URL": database_url,
        "ATHLOS_NATS_URL": nats_url,
        "ATHLOS_NATS_STREAM": stream,
        "ATHLOS_NATS_ACK_WAIT_SECONDS": "2",
        "ATHLOS_OUTBOX_POLL_SECONDS": "0.05",
        "ATHLOS_EXTRA_HANDLER_MODULES": json.dumps(["tests.core.probe_handlers"]),
        "ATHLOS_LOG_LEVEL": "warning",
    }


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[list[AthlosProcess]]:
    started: list[AthlosProcess] = []
    yield started
    for process in started:
        process.kill()


@pytest.fixture
async def probe_table(db: Database) -> AsyncIterator[None]:
    await create_probe_table(db)
    yield
    await drop_probe_table(db)


async def applied(db: Database) -> tuple[int, int]:
    """(effect rows, distinct events among them)."""
    async with db.sessionmaker() as session:
        row = (
            await session.execute(
                select(func.count(), func.count(func.distinct(probe_effect.c.event_id))).select_from(
                    probe_effect
                )
            )
        ).one()
    return int(row[0]), int(row[1])


async def unpublished(db: Database) -> int:
    async with db.sessionmaker() as session:
        count = await session.scalar(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.published_at.is_(None))
        )
    return int(count or 0)


async def consumer_settled(nats_url: str, stream: str) -> bool:
    """Whether the handler's durable consumer has nothing pending or unacknowledged."""
    connection = await nats.connect(nats_url)
    try:
        info = await connection.jetstream().consumer_info(
            stream, "tests_core_probe_handlers_record_counted--probe_counted"
        )
        return info.num_pending == 0 and info.num_ack_pending == 0
    finally:
        await connection.close()


async def assert_each_applied_once(db: Database, nats_url: str, stream: str, events: int) -> None:
    """Waits until all ``events`` are relayed, applied and acknowledged; each must have one effect."""
    await wait_until(
        lambda: applied(db), lambda c: c[1] == events, timeout=180, what="every event to be applied"
    )
    await wait_until(lambda: unpublished(db), lambda n: n == 0, what="the outbox to be relayed")
    await wait_until(lambda: consumer_settled(nats_url, stream), what="acks")
    assert await applied(db) == (events, events)
    async with db.sessionmaker() as session:
        processed = await session.scalar(
            select(func.count()).select_from(ProcessedEvent).where(ProcessedEvent.consumer.like("tests.%"))
        )
    assert processed == events


@pytest.mark.usefixtures("probe_table", "jetstream")
async def test_worker_killed_mid_batch_loses_nothing_and_applies_nothing_twice(
    db: Database, worker_env: dict[str, str], workers: list[AthlosProcess], tmp_path: Path, nats_url: str
) -> None:
    async with db.unit_of_work() as session:
        for n in range(EVENTS):
            emit(session, "probe.counted", f"event-{n}", {"work_seconds": 0.002})

    first = AthlosProcess(["worker"], worker_env, tmp_path / "worker-1.log").start()
    workers.append(first)
    await wait_until(lambda: applied(db), lambda c: c[0] >= 100, timeout=90, what="the first applications")
    first.kill()
    rows_at_kill, _ = await applied(db)
    assert rows_at_kill < EVENTS, "the worker finished before it could be killed mid-batch"

    second = AthlosProcess(["worker"], worker_env, tmp_path / "worker-2.log").start()
    workers.append(second)
    await assert_each_applied_once(db, nats_url, worker_env["ATHLOS_NATS_STREAM"], EVENTS)
    second.assert_running()


async def workers_applying(db: Database) -> set[int]:
    async with db.sessionmaker() as session:
        return set(await session.scalars(select(probe_effect.c.worker).distinct()))


@pytest.mark.usefixtures("probe_table", "jetstream")
async def test_two_workers_share_a_consumer_and_one_killed_mid_stream_applies_nothing_twice(
    db: Database, worker_env: dict[str, str], workers: list[AthlosProcess], tmp_path: Path, nats_url: str
) -> None:
    events = 3000
    async with db.unit_of_work() as session:
        for n in range(events):
            emit(session, "probe.counted", f"shared-{n}", {"work_seconds": 0.01})
    doomed, survivor = (
        AthlosProcess(["worker"], worker_env, tmp_path / f"worker-{name}.log").start()
        for name in ("doomed", "survivor")
    )
    workers += [doomed, survivor]
    both = {doomed.pid, survivor.pid}
    # Both processes pull from the one durable consumer of the handler and apply a share of it.
    await wait_until(lambda: workers_applying(db), lambda pids: pids == both, timeout=90, what="both")
    doomed.kill()
    rows_at_kill, _ = await applied(db)
    assert rows_at_kill < events, "the events were all applied before a worker could be killed"

    # What the killed worker held unacknowledged comes back to the survivor, which skips what was
    # applied already: every event has exactly one effect.
    await assert_each_applied_once(db, nats_url, worker_env["ATHLOS_NATS_STREAM"], events)
    survivor.assert_running()


@pytest.mark.usefixtures("probe_table", "jetstream")
async def test_rolled_back_events_never_reach_nats(
    db: Database, worker_env: dict[str, str], workers: list[AthlosProcess], tmp_path: Path
) -> None:
    with pytest.raises(RuntimeError, match="abandon"):
        await emit_then_roll_back(db, "rolled-back")
    async with db.unit_of_work() as session:
        emit(session, "probe.counted", "committed", {})
    workers.append(AthlosProcess(["worker"], worker_env, tmp_path / "worker.log").start())
    await wait_until(lambda: applied(db), lambda c: c[0] >= 1, what="the committed event")
    async with db.sessionmaker() as session:
        keys = list(await session.scalars(select(probe_effect.c.key)))
    assert keys == ["committed"]


@pytest.mark.usefixtures("jetstream")
async def test_failing_handler_is_retried_then_parked_by_the_worker(
    db: Database, worker_env: dict[str, str], workers: list[AthlosProcess], tmp_path: Path
) -> None:
    async with db.unit_of_work() as session:
        event = emit(session, "probe.failing", "doomed-on-nats", {})
    env = {**worker_env, "ATHLOS_HANDLER_MAX_ATTEMPTS": "3", "ATHLOS_HANDLER_BACKOFF_SECONDS": "0.05"}
    workers.append(AthlosProcess(["worker"], env, tmp_path / "worker.log").start())

    async def parked() -> list[tuple[str, int]]:
        return [(str(f.event_id), f.attempts) for f in await parked_failures(db)]

    assert await wait_until(parked, what="the failing delivery to be parked") == [(str(event.id), 3)]


@pytest.mark.usefixtures("jetstream")
async def test_the_worker_lowers_its_cpu_priority_below_the_web_processes(
    worker_env: dict[str, str], workers: list[AthlosProcess], tmp_path: Path
) -> None:
    worker = AthlosProcess(["worker"], {**worker_env, "ATHLOS_WORKER_NICE": "7"}, tmp_path / "worker.log")
    workers.append(worker.start())
    expected = min(os.getpriority(os.PRIO_PROCESS, 0) + 7, 19)

    async def niceness() -> int:
        return os.getpriority(os.PRIO_PROCESS, worker.pid)

    await wait_until(niceness, lambda nice: nice == expected, what="the worker to lower its priority")
