"""``/api/v1/me/loyalty`` and its transfers for the person; corrections for staff only."""

from __future__ import annotations

import uuid

import httpx

from athlos.accounts.staff.service import grant_area
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification.loyalty import service
from tests.analytics.conftest import headers_of, new_person
from tests.gamification.loyalty.helpers import assert_books_balance, funded
from tests.notifications.helpers import inbox


async def staff_headers(db: Database, bus: EmbeddedBus, client: httpx.AsyncClient) -> dict[str, str]:
    staff = await new_person(db, bus)
    async with db.unit_of_work() as session:
        await grant_area(session, staff, "loyalty")
    return await headers_of(db, client, staff)


async def test_balance_reserved_and_transfers_page_by_page(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus)
    headers = await headers_of(db, client, me)
    assert (await client.get("/api/v1/me/loyalty", headers=headers)).json() == {"balance": 0, "reserved": 0}
    empty = (await client.get("/api/v1/me/loyalty/transfers", headers=headers)).json()
    assert empty == {"items": [], "next_cursor": None}
    await funded(db, me, 100)
    async with db.unit_of_work() as session:
        await service.spend(session, me, 30, "fee:race-1")
        await service.reserve(session, me, 20, "order-7")
    assert (await client.get("/api/v1/me/loyalty", headers=headers)).json() == {"balance": 50, "reserved": 20}
    first = (await client.get("/api/v1/me/loyalty/transfers?limit=2", headers=headers)).json()
    assert [(i["amount"], i["reason"]) for i in first["items"]] == [(-20, "reserved"), (-30, "spent")]
    assert first["items"][0]["reservation_id"] == "order-7"
    rest = (
        await client.get(
            f"/api/v1/me/loyalty/transfers?limit=2&cursor={first['next_cursor']}", headers=headers
        )
    ).json()
    assert [(i["amount"], i["reason"]) for i in rest["items"]] == [(100, "points_awarded")]
    assert rest["next_cursor"] is None
    bad = await client.get("/api/v1/me/loyalty/transfers?cursor=WyJ4Il0", headers=headers)
    assert (bad.status_code, bad.json()["code"]) == (422, "invalid_cursor")
    assert (await client.get("/api/v1/me/loyalty")).status_code == 401


async def test_credits_and_spends_reach_the_inbox(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus)
    await funded(db, me, 40)
    async with db.unit_of_work() as session:
        await service.spend(session, me, 15, "fee:1")
    await bus.drain()
    titles = [item["title"] for item in (await inbox(client, await headers_of(db, client, me)))["items"]]
    assert titles == ["You spent 15 loyalty points", "40 loyalty points were credited to you"]


async def test_staff_correct_a_balance_once_per_id(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient
) -> None:
    person = await new_person(db, bus)
    await funded(db, person, 10)
    staff = await staff_headers(db, bus, client)
    url = "/api/v1/staff/loyalty/corrections"
    body = {"user_id": str(person), "amount": -4, "transfer_id": "ticket-12", "note": "Counted twice"}
    made = await client.post(url, json=body, headers=staff)
    assert made.status_code == 201, made.text
    assert (made.json()["amount"], made.json()["reason"]) == (-4, "correction")
    again = await client.post(url, json=body, headers=staff)
    assert again.json() == made.json()
    other = await client.post(url, json={**body, "amount": -5}, headers=staff)
    assert (other.status_code, other.json()["code"]) == (409, "loyalty_transfer_id_conflict")
    assert other.headers["content-type"].startswith("application/problem+json")
    too_much = await client.post(url, json={**body, "amount": -7, "transfer_id": "ticket-13"}, headers=staff)
    assert (too_much.status_code, too_much.json()["code"]) == (409, "loyalty_balance_insufficient")
    nobody = await client.post(url, json={**body, "user_id": str(uuid.uuid4())}, headers=staff)
    assert (nobody.status_code, nobody.json()["code"]) == (404, "loyalty_person_not_found")
    zero = await client.post(url, json={**body, "amount": 0, "transfer_id": "ticket-14"}, headers=staff)
    assert zero.status_code == 422
    person_headers = await headers_of(db, client, person)
    assert (await client.get("/api/v1/me/loyalty", headers=person_headers)).json()["balance"] == 6
    # To anyone but staff, corrections do not exist.
    refused = await client.post(url, json={**body, "transfer_id": "ticket-15"}, headers=person_headers)
    assert refused.status_code == 404
    await assert_books_balance(db)
