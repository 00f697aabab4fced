"""Fixtures of the leaderboards tests: people, runs uploaded from GPX files, and the two stores."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from redis.asyncio import Redis

from athlos.gamification.leaderboards import handlers
from athlos.gamification.leaderboards.redis_store import PREFIX
from tests import servers
from tests.activities.conftest import Person, alice, bob, browser_of
from tests.gamification.challenges.conftest import ran
from tests.gamification.fair_play.conftest import staff

__all__ = ["alice", "bob", "browser_of", "ran", "staff"]  # signed-in people and page clients of other tests


async def board(client: httpx.AsyncClient, person: Person, **query: Any) -> dict[str, Any]:
    response = await client.get("/api/v1/leaderboards", params=query, headers=person.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def ranks(entries: list[dict[str, Any]]) -> list[tuple[int, str | None, float]]:
    return [(e["rank"], e["display_name"], round(e["value"], -2)) for e in entries]


async def forget_boards(redis: Redis) -> None:
    async for key in redis.scan_iter(match=f"{PREFIX}:*"):
        await redis.delete(key)


@pytest.fixture
async def boards_redis(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Redis]:
    """A real Redis for the boards' projection, emptied of boards before and after; the handlers write
    into it."""
    url = servers.require("redis")
    monkeypatch.setattr(handlers, "redis_url", lambda: url)
    redis = Redis.from_url(url)
    await forget_boards(redis)
    yield redis
    await forget_boards(redis)
    await redis.aclose()
