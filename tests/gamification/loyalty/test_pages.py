"""``/loyalty`` over HTTP: signed-in only, the balance, what is reserved, the history in three languages."""

from __future__ import annotations

import httpx

from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.gamification.loyalty import service
from tests.analytics.conftest import new_person
from tests.analytics.test_pages import page_sign_in
from tests.gamification.loyalty.helpers import funded


async def test_visitors_are_sent_to_sign_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/loyalty")
    assert (response.status_code, response.headers["location"]) == (303, "/signin")


async def test_a_new_person_sees_an_empty_ledger_linked_from_the_levels_page(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient
) -> None:
    await page_sign_in(db, client, await new_person(db, bus))
    page = await client.get("/loyalty")
    assert page.status_code == 200
    assert "No loyalty points yet" in page.text
    assert 'href="/loyalty"' in (await client.get("/levels")).text


async def test_the_history_shows_each_transfer_with_its_reason_in_the_readers_language(
    db: Database, bus: EmbeddedBus, client: httpx.AsyncClient
) -> None:
    me = await new_person(db, bus)
    await funded(db, me, 100)
    async with db.unit_of_work() as session:
        await service.spend(session, me, 30, "fee:1")
        await service.reserve(session, me, 25, "order-1")
    await page_sign_in(db, client, me)
    page = (await client.get("/loyalty")).text
    for text in (
        "<strong>45</strong>",
        "25 points reserved",
        "+100",
        "-30",
        "Points for an activity",
        "Spent",
    ):
        assert text in page, text
    for language, words in (("ru", "Зарезервировано для заказа"), ("de", "Für eine Bestellung reserviert")):
        client.cookies.set("lang", language)
        assert words in (await client.get("/loyalty")).text, language
    # A spoilt cursor shows the first page.
    assert "+100" in (await client.get("/loyalty?cursor=nonsense!")).text
