"""Web Push: subscriptions per device, pushes encrypted for them and read back with the device's key,
gone subscriptions deleted, busy push services waited for, quiet hours and the hourly cap kept."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from athlos.accounts.models import User
from athlos.core.db import Database, utcnow
from athlos.core.events.embedded import EmbeddedBus
from athlos.core.events.models import HandlerFailure
from athlos.notifications.models import Delivery, PushSubscription
from tests.accounts.conftest import Inbox
from tests.accounts.factories import auth_headers, make_user
from tests.accounts.helpers import mail_to, token_in
from tests.notifications.helpers import follow
from tests.notifications.push_service import Device, PushService, push_service


@pytest.fixture
async def pushes() -> AsyncIterator[PushService]:
    async with push_service() as service:
        yield service


async def subscribe(client: httpx.AsyncClient, user: User, device: Device) -> dict[str, str]:
    headers = {
        **await auth_headers(client, user.email),
        "User-Agent": "Mozilla/5.0 (X11; Linux) Chrome/131.0",
    }
    response = await client.post("/api/v1/me/push-subscriptions", json=device.subscription(), headers=headers)
    assert response.status_code == 201, response.text
    return headers


async def statuses(db: Database) -> list[tuple[str, str]]:
    async with db.sessionmaker() as session:
        return [tuple(row) for row in await session.execute(select(Delivery.status, Delivery.detail))]  # type: ignore[misc]


async def test_a_push_reaches_the_device_encrypted_for_it(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, pushes: PushService
) -> None:
    ada, owner = await make_user(db, display_name="Ada"), await make_user(db)
    phone = pushes.device("phone")
    headers = await subscribe(client, owner, phone)
    [listed] = (await client.get("/api/v1/me/push-subscriptions", headers=headers)).json()
    assert listed["device"] == "Chrome · Linux"

    await follow(db, bus, ada, owner)

    [push] = pushes.received
    assert push.path == "/push/phone"
    assert push.headers["Content-Encoding"] == "aes128gcm"
    assert push.headers["Authorization"].startswith("vapid t=")
    message = phone.decrypt(push.body)
    assert message["title"] == "Ada started following you"
    assert message["url"].startswith("/notifications/")
    assert await statuses(db) == [("sent", "")]


async def test_a_forgotten_subscription_is_deleted(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, pushes: PushService
) -> None:
    ada, owner = await make_user(db), await make_user(db)
    await subscribe(client, owner, pushes.device("old"))
    pushes.answers = [(410, {})]
    await follow(db, bus, ada, owner)
    async with db.sessionmaker() as session:
        assert list(await session.scalars(select(PushSubscription))) == []
    assert await statuses(db) == [("suppressed", "every device is gone")]


async def test_a_failing_push_service_is_tried_again(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, pushes: PushService
) -> None:
    ada, owner = await make_user(db), await make_user(db)
    laptop = pushes.device("laptop")
    await subscribe(client, owner, laptop)
    pushes.answers = [(503, {})]
    await follow(db, bus, ada, owner)  # the test's backoff is zero: the retry comes in the same drain
    assert len(pushes.received) == 2
    assert laptop.decrypt(pushes.received[1].body)["title"].endswith("started following you")
    assert await statuses(db) == [("sent", "")]


async def test_a_busy_push_service_is_waited_for(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, pushes: PushService
) -> None:
    ada, owner = await make_user(db), await make_user(db)
    await subscribe(client, owner, pushes.device("tablet"))
    pushes.answers = [(429, {"Retry-After": "120"})]
    await follow(db, bus, ada, owner)
    async with db.sessionmaker() as session:
        [waiting] = list(await session.scalars(select(HandlerFailure)))
    assert waiting.attempts == 0  # waiting is not failing
    assert timedelta(seconds=100) < waiting.next_attempt_at - utcnow() <= timedelta(seconds=120)
    assert await statuses(db) == [("queued", "")]


async def test_quiet_hours_hold_pushes_and_the_cap_stops_them(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, pushes: PushService
) -> None:
    owner = await make_user(db)
    headers = await subscribe(client, owner, pushes.device("phone"))
    now = utcnow()  # the profile's time zone is UTC: quiet from an hour ago until an hour from now
    quiet = {
        "start": f"{(now - timedelta(hours=1)).hour:02d}:00",
        "end": f"{(now + timedelta(hours=1)).hour:02d}:00",
    }
    await client.put(
        "/api/v1/me/notification-settings", json={"quiet_hours": quiet, "pushes_per_hour": 1}, headers=headers
    )
    await follow(db, bus, await make_user(db), owner)
    assert pushes.received == []
    async with db.sessionmaker() as session:
        [held] = list(await session.scalars(select(HandlerFailure)))
    assert held.last_error.startswith("deferred: quiet hours")

    await client.put(
        "/api/v1/me/notification-settings", json={"quiet_hours": None, "pushes_per_hour": 1}, headers=headers
    )
    async with db.unit_of_work() as session:
        held_row = await session.get(HandlerFailure, (held.consumer, held.event_id))
        assert held_row is not None
        held_row.next_attempt_at = utcnow()  # the quiet hours are over
    await bus.drain()
    assert len(pushes.received) == 1
    await follow(db, bus, await make_user(db), owner)
    assert len(pushes.received) == 1
    assert sorted(await statuses(db)) == [("sent", ""), ("suppressed", "over the hourly cap")]


async def test_devices_are_removed_one_by_one_and_all_on_a_password_change(
    client: httpx.AsyncClient, db: Database, bus: EmbeddedBus, pushes: PushService, smtp: Inbox
) -> None:
    owner = await make_user(db)
    headers = await subscribe(client, owner, pushes.device("phone"))
    [device] = (await client.get("/api/v1/me/push-subscriptions", headers=headers)).json()
    removed = await client.delete(f"/api/v1/me/push-subscriptions/{device['id']}", headers=headers)
    assert removed.status_code == 204
    assert (await client.get("/api/v1/me/push-subscriptions", headers=headers)).json() == []

    await subscribe(client, owner, pushes.device("phone"))
    await subscribe(client, owner, pushes.device("laptop"))
    await client.post("/api/v1/auth/password-reset", json={"email": owner.email})
    text = await mail_to(bus, smtp, owner.email, "Reset your Athlos password")
    changed = await client.post(
        "/api/v1/auth/password-reset/confirm",
        json={"token": token_in(text), "new_password": "another long passphrase 7"},
    )
    assert changed.status_code == 204
    await bus.drain()
    async with db.sessionmaker() as session:
        assert list(await session.scalars(select(PushSubscription))) == []
