"""The bell's live count: server-sent events from a real server, within one process and across two
through Redis."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import redis.asyncio

from athlos.core.db import Database
from tests import servers
from tests.accounts.factories import auth_headers, make_user
from tests.accounts.test_pages import sign_in
from tests.notifications.helpers import raise_event
from tests.processes import AthlosProcess, free_port, wait_for_http

SECRET = "test-secret-key-that-is-long-enough-for-hmac"


class UnreadStream:
    """The ``unread`` events of one open stream, read as they come."""

    def __init__(self, response: httpx.Response) -> None:
        self.lines = response.aiter_lines()

    async def next_count(self) -> int:
        event = ""
        async for line in self.lines:
            if line.startswith("event:"):
                event = line.removeprefix("event:").strip()
            elif line.startswith("data:") and event == "unread":
                count: int = json.loads(line.removeprefix("data:"))["count"]
                return count
        raise AssertionError("the stream ended")


async def open_stream(client: httpx.AsyncClient) -> AsyncIterator[UnreadStream]:
    async with client.stream("GET", "/notifications/stream") as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        yield UnreadStream(response)


async def test_the_count_changes_live_in_one_process(live_server: str, db: Database) -> None:
    fan, owner = await make_user(db, display_name="Fan"), await make_user(db)
    async with httpx.AsyncClient(base_url=live_server, timeout=30) as client:
        assert (await client.get("/notifications/stream")).status_code == 401
        await sign_in(client, owner.email)
        async for stream in open_stream(client):
            assert await stream.next_count() == 0
            await raise_event(db, "social.followed", {"actor_id": str(fan.id), "user_id": str(owner.id)})
            assert await stream.next_count() == 1
            page = await client.get("/notifications")
            assert "Fan started following you" in page.text
            token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
            marked = await client.post(
                "/notifications/read", data={"csrf_token": token}, follow_redirects=True
            )
            assert marked.status_code == 200
            assert "All notifications are marked as read." in marked.text
            assert await stream.next_count() == 0
            break


@pytest.fixture
async def two_web_processes(database_url: str, redis_url: str, tmp_path: Path) -> AsyncIterator[list[str]]:
    """Two ``athlos serve`` processes on this run's database, sharing the test's Redis database."""
    if not servers.uses_postgres():
        servers.missing_server("postgres")
    shared_redis = redis_url
    client = redis.asyncio.Redis.from_url(shared_redis)
    await client.flushdb()
    await client.aclose()
    processes, urls = [], []
    try:
        for name in ("web-a", "web-b"):
            port = free_port()
            env = {
                "ATHLOS_DATABASE_URL": database_url,
                "ATHLOS_REDIS_URL": shared_redis,
                "ATHLOS_SECRET_KEY": SECRET,
                "ATHLOS_PORT": str(port),
                "ATHLOS_LOG_LEVEL": "warning",
                "ATHLOS_OUTBOX_POLL_SECONDS": "0.05",
                "ATHLOS_DATA_DIR": str(tmp_path / name),
            }
            processes.append(AthlosProcess(["serve"], env, tmp_path / f"{name}.log").start())
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            await wait_for_http(url, process)
        yield urls
    finally:
        for process in processes:
            process.stop()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
async def test_the_count_changes_live_across_web_processes_through_redis(
    two_web_processes: list[str], db: Database
) -> None:
    web_a, web_b = two_web_processes
    fan, owner = await make_user(db, display_name="Fan"), await make_user(db)
    async with (
        httpx.AsyncClient(base_url=web_a, timeout=30) as page_client,
        httpx.AsyncClient(base_url=web_b, timeout=30) as api_client,
    ):
        await sign_in(page_client, owner.email)
        headers = await auth_headers(api_client, owner.email)
        async for stream in open_stream(page_client):
            assert await stream.next_count() == 0
            await raise_event(db, "social.followed", {"actor_id": str(fan.id), "user_id": str(owner.id)})
            assert await stream.next_count() == 1
            # Read through the other process: its commit reaches this stream only through Redis.
            read = await api_client.post("/api/v1/me/notifications/read", json={"all": True}, headers=headers)
            assert read.json() == {"marked": 1, "count": 0}
            assert await stream.next_count() == 0
            break
