"""Writing acknowledged progress from Redis to ``competitions_live_progress`` in batches.

Each web process runs one flusher loop from its start (``background.py``; an update starts it too where
no lifespan ran, as in tests). A pass reads a batch of the race's dirty marks (registration → seq),
writes those participants' progress in one statement (an upsert that never lowers a seq), and then
removes each mark only if its seq is still the one written, so an update that came in meanwhile stays
dirty. Finishes whose Result could not be
written at once are written here too. Several processes' flushers may work the same race: the upsert
and the Result's primary key make a second write harmless, and a short per-race claim in Redis keeps
them from doing the same pass at the same time. A slow database slows only this loop; the
ingest answers from Redis all the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import UTC, datetime
from typing import Any, Final, cast

import structlog
from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from athlos.competitions.live.redis_store import RedisProgress
from athlos.competitions.live.service import record_finish, redis_progress
from athlos.competitions.models import LiveProgress, Registration
from athlos.core.runtime import Runtime

log = structlog.get_logger(__name__)

BATCH: Final = 2000
PAUSE_S: Final = 0.5
TASK: Final = "live_flusher"
MANUAL: Final = "manual"  # set as the task: no loop starts, the caller runs ``flush_once`` (tests)


def ensure_flusher(runtime: Runtime) -> None:
    """Start this process's flusher once (only with Redis: without it progress is written directly)."""
    if runtime.redis is None:
        return
    task = runtime.extras.get(TASK)
    if task == MANUAL or (isinstance(task, asyncio.Task) and not task.done()):
        return
    runtime.extras[TASK] = asyncio.get_running_loop().create_task(run(runtime), name="athlos-live-flusher")


async def stop_flusher(runtime: Runtime) -> None:
    task = runtime.extras.pop(TASK, None)
    if isinstance(task, asyncio.Task):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def run(runtime: Runtime, pause_s: float = PAUSE_S) -> None:
    store = redis_progress(runtime)
    assert store is not None
    cursors: dict[uuid.UUID, int] = {}
    while True:
        try:
            written = await flush_once(runtime, store, cursors)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("live_flush_failed")
            written = 0
        if written < BATCH:
            await asyncio.sleep(pause_s)


async def flush_once(
    runtime: Runtime, store: RedisProgress, cursors: dict[uuid.UUID, int] | None = None
) -> int:
    """One pass over every race with progress in Redis; the number of participants written."""
    cursors = {} if cursors is None else cursors
    written = 0
    for race_id in await store.races():
        async with store.flushing(race_id) as mine:
            if mine:
                written += await _flush_race(runtime, store, race_id, cursors)
    return written


async def _flush_race(
    runtime: Runtime, store: RedisProgress, race_id: uuid.UUID, cursors: dict[uuid.UUID, int]
) -> int:
    cursor, dirty = await store.dirty(race_id, cursors.get(race_id, 0), BATCH)
    cursors[race_id] = cursor
    written = 0
    if dirty:
        rows = await store.progress_of(race_id, list(dirty))
        try:
            await write_progress(runtime, race_id, rows)
        except IntegrityError:
            # An entry (or the race) was deleted meanwhile: write the others one by one.
            for row in rows:
                with contextlib.suppress(IntegrityError):
                    await write_progress(runtime, race_id, [row])
        await store.clean(race_id, {row["registration_id"]: row["seq"] for row in rows})
        written = len(rows)
    await _write_pending_finishes(runtime, store, race_id)
    return written


async def write_progress(runtime: Runtime, race_id: uuid.UUID, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    now = datetime.now(UTC)
    values = [
        {
            "registration_id": uuid.UUID(row["registration_id"]),
            "race_id": race_id,
            "seq": row["seq"],
            "distance_m": row["distance_m"],
            "elapsed_s": row["elapsed_s"],
            "latitude": row["lat"],
            "longitude": row["lon"],
            "updated_at": now,
        }
        for row in rows
    ]
    async with runtime.db.unit_of_work() as session:
        dialect = runtime.db.engine.dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        # One statement for every batch (compiled once), its rows sent as one executemany.
        statement = insert(cast(Table, LiveProgress.__table__))
        excluded = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=[LiveProgress.registration_id],
            set_={
                "seq": excluded.seq,
                "distance_m": excluded.distance_m,
                "elapsed_s": excluded.elapsed_s,
                "latitude": excluded.latitude,
                "longitude": excluded.longitude,
                "updated_at": excluded.updated_at,
            },
            where=LiveProgress.seq < excluded.seq,
        )
        await session.execute(statement, values)


async def _write_pending_finishes(runtime: Runtime, store: RedisProgress, race_id: uuid.UUID) -> None:
    for registration_id, elapsed_s in (await store.pending_finishes(race_id)).items():
        try:
            async with runtime.db.unit_of_work() as session:
                entry = await session.get(Registration, uuid.UUID(registration_id))
                if entry is not None:
                    await record_finish(session, race_id, entry.user_id, elapsed_s)
        except IntegrityError:
            pass  # another process wrote it meanwhile
        await store.finish_written(race_id, registration_id)
