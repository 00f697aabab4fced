"""The shop's rows about a person (clicks, purchases, gear offers) are in their export and gone with
their account; the funnel's counters, about no one, stay."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import func, select

from athlos.commerce.shop.models import GearOffer, ShopClick, ShopConversion, ShopImpression
from athlos.commerce.shop.service import record_shown
from athlos.core import data_rights
from athlos.core.db import Database
from tests.activities.conftest import Person
from tests.commerce.helpers import a_click, deliver, feed, import_feed, product, purchase


async def count(db: Database, model: type) -> int:
    async with db.sessionmaker() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def test_clicks_and_purchases_are_exported_and_erased(
    client: httpx.AsyncClient, db: Database, bus, alice: Person, bob: Person, tmp_path: Path
) -> None:
    import athlos.commerce.shop.personal_data  # noqa: F401  (registers the holder)

    await import_feed(db, feed(product("kestrel-glide-2")))
    async with db.unit_of_work() as session:
        await record_shown(session, alice.id, "product_page")
    mine = await a_click(db, alice.id, "kestrel-glide-2")
    theirs = await a_click(db, bob.id, "kestrel-glide-2")
    assert (await deliver(client, purchase(mine, order_id="o-alice"))).status_code == 201
    assert (await deliver(client, purchase(theirs, order_id="o-bob"))).status_code == 201
    await bus.drain()

    async with db.sessionmaker() as session:
        data, _ = await data_rights.export_all(session, alice.id, tmp_path)
    assert [row["token"] for row in data["shop"]["commerce_shop_click"]] == [mine]
    assert [row["order_id"] for row in data["shop"]["commerce_shop_conversion"]] == ["o-alice"]
    assert [row["state"] for row in data["shop"]["commerce_gear_offer"]] == ["open"]

    async with db.unit_of_work() as session:
        await data_rights.erase_all(session, alice.id, tmp_path)
    assert (await count(db, ShopClick), await count(db, ShopConversion), await count(db, GearOffer)) == (
        1,
        1,
        1,
    )
    assert await count(db, ShopImpression) == 1
