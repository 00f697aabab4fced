"""Circuit breakers against a local HTTP server that fails on purpose: they open after failures in a
row, fail fast without calling the server, half-open after the cool-down for one trial call, and close
on its success; in one process, and shared by processes through Redis."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from redis.asyncio import Redis

from athlos.core.breaker import (
    BreakerPolicy,
    BreakerState,
    BreakerStore,
    CircuitBreaker,
    CircuitOpen,
    MemoryBreakerStore,
    RedisBreakerStore,
    circuit,
)
from athlos.core.runtime import Runtime
from tests.failing_http import FailingServer, Mode, failing_server
from tests.waiting import wait_until

# A circuit that stays open for the whole test, however slow the machine, and one that cools down soon.
POLICY = BreakerPolicy(failure_threshold=3, cooldown_seconds=60, trial_seconds=10)
COOLING = BreakerPolicy(failure_threshold=3, cooldown_seconds=1, trial_seconds=10)


@pytest.fixture
async def server() -> AsyncIterator[FailingServer]:
    async with failing_server() as running:
        yield running


@pytest.fixture
async def stores(request: pytest.FixtureRequest) -> AsyncIterator[list[BreakerStore]]:
    """Two stores as two processes have them: one shared memory here, or two clients of one Redis."""
    if request.param == "memory":
        memory = MemoryBreakerStore()
        yield [memory, memory]
        return
    url = request.getfixturevalue("redis_url")
    prefix = f"athlos-test:{uuid.uuid4().hex}:"
    clients = [Redis.from_url(url), Redis.from_url(url)]
    yield [RedisBreakerStore(client, MemoryBreakerStore(), prefix) for client in clients]
    for client in clients:
        await client.aclose()


both = pytest.mark.parametrize(
    "stores", ["memory", pytest.param("redis", marks=pytest.mark.redis)], indirect=True
)


def breakers(
    stores: list[BreakerStore], policy: BreakerPolicy = POLICY
) -> tuple[CircuitBreaker, CircuitBreaker]:
    name = f"shop:{uuid.uuid4().hex[:8]}"
    first, second = stores
    return CircuitBreaker(name, first, policy), CircuitBreaker(name, second, policy)


async def call(breaker: CircuitBreaker, server: FailingServer, timeout: float = 5.0) -> httpx.Response:
    async with breaker, httpx.AsyncClient(timeout=timeout) as client:
        response = await client.get(server.url)
        response.raise_for_status()
        return response


async def open_it(breaker: CircuitBreaker, server: FailingServer) -> None:
    server.mode = "fail"
    for _ in range(POLICY.failure_threshold):
        with pytest.raises(httpx.HTTPStatusError):
            await call(breaker, server)
    assert await breaker.state() == BreakerState.OPEN


async def half_open(breaker: CircuitBreaker) -> None:
    await wait_until(
        breaker.state, lambda state: state == BreakerState.HALF_OPEN, timeout=10, what="half-open"
    )


@both
async def test_opens_after_failures_in_a_row_and_then_fails_fast(
    stores: list[BreakerStore], server: FailingServer
) -> None:
    breaker, _ = breakers(stores)
    server.mode = "fail"
    for _ in range(POLICY.failure_threshold - 1):
        with pytest.raises(httpx.HTTPStatusError):
            await call(breaker, server)
    assert await breaker.state() == BreakerState.CLOSED
    with pytest.raises(httpx.HTTPStatusError):
        await call(breaker, server)
    assert await breaker.state() == BreakerState.OPEN
    with pytest.raises(CircuitOpen) as refused:
        await call(breaker, server)
    assert server.requests == POLICY.failure_threshold  # the open circuit did not call the server
    assert refused.value.status == 503
    assert refused.value.code == "circuit_open"
    assert refused.value.headers["Retry-After"] == "60"


@both
async def test_a_success_between_failures_starts_the_count_again(
    stores: list[BreakerStore], server: FailingServer
) -> None:
    breaker, _ = breakers(stores)
    modes: list[Mode] = ["fail", "fail", "ok", "fail", "fail"]
    for mode in modes:
        server.mode = mode
        with contextlib.suppress(httpx.HTTPStatusError):
            await call(breaker, server)
    assert await breaker.state() == BreakerState.CLOSED


@both
async def test_half_open_lets_one_trial_through_and_its_success_closes(
    stores: list[BreakerStore], server: FailingServer
) -> None:
    breaker, other = breakers(stores, COOLING)
    await open_it(breaker, server)
    await wait_until(
        breaker.state, lambda state: state == BreakerState.HALF_OPEN, timeout=10, what="half-open"
    )
    server.mode = "hold"
    trial = asyncio.create_task(call(breaker, server))
    await wait_until(lambda: _value(server.requests), lambda seen: seen == 4, what="the trial call")
    # While the trial is under way every other caller still fails fast, without calling the server.
    with pytest.raises(CircuitOpen):
        await call(other, server)
    assert server.requests == 4
    server.release.set()
    assert (await trial).status_code == 200
    assert await breaker.state() == BreakerState.CLOSED
    assert (await call(other, server)).status_code == 200


@both
async def test_a_failed_trial_opens_it_again(stores: list[BreakerStore], server: FailingServer) -> None:
    breaker, _ = breakers(stores, COOLING)
    await open_it(breaker, server)
    await wait_until(
        breaker.state, lambda state: state == BreakerState.HALF_OPEN, timeout=10, what="half-open"
    )
    with pytest.raises(httpx.HTTPStatusError):
        await call(breaker, server)
    assert await breaker.state() == BreakerState.OPEN
    with pytest.raises(CircuitOpen):
        await call(breaker, server)
    assert server.requests == POLICY.failure_threshold + 1


@both
async def test_a_server_that_hangs_counts_as_failing(
    stores: list[BreakerStore], server: FailingServer
) -> None:
    breaker, _ = breakers(stores)
    server.mode = "hang"
    for _ in range(POLICY.failure_threshold):
        with pytest.raises(httpx.ReadTimeout):
            await call(breaker, server, timeout=0.2)
    with pytest.raises(CircuitOpen):
        await call(breaker, server, timeout=0.2)
    assert server.requests == POLICY.failure_threshold


@pytest.mark.redis
@pytest.mark.parametrize("stores", ["redis"], indirect=True)
async def test_processes_share_the_circuit_through_redis(
    stores: list[BreakerStore], server: FailingServer
) -> None:
    here, there = breakers(stores, COOLING)
    await open_it(here, server)
    # The other process has not called the dead server once, and does not start now.
    assert await there.state() == BreakerState.OPEN
    with pytest.raises(CircuitOpen):
        await call(there, server)
    assert server.requests == POLICY.failure_threshold
    server.mode = "ok"
    await half_open(there)
    assert (await call(there, server)).status_code == 200
    assert await here.state() == BreakerState.CLOSED


async def test_as_a_decorator_with_failures_of_its_choosing(server: FailingServer) -> None:
    # A 4xx answer says the server is up: it does not count against it.
    def server_in_trouble(exc: Exception) -> bool:
        return not isinstance(exc, httpx.HTTPStatusError) or exc.response.status_code >= 500

    breaker = CircuitBreaker(f"shop:{uuid.uuid4().hex[:8]}", MemoryBreakerStore(), POLICY, server_in_trouble)

    @breaker
    async def fetch(path: str) -> int:
        async with httpx.AsyncClient() as client:
            response = await client.get(server.url + path)
            if path == "/missing":
                raise httpx.HTTPStatusError(
                    "not found", request=response.request, response=httpx.Response(404)
                )
            response.raise_for_status()
            return response.status_code

    server.mode = "fail"
    for _ in range(POLICY.failure_threshold - 1):
        with pytest.raises(httpx.HTTPStatusError):
            await fetch("/")
    with pytest.raises(httpx.HTTPStatusError):
        await fetch("/missing")
    assert await breaker.state() == BreakerState.CLOSED  # the 404 answered: the count starts again
    for _ in range(POLICY.failure_threshold):
        with pytest.raises(httpx.HTTPStatusError):
            await fetch("/")
    with pytest.raises(CircuitOpen):
        await fetch("/")


async def test_readiness_does_not_depend_on_breakers_and_metrics_show_them(
    runtime: Runtime, client: httpx.AsyncClient, server: FailingServer
) -> None:
    settings = runtime.settings.model_copy(update={"breaker_failure_threshold": 1})
    breaker = circuit(settings, f"shop:{uuid.uuid4().hex[:8]}")
    server.mode = "fail"
    with pytest.raises(httpx.HTTPStatusError):
        await call(breaker, server)
    assert await breaker.state() == BreakerState.OPEN
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ok"
    metrics = (await client.get("/metrics")).text
    assert f'athlos_circuit_breaker_state{{service="{breaker.name}"}} 2.0' in metrics
    assert f'athlos_circuit_breaker_opened_total{{service="{breaker.name}"}} 1.0' in metrics


async def _value(value: int) -> int:
    return value
