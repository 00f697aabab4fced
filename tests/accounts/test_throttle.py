"""Password guessing: lockout per account and per IP, growing delays, one mail to the owner."""

from __future__ import annotations

import uuid

import httpx
import pytest

from athlos.accounts.errors import TooManyAttempts
from athlos.accounts.throttle import LoginThrottle, Subject, subjects
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.core.ratelimit import RateLimiter
from athlos.core.runtime import Runtime
from tests.accounts.conftest import Inbox
from tests.accounts.factories import DEFAULT_PASSWORD, make_user
from tests.accounts.helpers import login, mail_to


async def fail(client: httpx.AsyncClient, email: str, times: int) -> list[int]:
    return [(await login(client, email, "wrong guess!")).status_code for _ in range(times)]


async def test_five_failures_lock_the_account_even_for_the_right_password(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, smtp: Inbox
) -> None:
    await make_user(db, email="victim@example.org")
    assert await fail(client, "victim@example.org", 5) == [401] * 5
    locked = await login(client, "victim@example.org", DEFAULT_PASSWORD)
    assert locked.status_code == 429
    assert locked.headers["content-type"] == "application/problem+json"
    assert locked.json()["code"] == "too_many_attempts"
    assert 1 <= int(locked.headers["retry-after"]) <= 60
    assert "access_token" not in locked.json()

    await fail(client, "victim@example.org", 3)  # refused while locked, no further mail
    text = await mail_to(bus, smtp, "victim@example.org", "locked")
    assert "locked" in text


async def test_an_unknown_address_is_locked_the_same_way(
    client: httpx.AsyncClient, smtp: Inbox, bus: EmbeddedBus
) -> None:
    assert await fail(client, "ghost@example.org", 5) == [401] * 5
    locked = await login(client, "ghost@example.org", DEFAULT_PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["code"] == "too_many_attempts"
    await bus.drain()
    assert smtp.messages == []


async def test_each_lock_of_the_day_lasts_longer(runtime: Runtime) -> None:
    throttle = LoginThrottle(runtime.limiter)
    account = Subject("account", f"{uuid.uuid4()}@example.org", 5)
    lengths = []
    for _ in range(3):
        for _ in range(5):
            await throttle.failed(account)
        lengths.append(await throttle.lock_seconds_left(account))
        # The lock running out, without waiting for it.
        await runtime.limiter.storage.clear(account.key("lock"))
        assert await throttle.lock_seconds_left(account) == 0
    assert lengths[0] <= 60
    assert lengths[0] < lengths[1] < lengths[2]
    assert lengths[2] > 200


async def test_success_resets_the_count_of_failures(client: httpx.AsyncClient, db: Database) -> None:
    await make_user(db, email="typo@example.org")
    await fail(client, "typo@example.org", 4)
    assert (await login(client, "typo@example.org", DEFAULT_PASSWORD)).status_code == 200
    assert await fail(client, "typo@example.org", 4) == [401] * 4
    assert (await login(client, "typo@example.org", DEFAULT_PASSWORD)).status_code == 200


async def test_many_accounts_from_one_ip_lock_the_ip(client: httpx.AsyncClient, db: Database) -> None:
    await make_user(db, email="bystander@example.org")
    for n in range(5):
        assert await fail(client, f"spray{n}@example.org", 4) == [401] * 4  # under each account's limit
    # 20 failures from this address: the IP is locked, for every account.
    blocked = await login(client, "bystander@example.org", DEFAULT_PASSWORD)
    assert blocked.status_code == 429


@pytest.mark.redis
async def test_counters_are_shared_between_processes_through_redis(redis_url: str) -> None:
    namespace = f"athlos-test-{uuid.uuid4().hex}"
    one, two = (
        LoginThrottle(RateLimiter(redis_url, namespace)),
        LoginThrottle(RateLimiter(redis_url, namespace)),
    )
    account, ip = subjects("shared@example.org", "198.51.100.7")
    for throttle in (one, two, one, two):
        await throttle.failed(account, ip)
    assert await one.lock_seconds_left(account) == 0
    await two.failed(account, ip)  # the fifth, counted in the other process
    assert await one.lock_seconds_left(account) > 0
    with pytest.raises(TooManyAttempts):
        await one.check(account, ip)
