"""The live path runs on Redis when it is configured and on the database without it: tests that hold for
both ask for ``live_runtime`` (parametrized ``database`` / ``redis``) and its ``live_client``."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import httpx
import pytest
import redis.asyncio
from fastapi import FastAPI

from athlos.app import create_app
from athlos.competitions.live.flusher import stop_flusher
from athlos.core.runtime import Runtime
from tests import servers


async def redis_runtime(runtime: Runtime, url: str) -> Runtime:
    client = redis.asyncio.Redis.from_url(url)
    await client.flushdb()
    settings = runtime.settings.model_copy(update={"redis_url": url})
    return dataclasses.replace(runtime, settings=settings, redis=client, extras={})


@pytest.fixture(params=["database", pytest.param("redis", marks=pytest.mark.redis)])
async def live_runtime(request: pytest.FixtureRequest, runtime: Runtime) -> AsyncIterator[Runtime]:
    if request.param == "database":
        yield runtime
        return
    live = await redis_runtime(runtime, servers.require("redis"))
    try:
        yield live
    finally:
        await stop_flusher(live)
        assert live.redis is not None
        await live.redis.aclose()


def live_app_for(live_runtime: Runtime) -> FastAPI:
    settings = live_runtime.settings.model_copy(update={"rate_limit_enabled": False})
    application = create_app(settings, run_event_bus=False)
    application.state.runtime = live_runtime
    return application


@pytest.fixture
def live_app(live_runtime: Runtime) -> FastAPI:
    return live_app_for(live_runtime)


@pytest.fixture
async def live_client(live_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=live_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
