"""Scale-out: two ``athlos serve`` processes and one ``athlos worker`` sharing PostgreSQL, Redis, NATS."""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import nats
import nats.js.errors
import pytest
from sqlalchemy import select

from athlos.core.db import Database
from tests import servers
from tests.core.probe_handlers import create_probe_table, drop_probe_table, probe_effect
from tests.processes import AthlosProcess, free_port, wait_for_http
from tests.waiting import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.nats, pytest.mark.slow]

PASSWORD = "a long and unusual passphrase 42"


@pytest.fixture
async def cluster(
    database_url: str, redis_url: str, nats_url: str, db: Database, tmp_path: Path
) -> AsyncIterator[list[str]]:
    if not servers.uses_postgres():
        servers.missing_server("postgres")
    await create_probe_table(db)
    stream = f"athlos_scale_{os.getpid()}"
    shared = {
        "ATHLOS_DATABASE_URL": database_url,
        # The test run's own Redis database (ATHLOS_TEST_REDIS_URL), emptied before use.
        "ATHLOS_REDIS_URL": redis_url,
        "ATHLOS_NATS_URL": nats_url,
        "ATHLOS_NATS_STREAM": stream,
        "ATHLOS_SECRET_KEY": "scale-out-secret-key-shared-by-every-process",
        "ATHLOS_EXTRA_HANDLER_MODULES": json.dumps(["tests.core.probe_handlers"]),
        "ATHLOS_LOG_LEVEL": "warning",
        "ATHLOS_DATA_DIR": str(tmp_path / "var"),
    }
    import redis.asyncio

    client = redis.asyncio.Redis.from_url(shared["ATHLOS_REDIS_URL"])
    await client.flushdb()
    await client.aclose()
    processes: list[AthlosProcess] = []
    urls = []
    try:
        for name in ("web-a", "web-b"):
            port = free_port()
            env = {**shared, "ATHLOS_PORT": str(port)}
            processes.append(AthlosProcess(["serve"], env, tmp_path / f"{name}.log").start())
            urls.append(f"http://127.0.0.1:{port}")
        processes.append(AthlosProcess(["worker"], shared, tmp_path / "worker.log").start())
        for url, process in zip(urls, processes, strict=False):
            await wait_for_http(url, process)
        yield urls
    finally:
        for process in processes:
            process.stop()
        connection = await nats.connect(nats_url)
        with contextlib.suppress(nats.js.errors.NotFoundError):
            await connection.jetstream().delete_stream(stream)
        await connection.close()
        await drop_probe_table(db)


async def registrations_applied(db: Database, user_id: str) -> list[str]:
    async with db.sessionmaker() as session:
        return list(await session.scalars(select(probe_effect.c.key).where(probe_effect.c.key == user_id)))


async def test_two_web_processes_and_a_worker_share_data_events_and_limits(
    cluster: list[str], db: Database
) -> None:
    web_a, web_b = cluster
    email = f"runner-{uuid.uuid4().hex[:8]}@example.org"
    async with httpx.AsyncClient(timeout=30) as http:
        registered = await http.post(
            f"{web_a}/api/v1/auth/register",
            json={"email": email, "password": PASSWORD, "display_name": "Scale Runner"},
        )
        assert registered.status_code == 201, registered.text

        # The write through one process is readable through the other.
        login = await http.post(f"{web_b}/api/v1/auth/login", json={"email": email, "password": PASSWORD})
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        me = await http.get(f"{web_a}/api/v1/me", headers=headers)
        assert me.json()["email"] == email
        user_id = me.json()["id"]
        # The session's API quota is one budget for both processes.
        again = await http.get(f"{web_b}/api/v1/me", headers=headers)
        short_remaining = [int(r.headers["x-ratelimit-remaining"].split(",")[0]) for r in (me, again)]
        assert short_remaining[1] == short_remaining[0] - 1

        # The event raised through web A is handled by the worker, exactly once.
        await wait_until(
            lambda: registrations_applied(db, user_id), lambda keys: len(keys) >= 1, what="the worker"
        )

        # Failed logins through both processes count against one shared limit.
        statuses = []
        for attempt in range(7):
            target = web_a if attempt % 2 == 0 else web_b
            response = await http.post(
                f"{target}/api/v1/auth/login", json={"email": email, "password": "wrong password 123"}
            )
            statuses.append(response.status_code)
        assert statuses[:5] == [401] * 5
        assert statuses[5:] == [429, 429]
        for url in cluster:
            ready = (await http.get(f"{url}/readyz")).json()["checks"]
            assert ready == {"database": "ok", "redis": "ok", "nats": "ok"}
    assert await registrations_applied(db, user_id) == [user_id]
