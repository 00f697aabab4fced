"""What the gateway adds to an API request, in one process. Prints one JSON document.

- ``spend_us``: one :meth:`ApiQuota.spend` (short and daily window, counted and read back), with the
  counters in memory and, when ``ATHLOS_REDIS_URL`` is set, in Redis;
- ``breaker_us``: one pass through a closed circuit breaker (admit and success), memory and Redis;
- ``redis_ping_us``: one round trip to Redis, as the yardstick of the Redis figures;
- ``request_us``: ``GET /api/v1/me`` without credentials (401) through the whole ASGI app, quotas off
  and on (memory), so the difference is the middleware's cost.

Run: ``ATHLOS_REDIS_URL=redis://127.0.0.1:6379/3 python bench/bench_quota.py [--calls 2000]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
from redis.asyncio import Redis

from athlos.app import create_app
from athlos.core.breaker import BreakerPolicy, CircuitBreaker, MemoryBreakerStore, RedisBreakerStore
from athlos.core.migrate import upgrade
from athlos.core.quota import ApiQuota, QuotaClass
from athlos.core.ratelimit import RateLimiter
from athlos.core.runtime import Runtime
from athlos.settings import Settings

GENEROUS = "100000000 per 15 minutes; 1000000000 per day"


async def per_call_us(calls: int, once: Callable[[], Awaitable[object]]) -> dict[str, float]:
    for _ in range(min(calls // 10, 200)):
        await once()
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        await once()
        samples.append((time.perf_counter() - started) * 1e6)
    samples.sort()
    return {
        "p50": round(statistics.median(samples), 1),
        "p95": round(samples[int(len(samples) * 0.95)], 1),
        "mean": round(statistics.fmean(samples), 1),
    }


async def spend(calls: int, limiter: RateLimiter) -> dict[str, float]:
    quota = ApiQuota.from_settings(
        Settings(rate_limit_read=GENEROUS, _env_file=None)  # type: ignore[call-arg]
    )
    client = f"bench:{uuid.uuid4().hex}"
    return await per_call_us(calls, lambda: quota.spend(limiter, QuotaClass.READ, client))


async def breaker(calls: int, breaker: CircuitBreaker) -> dict[str, float]:
    async def once() -> None:
        async with breaker:
            pass

    return await per_call_us(calls, once)


async def requests(calls: int, folder: Path, quotas: bool) -> dict[str, float]:
    url = f"sqlite+aiosqlite:///{folder / 'athlos.db'}"
    settings = Settings(
        database_url=url,
        data_dir=folder / "var",
        secret_key="bench-secret-key-that-is-long-enough-for-hmac",
        rate_limit_enabled=quotas,
        rate_limit_read=GENEROUS,
        log_level="warning",
        _env_file=None,  # type: ignore[call-arg]
    )
    runtime = Runtime.create(settings)
    app = create_app(settings, run_event_bus=False)
    app.state.runtime = runtime
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            return await per_call_us(calls, lambda: client.get("/api/v1/me"))
    finally:
        await runtime.close()


async def measure(calls: int, folder: Path) -> dict[str, object]:
    redis_url = os.environ.get("ATHLOS_REDIS_URL")
    policy = BreakerPolicy()
    spend_us = {"memory": await spend(calls, RateLimiter())}
    breaker_us = {"memory": await breaker(calls, CircuitBreaker("bench", MemoryBreakerStore(), policy))}
    report: dict[str, object] = {"calls": calls, "spend_us": spend_us, "breaker_us": breaker_us}
    if redis_url:
        namespace = f"athlos-bench-{uuid.uuid4().hex}"
        redis = Redis.from_url(redis_url)
        report["redis_ping_us"] = await per_call_us(calls, redis.ping)
        spend_us["redis"] = await spend(calls, RateLimiter(redis_url, namespace))
        store = RedisBreakerStore(redis, MemoryBreakerStore(), f"{namespace}:")
        breaker_us["redis"] = await breaker(calls, CircuitBreaker("bench", store, policy))
        await redis.aclose()
    report["request_us"] = {
        "quotas_off": await requests(calls, folder, quotas=False),
        "quotas_memory": await requests(calls, folder, quotas=True),
    }
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        upgrade(f"sqlite+aiosqlite:///{Path(folder) / 'athlos.db'}")
        print(json.dumps(asyncio.run(measure(args.calls, Path(folder))), indent=2))
