"""Promotion pages over HTTP: staff of promotions create, change, fill and end a promotion (members and
staff of other areas get 404); a person sees the card with its reason on the dashboard and /shop, puts it
away, claims a code; impressions and clicks reach the shop's funnel under the promotion's name."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import select

from athlos.commerce.promotions.models import PromoCode, Promotion
from athlos.commerce.shop import service as shop
from athlos.core.db import Database
from athlos.core.events.embedded import EmbeddedBus
from athlos.gear import service as gear
from athlos.gear.schemas import GearIn
from tests.accounts.test_pages import post_form
from tests.activities.conftest import Person
from tests.analytics.conftest import set_profile
from tests.commerce.helpers import feed, import_feed, product
from tests.commerce.promotions.helpers import a_promotion, today
from tests.gamification.fair_play.conftest import staff_of


def form_of(**changes: str) -> dict[str, str]:
    return {
        "slug": "glide-autumn",
        "title_en": "Your next Glide, 20 % off",
        "body_en": "Until the end of the month.",
        "title_de": "Dein nächster Glide, 20 % günstiger",
        "product_id": "kestrel-glide-2",
        "countries": "de, AT",
        "starts_on": today().isoformat(),
        "ends_on": (today() + timedelta(days=30)).isoformat(),
        "gear_kind": "shoes",
        "points_cost": "0",
        **changes,
    }


async def test_staff_of_promotions_make_fill_and_end_a_promotion(
    browser_of: Any, client: httpx.AsyncClient, db: Database, alice: Person
) -> None:
    await import_feed(db, feed(product("kestrel-glide-2")))
    office = await browser_of(await staff_of(db, client, "promotions"))
    assert "No promotions yet" in (await office.get("/staff/promotions")).text
    refused = await post_form(
        office, "/staff/promotions/new", form_of(slug="no spaces", ends_on="2000-01-01")
    )
    assert refused.status_code == 422
    assert 'id="f-slug-error"' in refused.text
    assert 'value="Your next Glide, 20 % off"' in refused.text
    unknown = await post_form(office, "/staff/promotions/new", form_of(product_id="kestrel-nope"))
    assert unknown.status_code == 404
    assert 'id="f-product_id-error"' in unknown.text
    made = await post_form(office, "/staff/promotions/new", form_of(), page="/staff/promotions/new")
    assert made.status_code == 303, made.text
    async with db.sessionmaker() as session:
        [promotion] = list(await session.scalars(select(Promotion)))
    assert (promotion.countries, promotion.texts["de"]["title"], promotion.gear_kind) == (
        ["DE", "AT"],
        "Dein nächster Glide, 20 % günstiger",
        "shoes",
    )
    page = f"/staff/promotions/{promotion.id}"
    again = await post_form(office, "/staff/promotions/new", form_of(), page="/staff/promotions/new")
    assert again.status_code == 409
    assert 'id="f-slug-error"' in again.text
    filled = await post_form(
        office, f"{page}/codes", {"codes": "SHOP-1\nSHOP-2\nSHOP-1", "generate": "3"}, page=page
    )
    assert "5 codes added, 0 already known and skipped." in filled.text
    assert "0 of 5 codes given out." in filled.text
    bad = await post_form(office, f"{page}/codes", {"prefix": "no spaces"}, page=page)
    assert bad.status_code == 422
    assert 'id="codes-error"' in bad.text
    saved = await post_form(office, page, form_of(points_cost="15", cities="Munich"))
    assert saved.status_code == 303
    ended = await post_form(office, f"{page}/end", {}, page=page)
    assert ended.status_code == 303
    assert "This promotion has ended." in (await office.get(page)).text
    async with db.sessionmaker() as session:
        stored = await session.get(Promotion, promotion.id)
        codes = list(
            await session.scalars(select(PromoCode.code).where(PromoCode.promotion_id == promotion.id))
        )
    assert stored is not None
    assert (stored.points_cost, stored.cities, stored.ended_at is not None) == (
        15,
        ["Munich"],
        True,
    )
    assert {"SHOP-1", "SHOP-2"} <= set(codes)
    assert len(codes) == 5


async def test_members_and_other_staff_find_no_promotion_pages(
    browser_of: Any, client: httpx.AsyncClient, db: Database, alice: Person
) -> None:
    promotion = await a_promotion(db)
    catalog_staff = await browser_of(await staff_of(db, client, "catalog"))
    member = await browser_of(alice)
    for web in (member, catalog_staff):
        assert (await web.get("/staff/promotions")).status_code == 404
        assert (await web.get(f"/staff/promotions/{promotion.id}")).status_code == 404
        assert "/staff/promotions" not in (await web.get("/you")).text
    assert "/staff/catalog" in (await catalog_staff.get("/you")).text
    visitor = await browser_of(None)
    assert (await visitor.get("/staff/promotions")).status_code == 303


async def worn_shoes(db: Database, person: Person) -> None:
    async with db.unit_of_work() as session:
        await gear.create_gear(
            session,
            person.id,
            GearIn(kind="shoes", brand="Kestrel", model="Glide 2", starting_distance_m=640_000),
        )


async def test_the_card_says_why_is_put_away_and_counts_in_the_funnel(
    browser_of: Any, db: Database, bus: EmbeddedBus, alice: Person
) -> None:
    await import_feed(db, feed(product("kestrel-glide-2")))
    await set_profile(db, bus, alice.id, country="DE", region="DE-BY")
    promotion = await a_promotion(
        db, slug="glide-autumn", gear_kind="shoes", product_id="kestrel-glide-2", codes=2
    )
    web = await browser_of(alice)
    assert "An offer for you" not in (await web.get("/")).text  # no worn gear, no card
    await worn_shoes(db, alice)
    home = await web.get("/")
    assert "Because your Kestrel Glide 2 has 640 km." in home.text
    shop_page = await web.get("/shop")
    assert "Because your Kestrel Glide 2 has 640 km." in shop_page.text
    offer = await web.get(f"/promotions/{promotion.id}")
    assert 'href="/shop/go/kestrel-glide-2?placement=promotion_page&amp;promotion=glide-autumn"' in offer.text
    gone = await web.get(
        "/shop/go/kestrel-glide-2", params={"placement": "promotion_page", "promotion": "glide-autumn"}
    )
    assert parse_qs(urlsplit(gone.headers["location"]).query)["utm_campaign"] == ["glide-autumn"]
    async with db.sessionmaker() as session:
        rows = {(r.placement, r.promotion): (r.shown, r.clicked) for r in await shop.funnel(session, today())}
    assert rows[("dashboard", "glide-autumn")] == (1, 0)
    assert rows[("shop", "glide-autumn")] == (1, 0)
    assert rows[("promotion_page", "glide-autumn")] == (1, 1)
    put_away = await post_form(web, f"/promotions/{promotion.id}/dismiss", {"back": "/shop"}, page="/shop")
    assert (put_away.status_code, put_away.headers["location"]) == (303, "/shop")
    assert "An offer for you" not in (await web.get("/")).text
    assert "An offer for you" not in (await web.get("/shop")).text


async def test_a_person_claims_a_code_on_the_page(
    browser_of: Any, db: Database, bus: EmbeddedBus, alice: Person, bob: Person
) -> None:
    promotion = await a_promotion(db, codes=1)
    web = await browser_of(alice)
    page = f"/promotions/{promotion.id}"
    assert "Get the code" in (await web.get(page)).text
    claimed = await post_form(web, f"{page}/claim", {}, page=page)
    assert claimed.status_code == 303
    shown = await web.get(page)
    async with db.sessionmaker() as session:
        code = await session.scalar(select(PromoCode.code).where(PromoCode.user_id == alice.id))
    assert code
    assert code in shown.text
    assert "It is yours alone and works once." in shown.text
    other = await browser_of(bob)
    late = await post_form(other, f"{page}/claim", {}, page=page)
    assert late.status_code == 409
    assert "Every code of this offer has been given out" in late.text
    elsewhere = await a_promotion(db, countries=["AT"])
    assert (await web.get(f"/promotions/{elsewhere.id}")).status_code == 404
    assert code in (await web.get("/promotions")).text
