"""Rate limits: counted in memory in one process, in Redis when several processes share them."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request

from athlos.core.deps import LimiterDep
from athlos.core.errors import RateLimited
from athlos.core.ratelimit import RateLimiter


async def test_memory_limit_refuses_over_the_limit_with_retry_after() -> None:
    limiter = RateLimiter()
    for _ in range(3):
        await limiter.hit("3/minute", "login", "ip-1")
    with pytest.raises(RateLimited) as refused:
        await limiter.hit("3/minute", "login", "ip-1")
    assert 1 <= int(refused.value.headers["Retry-After"]) <= 60
    await limiter.hit("3/minute", "login", "ip-2")  # other identities keep their own count


@pytest.mark.redis
async def test_redis_limit_is_shared_between_limiters(redis_url: str) -> None:
    namespace = f"athlos-test-{uuid.uuid4().hex}"
    first, second = RateLimiter(redis_url, namespace), RateLimiter(redis_url, namespace)
    await first.hit("2/minute", "export", "user-1")
    await second.hit("2/minute", "export", "user-1")
    with pytest.raises(RateLimited):
        await first.hit("2/minute", "export", "user-1")
    assert await second.check_storage()
    await first.clear("2/minute", "export", "user-1")
    await second.hit("2/minute", "export", "user-1")


async def test_429_is_a_problem_with_retry_after(app: FastAPI, client: httpx.AsyncClient) -> None:
    router = APIRouter()

    @router.post("/api/v1/probe/limited")
    async def limited(request: Request, limiter: LimiterDep) -> dict[str, bool]:
        await limiter.hit("1/minute", "probe", request.client.host if request.client else "?")
        return {"ok": True}

    app.include_router(router)
    assert (await client.post("/api/v1/probe/limited")).status_code == 200
    refused = await client.post("/api/v1/probe/limited")
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "rate_limited"
    assert int(refused.headers["retry-after"]) >= 1
