"""The shop journey in Chromium against ``athlos serve`` and a stand-in shop, on a phone and on a
desktop: a product page, its link through the click tracker to the shop, the purchase confirmed by the
signed webhook, and the offer that adds the product to one's gear. Screenshots under
``artifacts/<test name>/``."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, expect
from sqlalchemy import func, select

from athlos.accounts.models import User
from athlos.commerce.shop.models import GearOffer
from athlos.core.db import Database
from athlos.gear.models import GearItem
from tests.accounts.factories import DEFAULT_PASSWORD
from tests.analytics.conftest import new_person, set_profile
from tests.browser import BROWSER_TESTS, Screenshots, sign_in
from tests.commerce.helpers import feed, import_feed, product
from tests.commerce.shop.stand_in_shop import stand_in_shop
from tests.waiting import wait_until

pytestmark = BROWSER_TESTS


@pytest.mark.parametrize(("width", "height", "name"), [(390, 844, "phone"), (1280, 900, "desktop")])
async def test_a_product_bought_through_athlos_is_offered_and_added_as_gear(
    browser: Browser,
    live_server: str,
    db: Database,
    bus,
    screenshots: Screenshots,
    width: int,
    height: int,
    name: str,
) -> None:
    me = await new_person(db, bus)
    await set_profile(db, bus, me, country="DE")
    async with db.sessionmaker() as session:
        email = (await session.get(User, me)).email  # type: ignore[union-attr]
    with stand_in_shop(live_server) as shop:
        await import_feed(
            db, feed(product("kestrel-glide-2", lifespan_km=650, shop_url=f"{shop.url}/p/kestrel-glide-2"))
        )
        context = await browser.new_context(locale="en-US", viewport={"width": width, "height": height})
        page = await context.new_page()
        await sign_in(page, live_server, email, DEFAULT_PASSWORD)

        await page.goto(live_server + "/shop/products/kestrel-glide-2")
        await expect(page.get_by_role("heading", name="Kestrel Glide 2")).to_be_visible()
        await expect(page.get_by_text("149.99 EUR")).to_be_visible()
        await screenshots.take(page, f"product-{name}")
        await page.get_by_role("link", name="See it at the shop").click()
        await expect(page.get_by_role("heading", name="Kestrel shop")).to_be_visible()
        assert "utm_source=athlos" in page.url
        assert "athlos_click=" in page.url
        await page.get_by_role("button", name="Buy").click()
        await page.wait_for_url(live_server + "/shop/offers")
        assert shop.answers == [201]

        async def offers() -> int:
            async with db.sessionmaker() as session:
                return await session.scalar(select(func.count()).where(GearOffer.user_id == me)) or 0

        await wait_until(offers, what="the server's event bus to offer the purchase")
        await page.reload()
        offer = page.get_by_role("button", name="Add Kestrel Glide 2 to your gear")
        await expect(offer).to_be_visible()
        await screenshots.take(page, f"offer-{name}")
        await offer.click()
        await expect(page.get_by_text("It is in your gear now.")).to_be_visible()
        item = page.locator(".gear-item").first
        await expect(item).to_contain_text("Kestrel Glide 2")
        await expect(item).to_contain_text("650 km")
        await screenshots.take(page, f"gear-{name}")
        await context.close()
    async with db.sessionmaker() as session:
        [gear] = list(await session.scalars(select(GearItem).where(GearItem.owner_id == me)))
    assert gear.product_id == "kestrel-glide-2"
