"""A real ``athlos serve`` with Redis pushes a leaderboard over server-sent events when progress comes in."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from athlos.core.db import Database
from tests import servers
from tests.competitions.live.factories import enter, make_live_race
from tests.competitions.live.helpers import live_token, send

pytestmark = [pytest.mark.redis, pytest.mark.slow]


@pytest.fixture
def live_server_env(redis_url: str) -> dict[str, str]:
    del redis_url
    return {"ATHLOS_REDIS_URL": servers.require("redis"), "ATHLOS_RATE_LIMIT_ENABLED": "false"}


async def boards(response: httpx.Response) -> Any:
    event = ""
    async for line in response.aiter_lines():
        if line.startswith("event:"):
            event = line.removeprefix("event:").strip()
        elif line.startswith("data:") and event == "board":
            yield json.loads(line.removeprefix("data:"))


async def test_a_spectator_stream_shows_an_update_as_it_comes(live_server: str, db: Database) -> None:
    import redis.asyncio

    client = redis.asyncio.Redis.from_url(servers.require("redis"))
    await client.flushdb()
    await client.aclose()
    race = await make_live_race(db)
    person, _ = await enter(db, race, name="Runner One")
    async with (
        httpx.AsyncClient(base_url=live_server, timeout=30) as phone,
        httpx.AsyncClient(base_url=live_server, timeout=30) as spectator,
    ):
        token = await live_token(phone, race.id, person.email)
        async with spectator.stream("GET", f"/api/v1/races/{race.id}/live/stream") as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            seen = boards(response)
            first = await anext(seen)
            assert first["top"] == []
            assert (await send(phone, race.id, token, 1, 1200.0, 360.0)).json()["accepted"] is True
            board = await anext(seen)
            assert [(e["name"], e["distance_m"]) for e in board["top"]] == [("Runner One", 1200.0)]
            assert board["version"] == 1
