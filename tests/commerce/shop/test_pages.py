"""Shop pages over HTTP: the click tracker records the click and redirects with attribution; a confirmed
purchase is offered as gear on the dashboard and becomes a linked item; staff see the funnel per region
and placement (members get 404)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import select

from athlos.commerce.shop.models import ShopClick
from athlos.core.db import Database
from athlos.gear.models import GearItem
from tests.accounts.test_pages import post_form
from tests.activities.conftest import Person
from tests.analytics.conftest import set_profile
from tests.commerce.helpers import deliver, feed, import_feed, product, purchase


async def test_a_followed_link_is_recorded_and_redirected_with_attribution(
    browser_of: Any, db: Database, bus, alice: Person
) -> None:
    await import_feed(db, feed(product("kestrel-glide-2")))
    await set_profile(db, bus, alice.id, country="DE", region="DE-BY")
    page = await browser_of(alice)
    gone = await page.get(
        "/shop/go/kestrel-glide-2", params={"placement": "gear_replacement", "promotion": "spring-26"}
    )
    assert gone.status_code == 303
    target = urlsplit(gone.headers["location"])
    assert (target.netloc, target.path) == ("shop.kestrel.example", "/p/kestrel-glide-2")
    query = parse_qs(target.query)
    assert query["size"] == ["42"]  # the shop's own parameters stay
    assert (query["utm_source"], query["utm_medium"], query["utm_campaign"]) == (
        ["athlos"],
        ["gear_replacement"],
        ["spring-26"],
    )
    async with db.sessionmaker() as session:
        [click] = list(await session.scalars(select(ShopClick)))
    assert query["athlos_click"] == [click.token]
    assert (click.user_id, click.country, click.region, click.placement) == (
        alice.id,
        "DE",
        "DE-BY",
        "gear_replacement",
    )
    odd = await page.get("/shop/go/kestrel-glide-2", params={"placement": "<script>"})
    assert parse_qs(urlsplit(odd.headers["location"]).query)["utm_medium"] == ["other"]
    assert (await page.get("/shop/go/kestrel-nope")).status_code == 404


async def test_a_confirmed_purchase_is_offered_as_gear_and_added_once(
    browser_of: Any, client: httpx.AsyncClient, db: Database, bus, alice: Person, bob: Person
) -> None:
    await import_feed(db, feed(product("kestrel-glide-2", lifespan_km=650)))
    page = await browser_of(alice)
    assert "Nothing waiting" in (await page.get("/shop/offers")).text
    gone = await page.get("/shop/go/kestrel-glide-2", params={"placement": "product_page"})
    token = parse_qs(urlsplit(gone.headers["location"]).query)["athlos_click"][0]
    assert (await deliver(client, purchase(token))).status_code == 201
    await bus.drain()

    home = await page.get("/")
    assert "Add Kestrel Glide 2 to your gear" in home.text
    offers = await page.get("/shop/offers")
    [conversion] = [part.split('"')[0] for part in offers.text.split('data-offer="')[1:]]
    others = await browser_of(bob)
    stolen = await post_form(others, f"/shop/offers/{conversion}/add", {}, page="/shop/offers")
    assert stolen.headers["location"] == "/shop/offers"  # not bob's: nothing happens
    added = await post_form(page, f"/shop/offers/{conversion}/add", {}, page="/shop/offers")
    assert added.headers["location"] == "/gear"
    assert "It is in your gear now." in (await page.get("/gear")).text
    again = await post_form(page, f"/shop/offers/{conversion}/add", {}, page="/shop/offers")
    assert again.headers["location"] == "/shop/offers"
    async with db.sessionmaker() as session:
        items = list(await session.scalars(select(GearItem)))
    assert [(i.owner_id, i.product_id, i.wear_limit_m, str(i.purchased_on)) for i in items] == [
        (alice.id, "kestrel-glide-2", 650_000, "2026-12-01")
    ]
    assert "Add Kestrel Glide 2" not in (await page.get("/")).text


async def test_staff_see_the_funnel_shown_clicked_bought(
    browser_of: Any, client: httpx.AsyncClient, db: Database, bus, alice: Person, bob: Person, staff: Person
) -> None:
    await import_feed(db, feed(product("kestrel-glide-2")))
    await set_profile(db, bus, alice.id, country="DE", region="DE-BY")
    page = await browser_of(alice)
    for _ in range(3):
        await page.get("/shop/products/kestrel-glide-2")
    gone = await page.get("/shop/go/kestrel-glide-2", params={"placement": "product_page"})
    await (await browser_of(bob)).get("/shop/go/kestrel-glide-2", params={"placement": "product_page"})
    token = parse_qs(urlsplit(gone.headers["location"]).query)["athlos_click"][0]
    assert (await deliver(client, purchase(token))).status_code == 201

    assert (await page.get("/staff/shop")).status_code == 404
    assert (await client.get("/api/v1/shop/funnel", headers=alice.headers)).status_code == 404
    rows = (await client.get("/api/v1/shop/funnel", headers=staff.headers)).json()
    assert [
        (r["country"], r["region"], r["placement"], r["shown"], r["clicked"], r["bought"]) for r in rows
    ] == [
        ("", "", "product_page", 0, 1, 0),
        ("DE", "DE-BY", "product_page", 3, 1, 1),
    ]
    shown = await (await browser_of(staff)).get("/staff/shop", params={"days": "7"})
    assert "Shown 3 → clicked 2 → bought 1" in shown.text
    assert "<td>DE</td><td>DE-BY</td><td>product_page</td>" in shown.text
