"""API quotas per client and class of request: headers counting down, 429 with Retry-After when spent,
per sign-in session or per IP, in memory for one process and in Redis for several."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from athlos.accounts.tokens import issue_access_token
from athlos.app import create_app
from athlos.core.breaker import BreakerState, local_circuit
from athlos.core.quota import STORAGE_CIRCUIT
from athlos.core.ratelimit import RateLimiter
from athlos.core.runtime import Runtime
from athlos.settings import Settings
from tests.processes import free_port

BUDGETS = {
    "rate_limit_read": "3 per 15 minutes; 5 per day",
    "rate_limit_write": "2 per 15 minutes; 10 per day",
    "rate_limit_upload": "1 per 15 minutes; 10 per day",
    "rate_limit_live": "2 per 15 minutes; 20 per day",
}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update=BUDGETS)


def counts(response: httpx.Response) -> tuple[str, str]:
    return response.headers["x-ratelimit-limit"], response.headers["x-ratelimit-remaining"]


def token_headers(settings: Settings) -> dict[str, str]:
    """A valid access token of a new sign-in session (the quota needs no row behind it)."""
    return {"Authorization": f"Bearer {issue_access_token(settings, uuid.uuid4(), uuid.uuid4())}"}


async def test_reads_count_down_to_a_429_with_retry_after(client: httpx.AsyncClient) -> None:
    seen = [counts(await client.get("/api/v1/me")) for _ in range(3)]
    assert seen == [("3,5", "2,4"), ("3,5", "1,3"), ("3,5", "0,2")]
    refused = await client.get("/api/v1/me")
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "rate_limited"
    assert refused.json()["quota"] == "read"
    assert 1 <= int(refused.headers["retry-after"]) <= 15 * 60
    # Refused by the short window, the request is not counted in the daily one.
    assert counts(refused) == ("3,5", "0,2")


async def test_reads_writes_and_uploads_have_budgets_of_their_own(client: httpx.AsyncClient) -> None:
    for _ in range(3):
        await client.get("/api/v1/me")
    assert (await client.get("/api/v1/me")).status_code == 429
    write = await client.post("/api/v1/activities", json={})
    assert write.status_code == 401
    assert counts(write) == ("2,10", "1,9")
    upload = await client.post("/api/v1/uploads", files={"file": ("a.gpx", b"<gpx/>")})
    assert upload.status_code != 429
    assert counts(upload) == ("1,10", "0,9")
    assert (await client.post("/api/v1/uploads", files={"file": ("a.gpx", b"<gpx/>")})).status_code == 429
    # The recorded points of a live recording spend the upload budget too, other writes do not.
    points = await client.post(f"/api/v1/recordings/{uuid.uuid4()}/points", json={"seq": 0, "points": []})
    assert points.status_code == 429
    assert counts(await client.post(f"/api/v1/recordings/{uuid.uuid4()}/finish", json={})) == ("2,10", "0,8")


async def test_live_progress_has_its_own_budget_per_live_token(client: httpx.AsyncClient) -> None:
    await client.post("/api/v1/uploads", files={"file": ("a.gpx", b"<gpx/>")})
    assert (await client.post("/api/v1/uploads", files={"file": ("a.gpx", b"<gpx/>")})).status_code == 429
    progress = f"/api/v1/races/{uuid.uuid4()}/live/progress"
    body = {"seq": 1, "distance_m": 10.0, "elapsed_s": 5.0}
    phone = {"Authorization": "Bearer lv_one"}
    # The IP's upload budget is spent; a phone's updates count against its live token's budget.
    seen = [counts(await client.post(progress, json=body, headers=phone)) for _ in range(2)]
    assert seen == [("2,20", "1,19"), ("2,20", "0,18")]
    refused = await client.post(progress, json=body, headers=phone)
    assert refused.status_code == 429
    assert refused.json()["quota"] == "live"
    # Another participant behind the same IP has the whole budget, and other writes theirs.
    other = await client.post(progress, json=body, headers={"Authorization": "Bearer lv_two"})
    assert other.status_code == 404
    assert counts(other) == ("2,20", "1,19")
    assert counts(await client.post("/api/v1/activities", json={})) == ("2,10", "1,9")


async def test_a_signed_in_session_has_its_own_budget_apart_from_its_ip(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings
) -> None:
    session = token_headers(settings)
    for _ in range(3):
        assert (await client.get("/api/v1/me", headers=session)).status_code != 429
    assert (await client.get("/api/v1/me", headers=session)).status_code == 429
    # The same IP without the token, and another session, still have their whole budgets.
    assert counts(await client.get("/api/v1/me")) == ("3,5", "2,4")
    assert counts(await client.get("/api/v1/me", headers=token_headers(settings))) == ("3,5", "2,4")
    # A token that is not authentic does not buy a budget of its own: it counts against the IP.
    forged = {"Authorization": "Bearer not-a-token"}
    assert counts(await client.get("/api/v1/me", headers=forged)) == ("3,5", "1,3")
    other_ip = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("203.0.113.7", 4242)), base_url="http://testserver"
    )
    async with other_ip:
        assert counts(await other_ip.get("/api/v1/me")) == ("3,5", "2,4")


async def test_pages_and_operations_are_outside_the_quota(client: httpx.AsyncClient) -> None:
    for _ in range(5):
        health = await client.get("/healthz")
        assert health.status_code == 200
        assert "x-ratelimit-limit" not in health.headers
    assert counts(await client.get("/api/v1/me")) == ("3,5", "2,4")


async def test_refusals_are_counted_by_class_on_metrics(client: httpx.AsyncClient) -> None:
    def refused_writes(text: str) -> float:
        line = next(
            (
                ln
                for ln in text.splitlines()
                if ln.startswith('athlos_rate_limit_refusals_total{quota="write"}')
            ),
            "x 0",
        )
        return float(line.split()[-1])

    before = refused_writes((await client.get("/metrics")).text)
    for _ in range(3):
        await client.post("/api/v1/activities", json={})
    assert refused_writes((await client.get("/metrics")).text) == before + 1


async def test_quotas_off_by_setting(runtime: Runtime) -> None:
    runtime.settings = runtime.settings.model_copy(update={"rate_limit_enabled": False})
    app = create_app(runtime.settings, run_event_bus=False)
    app.state.runtime = runtime
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        for _ in range(6):
            response = await client.get("/api/v1/me")
            assert response.status_code == 401
            assert "x-ratelimit-limit" not in response.headers


@pytest.fixture
async def shared_runtimes(settings: Settings, redis_url: str) -> AsyncIterator[list[Runtime]]:
    """Two runtimes, as two processes have them, counting in one Redis under a namespace of this test."""
    namespace = f"athlos-test-{uuid.uuid4().hex}"
    shared = settings.model_copy(update={"redis_url": redis_url})
    runtimes = [Runtime.create(shared), Runtime.create(shared)]
    for runtime in runtimes:
        runtime.limiter = RateLimiter(redis_url, namespace)
    try:
        yield runtimes
    finally:
        for runtime in runtimes:
            await runtime.close()


def client_of(runtime: Runtime) -> httpx.AsyncClient:
    app = create_app(runtime.settings, run_event_bus=False)
    app.state.runtime = runtime
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


@pytest.mark.redis
async def test_two_processes_share_one_budget_through_redis(
    shared_runtimes: list[Runtime], settings: Settings
) -> None:
    first, second = client_of(shared_runtimes[0]), client_of(shared_runtimes[1])
    session = token_headers(settings)
    async with first, second:
        assert counts(await first.get("/api/v1/me", headers=session)) == ("3,5", "2,4")
        assert counts(await second.get("/api/v1/me", headers=session)) == ("3,5", "1,3")
        assert counts(await first.get("/api/v1/me", headers=session)) == ("3,5", "0,2")
        refused = await second.get("/api/v1/me", headers=session)
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) >= 1
        # Writes and the anonymous IP keep their own counts in Redis as well.
        assert counts(await second.post("/api/v1/activities", json={}, headers=session)) == ("2,10", "1,9")
        assert counts(await first.get("/api/v1/me")) == ("3,5", "2,4")


async def test_the_api_keeps_serving_when_the_counters_are_unreachable(runtime: Runtime) -> None:
    runtime.limiter = RateLimiter(f"redis://127.0.0.1:{free_port()}/0")
    async with client_of(runtime) as client:
        for _ in range(5):
            response = await client.get("/api/v1/me")
            assert response.status_code == 401
            assert "x-ratelimit-limit" not in response.headers
    # After three failures in a row the storage's breaker spares requests the wait on it.
    storage = local_circuit(f"rate-limit-storage:{runtime.limiter.target}", STORAGE_CIRCUIT)
    assert await storage.state() == BreakerState.OPEN
