"""Recommendation pages over HTTP: "For you" on /shop and the dashboard links through the click
tracker with its reason; a product page's view is counted; the replacement page shows the owner's worn
item with reasons, and anyone else's item answers 404."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select

from athlos.commerce.recommend.models import ProductView, Recommendation
from athlos.core.db import Database
from tests.accounts.factories import set_language
from tests.activities.conftest import Person
from tests.analytics.conftest import set_profile
from tests.commerce.helpers import feed, import_feed, product
from tests.commerce.recommend.test_service import CATALOGUE
from tests.gear.helpers import add_gear


async def test_for_you_on_the_shop_links_through_the_click_tracker(
    browser_of: Any, db: Database, bus, alice: Person
) -> None:
    await import_feed(db, CATALOGUE)
    await set_profile(db, bus, alice.id, country="DE", favourite_sports=["ride"])
    page = await browser_of(alice)
    shop = await page.get("/shop")
    assert shop.status_code == 200
    assert "For you" in shop.text
    assert 'href="/shop/go/kestrel-velo-1?placement=for_you"' in shop.text
    assert "Made for Ride, one of your sports" in shop.text
    home = await page.get("/")
    assert "For you from the shop" in home.text
    await set_language(db, alice.id, "de")
    german = await page.get("/shop")
    assert "Für dich" in german.text


async def test_a_product_page_counts_the_view(browser_of: Any, db: Database, alice: Person) -> None:
    await import_feed(db, feed(product("kestrel-glide-2")))
    page = await browser_of(alice)
    for _ in range(2):
        assert (await page.get("/shop/products/kestrel-glide-2")).status_code == 200
    async with db.sessionmaker() as session:
        [view] = list(await session.scalars(select(ProductView)))
    assert (view.owner_id, view.product_id, view.views) == (alice.id, "kestrel-glide-2", 2)


async def test_the_replacement_page_is_the_owners_only(
    browser_of: Any, db: Database, bus, alice: Person, bob: Person
) -> None:
    await import_feed(db, CATALOGUE)
    await set_profile(db, bus, alice.id, country="DE")
    gear_id = await add_gear(
        db, alice.id, product_id="kestrel-glide-3", starting_distance_m=640_000, wear_limit_m=700_000
    )
    page = await browser_of(alice)
    mine = await page.get(f"/gear/{gear_id}/replacement")
    assert mine.status_code == 200
    assert "Your Kestrel Glide-3 has 640 km" in mine.text
    assert "The successor of your Kestrel Glide-3" in mine.text
    assert 'href="/shop/go/kestrel-glide-5?placement=gear_replacement"' in mine.text
    assert f'href="/gear/{gear_id}/replacement"' in (await page.get("/gear")).text
    theirs = await (await browser_of(bob)).get(f"/gear/{gear_id}/replacement")
    assert theirs.status_code == 404
    assert "Kestrel Glide-3" not in theirs.text


async def test_someone_elses_list_is_never_shown(
    browser_of: Any, db: Database, bus, alice: Person, bob: Person
) -> None:
    await import_feed(db, CATALOGUE)
    await set_profile(db, bus, alice.id, country="DE")
    await set_profile(db, bus, bob.id, country="DE")
    async with db.unit_of_work() as session:
        session.add(
            Recommendation(
                owner_id=alice.id,
                kind="model",
                items=[
                    {
                        "product_id": "kestrel-ridge-2",
                        "label": "Kestrel Ridge-2",
                        "category": "trail_shoes",
                        "reason": {"code": "like_owned", "product": "Alice's secret shoe"},
                    }
                ],
            )
        )
    assert "Alice&#39;s secret shoe" in (await (await browser_of(alice)).get("/shop")).text
    theirs = await browser_of(bob)
    for path in ("/shop", "/"):
        assert "secret shoe" not in (await theirs.get(path)).text
    # There is no address for another person's list: the owner is always the one asking.
    assert (await theirs.get(f"/shop/for-you/{alice.id}")).status_code == 404


async def test_the_api_answers_only_for_the_asker(
    client: httpx.AsyncClient, db: Database, bus, alice: Person, bob: Person
) -> None:
    await import_feed(db, CATALOGUE)
    await set_profile(db, bus, alice.id, country="DE")
    gear_id = await add_gear(db, alice.id, product_id="kestrel-glide-3", starting_distance_m=640_000)
    mine = await client.get(f"/api/v1/gear/{gear_id}/replacements", headers=alice.headers)
    assert mine.status_code == 200
    assert mine.json()["items"][0]["product_id"] == "kestrel-glide-5"
    theirs = await client.get(f"/api/v1/gear/{gear_id}/replacements", headers=bob.headers)
    assert (theirs.status_code, theirs.json()["code"]) == (404, "gear_not_found")
    listed = await client.get("/api/v1/me/recommendations", headers=alice.headers)
    assert listed.status_code == 200
    assert listed.json()["kind"] == "content"
    assert (await client.get("/api/v1/me/recommendations")).status_code == 401
