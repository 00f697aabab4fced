"""Outbox relay throughput to NATS JetStream and end-to-end event latency, on PostgreSQL.

For each size N the outbox is filled with N committed events, then the workers are started; we measure
how fast the relay publishes them (events/s) and, per event, the time from its commit to its handler's
commit (p50/p95). Prints one JSON document.

``--layout split`` (the default, as ``docs/deploy.md`` runs them) starts a relay process (``athlos
worker --no-consume``) and a consumer process (``athlos worker --no-relay``), so that neither waits on
the other's share of one event loop; ``--layout combined`` starts one ``athlos worker`` doing both.

Needs ATHLOS_BENCH_DATABASE_URL (default: a fresh database on the local PostgreSQL) and
ATHLOS_BENCH_NATS_URL (default nats://127.0.0.1:4222). ``--sizes 1000,10000,100000``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from asyncio.subprocess import Process
from pathlib import Path
from typing import Final

import asyncpg
import nats
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.outbox_handlers import applied, bench_metadata  # noqa: E402

from athlos.core.db import Database  # noqa: E402
from athlos.core.events import emit  # noqa: E402
from athlos.core.events.models import OutboxRow  # noqa: E402
from athlos.core.migrate import upgrade  # noqa: E402

HANDLER_MODULE = "bench.outbox_handlers"


async def admin(url: str, statement: str) -> None:
    target = make_url(url).set(drivername="postgresql", database="postgres")
    connection = await asyncpg.connect(target.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def worker_env(url: str, nats_url: str, stream: str) -> dict[str, str]:
    return {
        **os.environ,
        # This checkout's sources, not whichever copy of athlos the environment has installed.
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), str(REPO)]),
        "ATHLOS_DATABASE_URL": url,
        "ATHLOS_NATS_URL": nats_url,
        "ATHLOS_NATS_STREAM": stream,
        "ATHLOS_EXTRA_HANDLER_MODULES": json.dumps([HANDLER_MODULE]),
        "ATHLOS_LOG_LEVEL": "warning",
    }


async def clean_up(db: Database, nats_url: str, stream: str) -> None:
    connection = await nats.connect(nats_url)
    await connection.jetstream().delete_stream(stream)
    await connection.close()
    async with db.engine.begin() as conn:
        await conn.run_sync(bench_metadata.drop_all)
    await db.dispose()


WORKER_ROLES: Final = {
    "split": {"relay": ["--no-consume"], "consume": ["--no-relay"]},
    "combined": {"worker": []},
}


async def start_workers(env: dict[str, str], layout: str, logs: Path) -> dict[str, Process]:
    """The worker processes of ``layout`` by role, each logging to ``logs/<role>.log``."""
    workers = {}
    for role, flags in WORKER_ROLES[layout].items():
        with (logs / f"{role}.log").open("wb") as log:  # the child keeps its own copy of the file
            command = [sys.executable, "-m", "athlos", "worker", *flags]
            workers[role] = await asyncio.create_subprocess_exec(
                *command, env=env, stdout=log, stderr=subprocess.STDOUT
            )
    return workers


def check_running(workers: dict[str, Process], logs: Path) -> None:
    for role, worker in workers.items():
        if worker.returncode is not None:
            raise RuntimeError(f"{role} exited: {(logs / f'{role}.log').read_text()[-2000:]}")


async def stop_workers(workers: dict[str, Process]) -> None:
    for worker in workers.values():
        if worker.returncode is None:
            worker.terminate()
    for worker in workers.values():
        await asyncio.wait_for(worker.wait(), 30)


def workers_cpu_seconds(workers: dict[str, Process]) -> float:
    return sum(cpu_seconds(worker.pid) or 0.0 for worker in workers.values())


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a running process (Linux), steadier than wall time on a shared machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run_size(url: str, nats_url: str, size: int, layout: str, log_dir: Path) -> dict[str, object]:
    db = Database(url)
    async with db.engine.begin() as connection:
        await connection.run_sync(bench_metadata.drop_all)
        await connection.run_sync(bench_metadata.create_all)
        await connection.exec_driver_sql("TRUNCATE core_outbox, core_processed_event, core_handler_failure")
    stream = f"athlos_bench_{os.getpid()}_{size}"
    chunk = 5000
    for start in range(0, size, chunk):
        async with db.unit_of_work() as session:
            for n in range(start, min(start + chunk, size)):
                emit(session, "bench.ping", str(n), {"n": n})
    env = worker_env(url, nats_url, stream)
    logs = log_dir / f"backlog-{size}"
    logs.mkdir()
    started = time.perf_counter()
    workers = await start_workers(env, layout, logs)
    relayed_at = applied_at = None
    cpu_at_start = worker_cpu = None
    try:
        while applied_at is None:
            async with db.sessionmaker() as session:
                pending = await session.scalar(
                    select(func.count()).select_from(OutboxRow).where(OutboxRow.published_at.is_(None))
                )
                done = await session.scalar(select(func.count()).select_from(applied))
            now = time.perf_counter()
            if cpu_at_start is None and pending < size:
                cpu_at_start = workers_cpu_seconds(workers)  # start-up is over, the work has begun
            if relayed_at is None and pending == 0:
                relayed_at = now
            if done == size:
                applied_at = now
                worker_cpu = workers_cpu_seconds(workers) - (cpu_at_start or 0.0)
            check_running(workers, logs)
            await asyncio.sleep(0.05)
    finally:
        await stop_workers(workers)
    async with db.sessionmaker() as session:
        first_published = await session.scalar(select(func.min(OutboxRow.published_at)))
        last_published = await session.scalar(select(func.max(OutboxRow.published_at)))
        first_applied, last_applied = (
            await session.execute(select(func.min(applied.c.applied_at), func.max(applied.c.applied_at)))
        ).one()
        latencies = [
            (row.applied_at - row.occurred_at).total_seconds() * 1000
            for row in await session.execute(select(applied.c.occurred_at, applied.c.applied_at))
        ]
        # Latency measured from publication, not from the bulk insert before the workers existed.
        published = {
            row.event_id: row.published_at
            for row in await session.execute(select(OutboxRow.event_id, OutboxRow.published_at))
        }
        from_publish = [
            (row.applied_at - published[row.event_id]).total_seconds() * 1000
            for row in await session.execute(select(applied.c.event_id, applied.c.applied_at))
        ]
    await clean_up(db, nats_url, stream)
    relay_seconds = (last_published - first_published).total_seconds() if first_published else 0.0
    return {
        "events": size,
        "relay_events_per_s": round(size / relay_seconds, 1) if relay_seconds else None,
        "wall_until_all_relayed_s": round((relayed_at or started) - started, 3),
        "wall_until_all_applied_s": round(applied_at - started, 3),
        "applied_per_s": round(size / (applied_at - started), 1),
        # From the first handler commit to the last: the workers' rate, without their start-up.
        "apply_events_per_s": round(size / max((last_applied - first_applied).total_seconds(), 1e-3), 1),
        # The workers' CPU time (relay and handlers, after start-up) per event, steadier under load.
        "worker_cpu_ms_per_event": round(1000 * worker_cpu / size, 4) if worker_cpu else None,
        "publish_to_applied_ms": {
            "p50": round(statistics.median(from_publish), 2),
            "p95": round(percentile(from_publish, 0.95), 2),
        },
        "backlog_commit_to_applied_ms": {
            "p50": round(statistics.median(latencies), 2),
            "p95": round(percentile(latencies, 0.95), 2),
        },
    }


async def steady_latency(
    url: str, nats_url: str, count: int, layout: str, log_dir: Path
) -> dict[str, object]:
    """Latency with running workers: events committed one by one at a modest rate (100/s at most)."""
    db = Database(url)
    async with db.engine.begin() as connection:
        await connection.run_sync(bench_metadata.drop_all)
        await connection.run_sync(bench_metadata.create_all)
    stream = f"athlos_bench_{os.getpid()}_steady"
    env = worker_env(url, nats_url, stream)
    logs = log_dir / "steady"
    logs.mkdir()
    workers = await start_workers(env, layout, logs)
    try:
        # Steady state starts once the workers run: one warm-up event, applied, before measuring.
        async with db.unit_of_work() as session:
            warm_up = emit(session, "bench.ping", "steady-warm-up", {"n": -1}).id
        await wait_applied(db, 1, workers, logs)
        measured = []
        for n in range(count):
            async with db.unit_of_work() as session:
                measured.append(emit(session, "bench.ping", f"steady-{n}", {"n": n}).id)
            await asyncio.sleep(0.01)
        await wait_applied(db, count + 1, workers, logs)
        async with db.sessionmaker() as session:
            latencies = [
                (row.applied_at - row.occurred_at).total_seconds() * 1000
                for row in await session.execute(
                    select(applied.c.occurred_at, applied.c.applied_at).where(applied.c.event_id != warm_up)
                )
            ]
        assert len(latencies) == len(measured)
    finally:
        await stop_workers(workers)
    await clean_up(db, nats_url, stream)
    return {
        "events": count,
        "commit_to_applied_ms": {
            "p50": round(statistics.median(latencies), 2),
            "p95": round(percentile(latencies, 0.95), 2),
        },
    }


async def wait_applied(db: Database, count: int, workers: dict[str, Process], logs: Path) -> None:
    while True:
        async with db.sessionmaker() as session:
            done = await session.scalar(select(func.count()).select_from(applied))
        if done == count:
            return
        check_running(workers, logs)
        await asyncio.sleep(0.01)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--steady", type=int, default=500, help="events for the steady-state latency run")
    parser.add_argument("--layout", choices=sorted(WORKER_ROLES), default="split", help="worker processes")
    args = parser.parse_args()
    nats_url = os.environ.get("ATHLOS_BENCH_NATS_URL", "nats://127.0.0.1:4222")
    base = os.environ.get(
        "ATHLOS_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    )
    name = f"athlos_bench_{os.getpid()}"
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    await admin(url, f'CREATE DATABASE "{name}"')
    try:
        await asyncio.to_thread(upgrade, url)
        with tempfile.TemporaryDirectory() as logs:
            runs = [
                await run_size(url, nats_url, int(size), args.layout, Path(logs))
                for size in args.sizes.split(",")
            ]
            steady = await steady_latency(url, nats_url, args.steady, args.layout, Path(logs))
    finally:
        await admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(
        json.dumps(
            {
                "benchmark": "outbox_relay_nats",
                "cpu_count": os.cpu_count(),
                "worker_processes": list(WORKER_ROLES[args.layout]),
                "backlog": runs,
                "steady": steady,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
