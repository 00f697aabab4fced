"""The flusher writes what Redis acknowledged to the database, never lowers a seq, and leaves an update
that came in during its pass for the next one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import httpx
import pytest
from sqlalchemy import select

from athlos.app import create_app
from athlos.competitions.live.flusher import MANUAL, TASK, flush_once, stop_flusher, write_progress
from athlos.competitions.live.service import redis_progress
from athlos.competitions.models import LiveProgress
from athlos.core.db import Database
from athlos.core.runtime import Runtime
from tests import servers
from tests.competitions.live.conftest import live_app_for, redis_runtime
from tests.competitions.live.factories import enter, make_live_race
from tests.competitions.live.helpers import live_token, send
from tests.waiting import wait_until

pytestmark = pytest.mark.redis


@pytest.fixture
async def on_redis(runtime: Runtime) -> AsyncIterator[Runtime]:
    live = await redis_runtime(runtime, servers.require("redis"))
    yield live
    await stop_flusher(live)
    assert live.redis is not None
    await live.redis.aclose()


async def stored(db: Database) -> dict[str, tuple[int, float, float, float | None]]:
    async with db.sessionmaker() as session:
        rows = (await session.execute(select(LiveProgress))).scalars().all()
    return {str(r.registration_id): (r.seq, r.distance_m, r.elapsed_s, r.latitude) for r in rows}


async def test_the_flusher_writes_every_acknowledged_update(on_redis: Runtime, db: Database) -> None:
    store = redis_progress(on_redis)
    assert store is not None
    on_redis.extras[TASK] = MANUAL  # this test drives the passes itself
    race = await make_live_race(db)
    transport = httpx.ASGITransport(app=live_app_for(on_redis), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        entries, tokens = [], []
        for bib in range(1, 4):
            person, entry = await enter(db, race, bib=bib)
            entries.append(str(entry.id))
            tokens.append(await live_token(client, race.id, person.email))
        for seq in range(1, 4):
            for n, token in enumerate(tokens):
                await send(client, race.id, token, seq, seq * 100.0 + n, seq * 30.0, lat=52.5, lon=13.4)
        assert await stored(db) == {}
        assert await flush_once(on_redis, store) == 3
        assert await stored(db) == {entry: (3, 300.0 + n, 90.0, 52.5) for n, entry in enumerate(entries)}
        assert (await store.dirty(race.id, 0, 100))[1] == {}
        # Read for a pass, then a newer update arrives before the pass cleans up: it stays dirty.
        rows = await store.progress_of(race.id, entries[:1])
        await send(client, race.id, tokens[0], 4, 450.0, 120.0)
        await write_progress(on_redis, race.id, rows)
        await store.clean(race.id, {rows[0]["registration_id"]: rows[0]["seq"]})
        assert (await store.dirty(race.id, 0, 100))[1] == {entries[0]: 4}
        # An older state written late never lowers what the database holds.
        await flush_once(on_redis, store)
        await write_progress(on_redis, race.id, rows)
        assert (await stored(db))[entries[0]] == (4, 450.0, 120.0, None)


async def test_a_process_writes_what_another_acknowledged_without_a_new_update(
    on_redis: Runtime, db: Database
) -> None:
    """The process that took an update died before its flusher ran: a process that starts afterwards
    writes that progress from its own start, though no update ever reaches it."""
    on_redis.extras[TASK] = MANUAL  # the first process never flushes
    race = await make_live_race(db)
    transport = httpx.ASGITransport(app=live_app_for(on_redis), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        person, entry = await enter(db, race, bib=1)
        token = await live_token(client, race.id, person.email)
        await send(client, race.id, token, 1, 1234.5, 400.0)
    assert await stored(db) == {}

    second = create_app(on_redis.settings, run_event_bus=False)
    async with second.router.lifespan_context(second):
        assert isinstance(second.state.runtime.extras[TASK], asyncio.Task)
        written = await wait_until(stored_in(db), lambda rows: str(entry.id) in rows, what="the flush")
    assert written[str(entry.id)] == (1, 1234.5, 400.0, None)
    assert TASK not in second.state.runtime.extras  # stopped with the process


def stored_in(db: Database) -> Callable[[], Awaitable[dict[str, tuple[int, float, float, float | None]]]]:
    return lambda: stored(db)
