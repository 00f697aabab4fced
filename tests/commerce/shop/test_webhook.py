"""The shop's purchase webhook, driven with real signed requests: a purchase is recorded once against its
click and announced through the outbox; every refusal is problem+json with a stable code and leaves
nothing behind."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from sqlalchemy import func, select

from athlos.commerce.shop import handlers, service
from athlos.commerce.shop.errors import DeliveryExpired, WebhookNotConfigured
from athlos.commerce.shop.models import GearOffer, ShopConversion
from athlos.commerce.shop.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature, signed_headers
from athlos.core.db import Database
from athlos.core.events import registry
from tests.activities.conftest import Person
from tests.commerce.helpers import SECRET, WEBHOOK, a_click, deliver, feed, import_feed, product, purchase
from tests.gamification.helpers import events


@pytest.fixture
async def click(db: Database, alice: Person) -> str:
    await import_feed(db, feed(product("kestrel-glide-1"), product("kestrel-glide-2")))
    return await a_click(db, alice.id, "kestrel-glide-2")


async def conversions(db: Database) -> int:
    async with db.sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(ShopConversion)) or 0


def assert_problem(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


async def test_a_signed_purchase_is_recorded_against_its_click_and_announced(
    client: httpx.AsyncClient, db: Database, bus, click: str, alice: Person
) -> None:
    response = await deliver(client, purchase(click))
    assert response.status_code == 201, response.text
    assert response.json()["order_id"] == "order-1"
    [event] = await events(db, "commerce.purchase_confirmed")
    assert event.payload["user_id"] == str(alice.id)
    assert event.payload["product_id"] == "kestrel-glide-2"
    assert event.payload["promotion"] == "spring"
    await bus.drain()
    async with db.sessionmaker() as session:
        offers = list(await session.scalars(select(GearOffer)))
    assert [(o.user_id, o.product_id, o.state) for o in offers] == [(alice.id, "kestrel-glide-2", "open")]
    # Delivered again (a lost acknowledgement): still one offer.
    handler = registry.get(f"{handlers.__name__}.offer_purchase_as_gear")
    assert handler is not None
    async with db.unit_of_work() as session:
        await handler.fn(session, event)
    async with db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(GearOffer)) == 1


async def test_a_delivery_without_a_signature_is_refused(
    client: httpx.AsyncClient, db: Database, click: str
) -> None:
    body = purchase(click)
    assert_problem(await client.post(WEBHOOK, content=body), 401, "shop_signature_missing")
    only_time = {TIMESTAMP_HEADER: str(int(time.time()))}
    assert_problem(await client.post(WEBHOOK, content=body, headers=only_time), 401, "shop_signature_missing")
    assert await conversions(db) == 0


async def test_a_wrong_signature_is_refused(client: httpx.AsyncClient, db: Database, click: str) -> None:
    body = purchase(click)
    assert_problem(await deliver(client, body, secret="not-the-shared-secret"), 401, "shop_signature_invalid")
    tampered = signed_headers(SECRET, int(time.time()), body)
    response = await client.post(WEBHOOK, content=body.replace(b"149.99", b"0.01"), headers=tampered)
    assert_problem(response, 401, "shop_signature_invalid")
    garbled = {**tampered, SIGNATURE_HEADER: "sha256=zz"}
    assert_problem(await client.post(WEBHOOK, content=body, headers=garbled), 401, "shop_signature_invalid")
    assert await conversions(db) == 0


async def test_a_delivery_older_or_newer_than_five_minutes_is_refused(
    client: httpx.AsyncClient, db: Database, click: str
) -> None:
    body = purchase(click)
    now = int(time.time())
    assert_problem(await deliver(client, body, at=now - 330), 401, "shop_delivery_expired")
    assert_problem(await deliver(client, body, at=now + 330), 401, "shop_delivery_expired")
    assert (await deliver(client, body, at=now - 200)).status_code == 201


async def test_a_replayed_delivery_is_refused(client: httpx.AsyncClient, db: Database, click: str) -> None:
    body = purchase(click)
    headers = signed_headers(SECRET, int(time.time()), body)
    assert (await client.post(WEBHOOK, content=body, headers=headers)).status_code == 201
    assert_problem(await client.post(WEBHOOK, content=body, headers=headers), 409, "shop_delivery_replayed")
    assert await conversions(db) == 1


async def test_the_same_order_twice_is_recorded_once(
    client: httpx.AsyncClient, db: Database, click: str
) -> None:
    first = await deliver(client, purchase(click), at=int(time.time()) - 1)
    again = await deliver(client, purchase(click))
    assert_problem(again, 409, "shop_order_already_recorded")
    assert again.json()["conversion_id"] == first.json()["conversion_id"]
    assert await conversions(db) == 1
    assert len(await events(db, "commerce.purchase_confirmed")) == 1


async def test_an_unknown_click_or_product_and_a_malformed_body_are_refused(
    client: httpx.AsyncClient, db: Database, click: str
) -> None:
    assert_problem(await deliver(client, purchase("no-such-click")), 422, "shop_unknown_click")
    assert_problem(
        await deliver(client, purchase(click, product_id="kestrel-nope")), 422, "shop_unknown_product"
    )
    malformed = await deliver(client, b'{"order_id": "o-2", "amount": "lots"}')
    assert_problem(malformed, 422, "shop_invalid_purchase")
    assert {e["field"] for e in malformed.json()["errors"]} >= {"click_id", "amount", "currency"}
    assert await conversions(db) == 0
    # A refusal kept nothing, not even the delivery: the shop may send it again once the click exists.
    assert (await deliver(client, purchase(click))).status_code == 201


def test_without_a_secret_every_delivery_is_refused() -> None:
    with pytest.raises(WebhookNotConfigured):
        service.verify_delivery("", "1", "sha256=00", b"{}", time.time())


async def test_two_deliveries_of_one_order_at_once_record_it_once(
    client: httpx.AsyncClient, db: Database, click: str
) -> None:
    now = int(time.time())
    answers = await asyncio.gather(*(deliver(client, purchase(click), at=now - n) for n in range(4)))
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"shop_order_already_recorded"}
    assert await conversions(db) == 1
    assert len(await events(db, "commerce.purchase_confirmed")) == 1


def test_the_five_minutes_are_counted_either_side_of_now() -> None:
    now = 1_800_000_000.0
    service.verify_delivery(
        SECRET, str(int(now) - 300), signature(SECRET, str(int(now) - 300), b"{}"), b"{}", now
    )
    for sent in (int(now) - 301, int(now) + 301):
        with pytest.raises(DeliveryExpired):
            service.verify_delivery(SECRET, str(sent), signature(SECRET, str(sent), b"{}"), b"{}", now)
